"""Bad input never crashes, never writes outside `-o DIR`, never loses text silently.

Every file in tests/data/bad/ goes through the real CLI in-process; what it
must produce is in tests/data/bad/EXPECTED.toml.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pysrt
import pytest

from broadcaster.cli import main
from broadcaster.read import parse_file
from broadcaster.read.decode import read_lines
from conftest import COLUMN, CORPUS_FILES, EXAMPLE, need_shared
from conservation import missing

BAD = Path(__file__).parent / "data" / "bad"
EXPECTED = tomllib.loads((BAD / "EXPECTED.toml").read_text(encoding="utf-8"))
sys.path.insert(0, str(BAD))
from make_corpus import BIG, make_big, small_files  # noqa: E402

SLOW = {"huge_turn_1mb.txt", "huge_english_line.txt", "ten_thousand_turns.txt"}
# Transcript text that must reach markup outputs escaped, never as markup.
HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<script>alert('标题')</script>", "<b>李薇</b>")
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+)$")


def test_corpus_is_complete_and_matches_its_generator():
    committed = {p.name for p in BAD.iterdir() if p.name not in ("EXPECTED.toml", "make_corpus.py", "outcomes.py", "__pycache__")}
    made = small_files()
    assert committed == set(made), "run `python tests/data/bad/make_corpus.py` and commit the result"
    for name, data in made.items():
        assert (BAD / name).read_bytes() == data, name
    assert set(EXPECTED) == committed | set(BIG)
    assert len(EXPECTED) >= 30


def _stage(name: str, tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    if EXPECTED[name].get("generated"):
        return make_big(name, src)
    return Path(shutil.copy(BAD / name, src / name))


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in sorted(EXPECTED)])
def test_bad_input_ends_in_exit_0_with_warnings_or_exit_2_with_a_located_message(name, tmp_path, monkeypatch, capsys):
    want = EXPECTED[name]
    path = _stage(name, tmp_path)
    out = tmp_path / "out"
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # a relative escape would land here
    started = time.monotonic()
    code = main(["render", str(path), "-o", str(out)])
    elapsed = time.monotonic() - started
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert code == want["exit"], captured.err

    if code == 2:
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1, captured.err
        m = LOCATED.match(lines[0])
        assert m and m["path"] == str(path), lines[0]
        assert want["message"] in lines[0]
        assert _files(out) == set(), "a refused input must write nothing"
    else:
        produced = {f for f in _files(out) if not Path(f).name.startswith(".")}
        assert set(want["outputs"]) <= produced  # other renderers may add more kinds of file
        assert all(Path(f).parts[0] == Path(want["outputs"][0]).parts[0] for f in produced), produced
        hidden = {Path(f).name for f in _files(out)} - {Path(f).name for f in produced}
        assert hidden <= {".broadcaster.files"}, "no temporary or lock file is left"
        for f in produced:
            if f.endswith(".srt"):
                pysrt.open(str(out / f), encoding="utf-8", error_handling=pysrt.ERROR_RAISE)
            if f.endswith((".html", ".htm", ".xml", ".vtt", ".ass")):
                markup = (out / f).read_text(encoding="utf-8-sig")
                for payload in HOSTILE:
                    assert payload not in markup, f"{payload!r} reached {f} unescaped"
        episode = parse_file(path)
        messages = [d.message for d in episode.diagnostics]
        for warning in want.get("warnings", []):
            assert any(warning in m for m in messages), (warning, messages)
        for said in want.get("speech", []):
            assert said in episode.speech
        if path.suffix != ".json":
            lines, _, _ = read_lines(path)
            lost = missing("\n".join(lines), episode)
            assert not lost, f"characters dropped without a word: {''.join(lost.elements())[:80]!r}"
        assert elapsed < 60, f"{name} took {elapsed:.1f} s"

    # nothing outside -o DIR: only the input, the output folder and the test's clip cache exist
    assert _files(work) == set()
    assert {p.name for p in tmp_path.iterdir()} <= {"in", "out", "cwd", "clip-cache"}
    assert not Path("/tmp/owned").exists() and not Path("/tmp/evil").exists()


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not EXPECTED[n].get("generated")))
def test_check_reports_the_same_outcome_without_writing(name, tmp_path, monkeypatch, capsys):
    path = _stage(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert code == EXPECTED[name]["exit"]
    assert {p.name for p in tmp_path.iterdir()} == {"in", "clip-cache"} or {p.name for p in tmp_path.iterdir()} == {"in"}


def test_the_conservation_checker_notices_a_dropped_character():
    from broadcaster.read import parse_text

    text = "**主持人李薇：**大家好。\n"
    episode = parse_text(text)
    assert not missing(text, episode)
    assert "".join(missing(text + "漏", episode).elements()) == "漏"


@pytest.mark.parametrize("name", ["empty.txt", "binary.txt", "json_unknown_speaker.json", "hostile_markup.txt"])
def test_the_installed_command_never_shows_a_traceback(name, tmp_path):
    path = _stage(name, tmp_path)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "broadcaster", "render", str(path), "-o", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == EXPECTED[name]["exit"], proc.stderr
    if proc.returncode == 2:
        assert proc.stderr.startswith(f"{path}:"), proc.stderr
        assert EXPECTED[name]["message"] in proc.stderr
    else:
        assert set(EXPECTED[name]["outputs"]) <= _files(out)


def test_a_folder_or_a_missing_file_is_named_in_the_message(tmp_path, capsys):
    assert main(["render", str(tmp_path), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path}:1: is a folder, not a transcript file"
    assert main(["render", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'nope.txt'}:1: no such file"
    assert not (tmp_path / "out").exists()


def test_a_symlink_loop_or_an_endless_device_is_refused_in_words(tmp_path, capsys):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert main(["render", str(loop), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"{loop}:1: cannot read: Too many levels of symbolic links"
    if Path("/dev/zero").exists():  # no size to check first: the read itself must stop at the limit
        assert main(["render", "/dev/zero", "-o", str(tmp_path / "out")]) == 2
        assert "transcripts over 64 MiB are refused" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["hostile_markup.txt", "template_in_title.txt", "json_hostile.json", "emoji_zwj.txt",
                                  "rtl_marks.txt", "names_with_slashes.txt"])
def test_hostile_text_reaches_every_subtitle_format_as_text_its_readers_accept(name, tmp_path, capsys):
    import pysubs2
    import webvtt

    path = _stage(name, tmp_path)
    out = tmp_path / "out"
    assert main(["render", str(path), "-o", str(out), "--formats", "srt,vtt,ass", "--quiet"]) == 0
    capsys.readouterr()
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert {p.suffix for p in files} >= {".srt", ".vtt", ".ass"}
    for p in files:
        if p.suffix == ".srt":
            pysrt.open(str(p), encoding="utf-8", error_handling=pysrt.ERROR_RAISE)
        elif p.suffix == ".vtt":
            assert len(webvtt.read(str(p))) >= 1
            markup = p.read_text(encoding="utf-8")
            assert not any(payload in markup for payload in HOSTILE), p.name
        elif p.suffix == ".ass":
            assert len(pysubs2.load(str(p))) >= 1


@pytest.mark.parametrize("path", [*CORPUS_FILES, COLUMN, EXAMPLE], ids=lambda p: p.name)
def test_real_transcripts_keep_every_character_somewhere_in_the_model(path):
    need_shared(path)
    lines, _, _ = read_lines(path)
    lost = missing("\n".join(lines), parse_file(path))
    assert not lost, f"characters dropped without a word: {''.join(lost.elements())[:80]!r}"
