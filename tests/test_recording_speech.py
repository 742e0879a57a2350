"""--recording on real human speech: programmes built from ../shared/speech (real speakers, exact
transcripts) by scripts/make_speech_programme.py, scored by scripts/bench_align.py's evaluate()."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from conftest import SHARED, need_shared

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    need_shared(SHARED / "speech" / "speech.json")
    return _load("bench_align")


def _align(bench, truth, work):
    from broadcaster.read import parse_file
    from broadcaster.options import RenderOptions
    from broadcaster.programme import tracks
    from broadcaster.timing import estimate
    from broadcaster.timing.recording import align

    wavs = tuple(str(work / f) for f in truth["files"])
    episode = parse_file(work / truth["script"])
    timeline, alignment = align(episode, estimate(episode), wavs)
    track = tracks(episode, timeline, RenderOptions(recordings=wavs, progress=False))[0][1]
    out = {"cues": [[q.segment, q.turn, q.start_ms / 1000, q.end_ms / 1000] for q in track.cues],
           "findings": [[f.kind, f.segment, f.turn, f.start_s, f.end_s] for f in alignment.findings],
           "cpu": 0.0, "peak_mb": 0.0, "low": 0}
    return bench.evaluate(out, truth), alignment


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_real_turn_gets_its_cues_on_its_speech(bench, tmp_path, lang):
    """Each real utterance of the tuning half once, at raw levels (-14 to -44 dBFS), 0.2-1.5 s apart."""
    mk = bench.mk
    truth = mk.make(tmp_path, f"real_{lang}", mk.utterances(lang, "tuning"), seed=12)
    r, _ = _align(bench, truth, tmp_path)
    assert r["with_cues"] == r["turns"], r
    assert r["median_ms"] <= 60, r
    assert not r["false"], r  # a clean programme: no findings
    assert len(r["outside"]) <= max(1, r["cues"] // 10), r


def test_another_programmes_real_speech_is_reported(bench, tmp_path):
    """The script is one half of the Mandarin tuning utterances, the recording the other half."""
    mk = bench.mk
    utts = mk.utterances("zh", "tuning")
    truth = mk.make(tmp_path, "other", utts[::2], recorded=utts[1::2], seed=7)
    r, alignment = _align(bench, truth, tmp_path)
    assert [f.kind for f in alignment.findings][:1] == ["mismatch"], alignment.findings
