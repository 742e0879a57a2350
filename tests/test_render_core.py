"""The core job end to end: transcript → SRTs and prompter text, read back by real parsers."""
import os
import subprocess
import sys
from pathlib import Path

import pysrt
import pytest
import srt

from broadcaster.cli import main
from broadcaster.read import parse_file
from broadcaster.subtitles import PROFILES
from conftest import CORPUS_FILES, EXAMPLE, ROOT, need_shared
from test_segment_properties import check_track

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = bool(os.environ.get("BROADCASTER_REGOLD"))


def _render(path, out_dir, *extra):
    code = main(["render", str(path), "-o", str(out_dir), "--quiet", *extra])
    assert code == 0
    return out_dir / Path(path).stem


def _srt_cues_agree(path: Path):
    """pysrt (raising on any malformed item) and srt read the same cues."""
    strict = pysrt.open(str(path), encoding="utf-8", error_handling=pysrt.ERROR_RAISE)
    other = list(srt.parse(path.read_text(encoding="utf-8")))
    assert len(strict) == len(other) > 0
    for a, b in zip(strict, other, strict=False):
        assert a.start.ordinal == round(b.start.total_seconds() * 1000)
        assert a.end.ordinal == round(b.end.total_seconds() * 1000)
        assert a.text == b.content
    return strict


def test_column_transcript_renders_srts_and_prompter(column_path, out_dir):
    folder = _render(column_path, out_dir)
    names = sorted(p.name for p in folder.iterdir() if p.suffix in (".srt", ".txt"))
    assert names == [
        "000_acc2b6e70409d00d.01-深化体制机制改革 全面激发开发区发展能级.srt",
        "000_acc2b6e70409d00d.02-强化责任落实机制 以正确用人导向引领干事创业导向.srt",
        "000_acc2b6e70409d00d.03-起步即冲刺 开局即决战.srt",
        "000_acc2b6e70409d00d.cues.txt",
        "000_acc2b6e70409d00d.prompter.txt",
        "000_acc2b6e70409d00d.srt",
    ]
    for srt_path in folder.glob("*.srt"):
        cues = _srt_cues_agree(srt_path)
        if ".0" in srt_path.name:
            assert cues[0].start.ordinal == 0  # each segment airs as its own piece
    prompter = (folder / "000_acc2b6e70409d00d.prompter.txt").read_text(encoding="utf-8")
    assert prompter.startswith("《干部作风建设提升》专栏")
    assert "李大星（枣庄经济开发区管委会副主任）" in prompter
    assert prompter.count("李大星（") == 1  # title on first appearance only
    assert "记者 白雪松 李薇" in prompter and "TOTAL" in prompter


def test_column_programme_subtitles_obey_the_profile_and_lose_nothing(column_path):
    from broadcaster.subtitles import build_track
    from broadcaster.timing import estimate

    episode = parse_file(column_path)
    timeline = estimate(episode)
    check_track(episode, build_track(timeline, PROFILES["zh-Hans"]))
    for i in range(3):
        check_track(episode, build_track(timeline, PROFILES["zh-Hans"], i))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_files_render_and_parse_back(path, out_dir):
    folder = _render(need_shared(path), out_dir)
    for srt_path in folder.glob("*.srt"):
        _srt_cues_agree(srt_path)


def test_episode_json_renders_identically(column_path, out_dir, capsys):
    direct = _render(column_path, out_dir / "direct")
    assert main(["parse", str(column_path), "--json", "-o", str(out_dir / "episode.json")]) == 0
    via_json = _render(out_dir / "episode.json", out_dir / "json")
    via_json = out_dir / "json" / direct.name
    a = {p.name: p.read_bytes() for p in direct.iterdir() if not p.name.startswith(".")}
    b = {p.name: p.read_bytes() for p in via_json.iterdir() if not p.name.startswith(".")}
    assert a == b


def test_golden_example_outputs(out_dir):
    folder = _render(EXAMPLE, out_dir, "--formats", "srt,vtt,ass", "--hard-out", "3:00")
    for name in ("column_demo.prompter.txt", "column_demo.srt", "column_demo.02-社区食堂开张 老人吃饭不再难.srt",
                 "column_demo.vtt", "column_demo.ass", "column_demo.prompter.html", "column_demo.rundown.md",
                 "column_demo.cues.txt", "column_demo.qc.md"):
        got = (folder / name).read_text(encoding="utf-8")
        golden = GOLDEN / name
        if REGENERATE or not golden.exists():
            golden.write_text(got, encoding="utf-8")
        assert got == golden.read_text(encoding="utf-8"), f"{name} differs from tests/golden (BROADCASTER_REGOLD=1 to accept)"


def test_user_template_folder_overrides_the_shipped_one(out_dir, tmp_path):
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "prompter.txt").write_text("{{ title }}|{% for s in segments %}{{ s.title }};{% endfor %}\n", encoding="utf-8")
    folder = _render(EXAMPLE, out_dir, "--templates", str(templates))
    assert (folder / "column_demo.prompter.txt").read_text(encoding="utf-8") == \
        "《民生直通车》专栏|老旧小区改造 让居民住得更舒心;社区食堂开张 老人吃饭不再难;"


def test_rates_on_the_command_line_change_the_timing(out_dir):
    slow = _render(EXAMPLE, out_dir / "slow", "--host-rate", "3", "--guest-rate", "3")
    fast = _render(EXAMPLE, out_dir / "fast", "--rate", "赵国华=6")
    base = _render(EXAMPLE, out_dir / "base")
    end = lambda f: pysrt.open(str(f / "column_demo.srt"))[-1].end.ordinal
    assert end(slow) > end(base) > end(fast)


def test_unknown_speaker_rate_is_a_clear_error(capsys):
    assert main(["render", str(EXAMPLE), "--rate", "Nobody=4", "-o", "/tmp/never"]) == 2
    err = capsys.readouterr().err
    assert "no speaker 'Nobody'" in err and "Traceback" not in err


def test_check_reports_segments_speakers_and_guesses(capsys):
    assert main(["check", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "2 segments" in out
    assert "speaker 赵国华 (guest, 青山区住房和城乡建设局副局长)" in out
    assert f"{EXAMPLE}:17: warning: joined to the previous paragraph" in out


def test_missing_file_exits_2_with_file_line_message(capsys, tmp_path):
    assert main(["render", str(tmp_path / "missing.txt"), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"{tmp_path / 'missing.txt'}:1: no such file"


def test_help_for_every_command(capsys):
    for cmd in (["--help"], ["render", "--help"], ["check", "--help"], ["parse", "--help"]):
        assert main(cmd) == 0
    assert "Usage" in capsys.readouterr().out


def test_cli_in_a_subprocess_as_a_user_runs_it(tmp_path):
    run = subprocess.run([sys.executable, "-m", "broadcaster", "render", str(EXAMPLE), "-o", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "column_demo.srt" in run.stdout
    bad = subprocess.run([sys.executable, "-m", "broadcaster", "render", "--nope"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
