"""An interrupted or failed run never costs the producer their earlier outputs.

Each test renders a transcript once (the earlier outputs), changes it, starts
a real `broadcaster render` process and interrupts it: Ctrl-C, `kill`,
`kill -9`, a full disk. The folder must still hold the earlier set, byte for
byte, and no half-written or temporary file.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from broadcaster.cli import main
from runs import EXAMPLE, cpu_seconds, finish, outputs, snapshot, start_render, temps, wait_for

sys.path.insert(0, str(Path(__file__).parent / "data" / "bad"))
from make_corpus import make_big  # noqa: E402


@pytest.fixture
def earlier(tmp_path, capsys):
    """show.txt rendered once into out/show/, then changed on disk: (source, folder, earlier outputs)."""
    source = tmp_path / "in" / "show.txt"
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    out = tmp_path / "out"
    assert main(["render", str(source), "-o", str(out), "--quiet"]) == 0
    capsys.readouterr()
    folder = out / "show"
    before = outputs(folder)
    assert len(before) >= 3
    source.write_text(EXAMPLE.read_text(encoding="utf-8").replace("。", "！", 3), encoding="utf-8")
    return source, folder, before


def test_ctrl_c_during_a_long_render_keeps_the_earlier_outputs(earlier, tmp_path):
    source, folder, before = earlier
    big = make_big("huge_turn_1mb.txt", tmp_path)  # several seconds of segmenting
    big.replace(source)
    proc = start_render(source, folder.parent)
    if Path("/proc/self/stat").exists():  # well past start-up, into segmenting, however loaded the machine
        wait_for(lambda: cpu_seconds(proc.pid) > 1.2, proc, what="a second of work")
    else:
        time.sleep(1.5)
    assert proc.poll() is None, "the render finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    code, err = finish(proc)
    assert code == 130
    assert "interrupted: earlier outputs are untouched" in err and "Traceback" not in err
    assert outputs(folder) == before
    assert temps(folder) == []


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_kill_while_writing_removes_every_temporary_file(earlier, sig, code):
    source, folder, before = earlier
    proc = start_render(source, folder.parent, slow_write=1.0)
    wait_for(lambda: temps(folder), proc, what="the first temporary file")
    proc.send_signal(sig)
    got, err = finish(proc)
    assert got == code, err
    assert "interrupted: earlier outputs are untouched" in err
    assert outputs(folder) == before
    assert temps(folder) == []


def test_kill_9_while_writing_leaves_earlier_outputs_and_the_next_run_sweeps_up(earlier):
    source, folder, before = earlier
    proc = start_render(source, folder.parent, slow_write=1.0)
    wait_for(lambda: len(temps(folder)) >= 2, proc, what="two temporary files")
    proc.kill()
    proc.wait()
    assert outputs(folder) == before  # no final name was touched
    left = temps(folder)
    assert left and all(re.fullmatch(rf"\..+\.bc{proc.pid}\.tmp", name) for name in left), left
    (folder / ".my draft.1.tmp").write_text("a producer's own file", encoding="utf-8")
    code, err = finish(start_render(source, folder.parent))
    assert code == 0, err
    assert temps(folder) == []
    assert (folder / ".my draft.1.tmp").exists()
    assert outputs(folder) != before and set(outputs(folder)) == set(before)


def test_disk_full_in_the_middle_of_a_set_keeps_the_earlier_outputs(earlier, monkeypatch, capsys):
    """ENOSPC on the second file: the first file's temporary is removed too, nothing is renamed."""
    source, folder, before = earlier
    import broadcaster.output as output

    real_fdopen = os.fdopen
    opened = []

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.fh, name)

    def fdopen(fd, *args, **kwargs):
        opened.append(fd)
        fh = real_fdopen(fd, *args, **kwargs)
        return FullDisk(fh) if len(opened) == 2 else fh

    monkeypatch.setattr(output.os, "fdopen", fdopen)
    assert main(["render", str(source), "-o", str(folder.parent)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"{folder}:1: cannot write output: No space left on device"
    monkeypatch.undo()
    assert outputs(folder) == before
    assert temps(folder) == []


def _mount_small_disk(where: Path) -> bool:
    where.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


def test_a_real_full_disk_keeps_the_earlier_outputs(tmp_path, capsys):
    disk = tmp_path / "disk"
    if not _mount_small_disk(disk):
        pytest.skip("mounting a small tmpfs needs root on Linux; the simulated ENOSPC test covers the logic")
    try:
        source = tmp_path / "show.txt"
        shutil.copy(EXAMPLE, source)
        assert main(["render", str(source), "-o", str(disk), "--quiet"]) == 0
        folder = disk / "show"
        before = outputs(folder)
        body = EXAMPLE.read_text(encoding="utf-8")
        source.write_text(body + "".join(body.replace("# ", f"# 第{i}遍 ") for i in range(20)), encoding="utf-8")
        capsys.readouterr()
        assert main(["render", str(source), "-o", str(disk), "--quiet"]) == 2
        assert capsys.readouterr().err.strip() == f"{folder}:1: cannot write output: No space left on device"
        assert outputs(folder) == before
        assert temps(folder) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_outputs_are_readable_by_colleagues_not_private_to_the_renderer(earlier):
    _, folder, _ = earlier
    umask = os.umask(0)
    os.umask(umask)
    for name in outputs(folder):
        assert (folder / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_rerun_replaces_renamed_segments_but_keeps_the_producers_own_files(earlier, capsys):
    source, folder, before = earlier
    (folder / "my notes.txt").write_text("留给导演", encoding="utf-8")
    old_segment = next(n for n in before if ".01-" in n)
    text = source.read_text(encoding="utf-8")
    first_heading = next(line for line in text.splitlines() if line.startswith("#"))
    source.write_text(text.replace(first_heading, "# 改过的标题", 1), encoding="utf-8")
    assert main(["render", str(source), "-o", str(folder.parent), "--quiet"]) == 0
    after = outputs(folder)
    assert old_segment not in after
    assert any(".01-改过的标题" in n for n in after)
    assert (folder / "my notes.txt").read_text(encoding="utf-8") == "留给导演"
    assert snapshot(folder).keys() >= after.keys()


def test_writing_one_file_into_a_users_folder_leaves_nothing_else_there(tmp_path, capsys):
    """`parse --json -o` writes into any folder: no lock, list or temporary file is left beside it."""
    folder = tmp_path / "desk"
    folder.mkdir()
    assert main(["parse", str(EXAMPLE), "--json", "-o", str(folder / "episode.json")]) == 0
    assert [p.name for p in folder.iterdir()] == ["episode.json"]


def test_a_render_never_overwrites_its_own_transcript(tmp_path, capsys):
    """A transcript kept as out/show/show.srt (say, to re-time it) is not replaced by its own subtitles."""
    source = tmp_path / "out" / "show" / "show.srt"
    source.parent.mkdir(parents=True)
    source.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["render", str(source), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip() == (f"{source}:1: would overwrite the transcript itself in "
                                               f"{source.parent}; choose another -o")
    assert source.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
    assert [p.name for p in source.parent.iterdir()] == ["show.srt"]
