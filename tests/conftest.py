"""Shared fixtures: the real transcripts from ../shared, isolated output folders."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["browser"]  # the Chromium fixtures (tests/browser.py) for every module

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
COLUMN = SHARED / "transcripts" / "000_acc2b6e70409d00d.txt"
CORPUS = SHARED / "corpus"
CORPUS_FILES = sorted(p for p in CORPUS.glob("*") if p.is_file() and p.name != "SOURCES.md") if CORPUS.exists() else []
EXAMPLE = ROOT / "examples" / "column_demo.txt"
IN_CI = bool(os.environ.get("CI"))

# Hypothesis: `ci` runs 2,000 examples per property (the floor the project set),
# `dev` stays quick, `deep` is for a long hunt: HYPOTHESIS_PROFILE=deep pytest ...
settings.register_profile("ci", max_examples=2000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("deep", max_examples=20000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))


def need_shared(path: Path) -> Path:
    """The shared file, or a skip with the reason (never a skip in CI)."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing in CI: ../shared must sit beside the clone")
        pytest.skip(f"{path} not found: ../shared is not beside this checkout")
    return path


@pytest.fixture
def column_path() -> Path:
    return need_shared(COLUMN)


@pytest.fixture
def out_dir(tmp_path) -> Path:
    d = tmp_path / "out"
    d.mkdir()
    return d


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    # a test never reads or fills the user's clip cache
    monkeypatch.setenv("BROADCASTER_CACHE", str(tmp_path / "clip-cache"))
