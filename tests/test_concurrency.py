"""Two renders at once: side by side they both finish; into one folder they leave one whole set.

Real processes; BROADCASTER_TEST_SLOW_WRITE holds each run in its write phase
so that the two really overlap there, where a mix could happen.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from broadcaster.cli import main
from runs import EXAMPLE, finish, outputs, start_render, temps


def _reference(source: Path, tmp_path: Path, name: str, capsys) -> dict[str, bytes]:
    """What a render of source gives when it runs alone."""
    out = tmp_path / f"ref-{name}"
    assert main(["render", str(source), "-o", str(out), "--quiet"]) == 0
    capsys.readouterr()
    return outputs(out)


def _other_version(source: Path) -> None:
    """Same stem, different content: other segment titles (so other file names), other words."""
    text = EXAMPLE.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    for i, heading in enumerate(headings):
        text = text.replace(heading, f"# 另一期第{i + 1}段", 1)
    source.write_text(text.replace("居民", "住户"), encoding="utf-8")


def test_renders_into_different_folders_run_side_by_side(tmp_path, capsys):
    sources = []
    for name in ("monday", "tuesday"):
        src = tmp_path / "in" / f"{name}.txt"
        src.parent.mkdir(exist_ok=True)
        shutil.copy(EXAMPLE, src)
        sources.append(src)
    _other_version(sources[1])
    want = {}
    for src in sources:
        want.update(_reference(src, tmp_path, src.stem, capsys))
    out = tmp_path / "out"
    out.mkdir()
    procs = [start_render(src, out, slow_write=0.05) for src in sources]
    for proc in procs:
        code, err = finish(proc)
        assert code == 0, err
    assert outputs(out) == want
    assert temps(out) == []


@pytest.mark.parametrize("attempt", range(3))
def test_two_renders_of_the_same_input_into_one_folder_give_identical_bytes(tmp_path, attempt, capsys):
    src = tmp_path / "in" / "show.txt"
    src.parent.mkdir()
    shutil.copy(EXAMPLE, src)
    want = _reference(src, tmp_path, "show", capsys)
    out = tmp_path / "out"
    out.mkdir()
    procs = [start_render(src, out, slow_write=0.05) for _ in range(2)]
    for proc in procs:
        code, err = finish(proc)
        assert code == 0, err
    assert outputs(out) == want
    assert temps(out) == []


@pytest.mark.parametrize("attempt", range(3))
def test_two_different_inputs_with_one_stem_leave_one_whole_set_not_a_mix(tmp_path, attempt, capsys):
    a = tmp_path / "a" / "show.txt"
    b = tmp_path / "b" / "show.txt"
    a.parent.mkdir()
    b.parent.mkdir()
    shutil.copy(EXAMPLE, a)
    _other_version(b)
    want_a = _reference(a, tmp_path, "a", capsys)
    want_b = _reference(b, tmp_path, "b", capsys)
    assert set(want_a) != set(want_b)  # different segment files: a mix would show
    out = tmp_path / "out"
    out.mkdir()
    procs = [start_render(a, out, slow_write=0.05 * (1 + attempt)), start_render(b, out, slow_write=0.05)]
    for proc in procs:
        code, err = finish(proc)
        assert code == 0, err
    got = outputs(out)
    assert got in (want_a, want_b), sorted(got)
    assert temps(out) == []


def test_one_command_with_two_inputs_of_one_name_keeps_the_first_set(tmp_path, capsys):
    a = tmp_path / "a" / "show.txt"
    b = tmp_path / "b" / "show.txt"
    a.parent.mkdir()
    b.parent.mkdir()
    shutil.copy(EXAMPLE, a)
    _other_version(b)
    want_a = _reference(a, tmp_path, "a", capsys)
    out = tmp_path / "out"
    assert main(["render", str(a), str(b), "-o", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (f"{b}:1: has the same name as {a}: both would be written to "
                                                       f"{out / 'show'}; rename one of them")
    assert outputs(out) == want_a
