"""Subtitles that import cleanly wherever the video team works: real readers read every file."""
import subprocess
from pathlib import Path

import pysrt
import pysubs2
import pytest
import srt
import webvtt

from broadcaster.cli import main
from broadcaster.subtitles.qc import load_cues
from conftest import EXAMPLE, need_shared, COLUMN


def _render(src, out_dir, *extra):
    assert main(["render", str(src), "-o", str(out_dir), "--quiet", "--formats", "srt,vtt,ass", *extra]) == 0
    return out_dir / Path(src).stem


@pytest.fixture(scope="module")
def column_folder(tmp_path_factory):
    return _render(need_shared(COLUMN), tmp_path_factory.mktemp("formats"))


def _ffmpeg_roundtrip(path: Path, target: str) -> int:
    import imageio_ffmpeg

    out = path.with_suffix(f".via-ffmpeg.{target}")
    run = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(path), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return len(pysubs2.load(str(out)).events)


def test_ffmpeg_converts_every_format_keeping_the_cue_count(column_folder):
    for name in ("000_acc2b6e70409d00d", "000_acc2b6e70409d00d.03-起步即冲刺 开局即决战"):
        count = len(pysrt.open(str(column_folder / f"{name}.srt"), error_handling=pysrt.ERROR_RAISE))
        assert _ffmpeg_roundtrip(column_folder / f"{name}.srt", "ass") == count
        assert _ffmpeg_roundtrip(column_folder / f"{name}.vtt", "srt") == count
        assert _ffmpeg_roundtrip(column_folder / f"{name}.ass", "srt") == count


def test_every_format_reads_to_the_same_cues(column_folder):
    name = "000_acc2b6e70409d00d"
    srt_cues = list(srt.parse((column_folder / f"{name}.srt").read_text(encoding="utf-8")))
    vtt = webvtt.read(str(column_folder / f"{name}.vtt"))
    ass = pysubs2.load(str(column_folder / f"{name}.ass"))
    assert len(srt_cues) == len(vtt.captions) == len(ass.events) > 300
    for s, v, a in zip(srt_cues, vtt.captions, ass.events, strict=False):
        assert v.text == s.content == a.plaintext
        assert round(s.start.total_seconds() * 1000) == a.start == pysubs2.time.timestamp_to_ms(pysubs2.time.TIMESTAMP.match(v.start).groups())
    assert vtt.captions[0].voice == "李薇"
    assert {e.style for e in ass.events} == {"host", "guest"}
    assert ass.info["PlayResX"] == "1920" and ass.styles["host"].fontname == "Noto Sans CJK SC"


def test_chromium_reads_the_webvtt_to_the_same_cues(column_folder, chromium_page, tmp_path):
    vtt = column_folder / "000_acc2b6e70409d00d.vtt"
    page = tmp_path / "player.html"
    page.write_text(f'<!doctype html><video id="v" preload="auto"><track id="t" kind="subtitles" srclang="zh" '
                    f'default src="{vtt.as_uri()}"></video>', encoding="utf-8")
    chromium_page.goto(page.as_uri())
    chromium_page.wait_for_function("document.getElementById('t').readyState === 2", timeout=10000)
    cues = chromium_page.evaluate("""() => Array.from(document.getElementById('t').track.cues)
        .map(c => [Math.round(c.startTime * 1000), Math.round(c.endTime * 1000), c.getCueAsHTML().textContent])""")
    expected = list(srt.parse(column_folder.joinpath("000_acc2b6e70409d00d.srt").read_text(encoding="utf-8")))
    assert len(cues) == len(expected)
    for (start, end, text), e in zip(cues, expected, strict=False):
        assert (start, end, text) == (round(e.start.total_seconds() * 1000), round(e.end.total_seconds() * 1000), e.content)


def test_delivery_options_encoding_bom_crlf_and_frame_rate(tmp_path):
    folder = _render(EXAMPLE, tmp_path / "gb", "--encoding", "gb18030", "--crlf", "--fps", "29.97")
    raw = (folder / "column_demo.srt").read_bytes()
    assert b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("gb18030")
    assert "老旧小区" in text
    cues = load_cues(folder / "column_demo.srt")  # our own reader detects GB18030
    frame = 1000 / 29.97
    assert all(abs(t - round(t / frame) * frame) <= 1 for c in cues for t in (c.start_ms, c.end_ms))
    bom = _render(EXAMPLE, tmp_path / "bom", "--encoding", "utf-8-sig")
    assert (bom / "column_demo.srt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(pysrt.open(str(bom / "column_demo.srt"))) == len(load_cues(bom / "column_demo.srt"))


def test_limits_on_the_command_line(tmp_path, capsys):
    folder = _render(EXAMPLE, tmp_path, "--max-line", "10", "--max-cps", "6")
    assert main(["check", "--subtitles", str(folder / "column_demo.srt")]) == 0  # within the default profile
    cues = load_cues(folder / "column_demo.srt")
    assert max(len(c.lines[0]) for c in cues) <= 10


def test_speaker_names_and_dashes(tmp_path):
    folder = _render(EXAMPLE, tmp_path, "--speaker-names", "--dual-speaker", "--max-lines", "2")
    cues = pysrt.open(str(folder / "column_demo.srt"))
    assert cues[0].text.startswith("陈静：观众朋友们大家好")
    dashed = [c for c in cues if c.text.startswith("-")]
    for c in dashed:
        assert all(line.startswith("-") for line in c.text.split("\n")) and len(c.text.split("\n")) == 2


def test_cue_list_for_re_timing_tools(tmp_path):
    folder = _render(EXAMPLE, tmp_path)
    lines = (folder / "column_demo.cues.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(pysrt.open(str(folder / "column_demo.srt")))
    assert not any(line.endswith(("，", "。")) for line in lines)
    assert lines[0] == "观众朋友们大家好"


def test_traditional_transcript_keeps_its_characters(tmp_path):
    src = tmp_path / "trad.txt"
    src.write_text("《測試》專欄\n\n# 第一段\n\n**主持人李薇：**觀眾朋友們大家好，歡迎收看今天的節目。\n", encoding="utf-8")
    folder = _render(src, tmp_path / "o", "--profile", "zh-Hant")
    assert "觀眾朋友們大家好" in (folder / "trad.srt").read_text(encoding="utf-8")


def test_check_subtitles_flags_another_tools_file(tmp_path, capsys):
    bad = tmp_path / "other.srt"
    bad.write_text("1\n00:00:00,000 --> 00:00:00,500\n这一行字幕实在是太长了超过了十六个字的限制啊\n\n"
                   "2\n00:00:00,510 --> 00:00:09,000\n，开头不对\n\n", encoding="utf-8-sig")
    assert main(["check", "--subtitles", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:cue 1: line width" in out and f"{bad}:cue 1: shown 500 ms" in out
    assert f"{bad}:cue 2: line starts with '，'" in out and f"{bad}:cue 2: shown 8490 ms, over 7000 ms" in out
    assert "gap of 10 ms" in out
    garbage = tmp_path / "x.srt"
    garbage.write_bytes(bytes(range(256)) * 20)
    assert main(["check", "--subtitles", str(garbage)]) == 2
