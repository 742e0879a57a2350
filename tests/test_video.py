"""The preview video: length, burned-in text, progress, font checks, Chromium and ffmpeg play it.

One short programme (about 20 s at 320×180) is encoded once per module and
read back by the real ffmpeg and the real Chromium.
"""
import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pysrt
import pytest

from broadcaster.cli import main
from broadcaster.video import fonts

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SHORT = """《测试》专栏

# 社区食堂开张

记者 孙悦

**主持人周明：**社区食堂开张以后，附近的老人吃饭方便了很多。

**幸福里社区党委书记李红梅：**我们的食堂每天供应午餐和晚餐，六十岁以上的老人可以享受八折优惠。

**主持人周明：**谢谢李书记。
"""
W, H = 320, 180


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(folder, stderr of the run): --supers --cards --video on the short programme."""
    import contextlib
    import io

    base = tmp_path_factory.mktemp("video")
    src = base / "short.txt"
    src.write_text(SHORT, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["render", str(src), "-o", str(base / "out"), "--supers", "--cards", "--video",
                     "--video-size", f"{W}x{H}", "--formats", "srt,ass"])
    assert code == 0, err.getvalue()
    return base / "out" / "short", err.getvalue()


def _probe(path: Path) -> str:
    return subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr


def _frame(path: Path, seconds: float) -> bytes:
    """The frame shown at `seconds`, as 8-bit grey pixels."""
    out = subprocess.run([FFMPEG, "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(path), "-frames:v", "1",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
    assert len(out) == W * H
    return out


def _rows(pixels: bytes, top: float, bottom: float) -> bytes:
    return pixels[int(H * top) * W:int(H * bottom) * W]


def _programme_end(folder: Path) -> float:
    ends = [c.end.ordinal for name in ("short.srt", "short.supers.srt") for c in pysrt.open(str(folder / name))]
    return max(ends) / 1000


def test_duration_is_the_programme_within_one_frame(rendered):
    folder, _ = rendered
    video = folder / "short.preview.mp4"
    info = _probe(video)
    assert "Video: h264 (High)" in info and "yuv420p" in info and f"{W}x{H}" in info and "Audio: aac" in info
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", info).groups()
    duration = int(h) * 3600 + int(m) * 60 + float(s)
    dialogue_end = pysrt.open(str(folder / "short.srt"))[-1].end.ordinal / 1000
    assert abs(duration - dialogue_end) <= 0.04 + 0.01  # one frame at 25 fps (+ container rounding)
    counted = subprocess.run([FFMPEG, "-i", str(video), "-map", "0:v", "-c", "copy", "-f", "null", "-"],
                             capture_output=True, text=True).stderr
    frames = int(re.findall(r"frame=\s*(\d+)", counted)[-1])
    assert frames == round(dialogue_end * 25)


def test_ffmpeg_decodes_it_with_no_error(rendered):
    folder, _ = rendered
    result = subprocess.run([FFMPEG, "-v", "error", "-i", str(folder / "short.preview.mp4"), "-f", "null", "-"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""


def test_a_frame_in_a_cue_differs_from_one_in_a_gap_in_the_subtitle_area(rendered):
    folder, _ = rendered
    video = folder / "short.preview.mp4"
    dialogue = pysrt.open(str(folder / "short.srt"))
    graphics = pysrt.open(str(folder / "short.supers.srt"))
    spans = [(c.start.ordinal, c.end.ordinal) for c in list(dialogue) + list(graphics)]
    # a gap: between two dialogue cues with no super or card up
    gap = next((a.end.ordinal + b.start.ordinal) / 2 for a, b in zip(dialogue, dialogue[1:], strict=False)
               if b.start.ordinal - a.end.ordinal >= 200
               and not any(s <= (a.end.ordinal + b.start.ordinal) / 2 <= e for s, e in spans))
    cue = dialogue[-1]  # the last line, after every super
    mid = (cue.start.ordinal + cue.end.ordinal) / 2
    assert not any(s <= mid <= e for s, e in ((c.start.ordinal, c.end.ordinal) for c in graphics))
    in_gap, in_cue = _frame(video, gap / 1000), _frame(video, mid / 1000)
    area_gap, area_cue = _rows(in_gap, 0.8, 1.0), _rows(in_cue, 0.8, 1.0)
    assert max(area_gap) - min(area_gap) < 16  # only the plain background
    assert sum(1 for a, b in zip(area_gap, area_cue, strict=False) if abs(a - b) > 60) > 40  # the subtitle's strokes
    # the name super (lower third, left) is up at the second speaker's first turn
    super_cue = next(c for c in graphics if c.text.startswith("李红梅"))
    at_super = _frame(video, (super_cue.start.ordinal + 500) / 1000)
    left = bytes(p for i, p in enumerate(_rows(at_super, 0.6, 0.85)) if i % W < W // 2)
    assert max(left) - min(left) > 100


def test_encoding_shows_progress(rendered):
    _, err = rendered
    percents = [int(p) for p in re.findall(r"video: (\d+)% ", err)]
    assert percents and percents[-1] == 100 and percents == sorted(percents)
    assert re.search(r"encoded at [\d.]+× real time", err)


def test_it_plays_and_seeks_in_chromium(rendered, chromium_page, tmp_path):
    folder, _ = rendered
    page_file = folder / "play.html"
    page_file.write_text('<!doctype html><video id="v" src="short.preview.mp4" preload="auto" muted></video>',
                         encoding="utf-8")
    chromium_page.goto(page_file.as_uri())
    assert chromium_page.evaluate("document.getElementById('v').canPlayType('video/mp4; codecs=\"avc1.64000d, mp4a.40.2\"')")
    chromium_page.wait_for_function("document.getElementById('v').readyState >= 2", timeout=15000)
    state = chromium_page.evaluate("""async () => {
        const v = document.getElementById('v');
        await new Promise((ok, bad) => { v.onseeked = ok; v.onerror = bad; v.currentTime = 8.5; });
        await v.play(); await new Promise(r => setTimeout(r, 300)); v.pause();
        return {w: v.videoWidth, h: v.videoHeight, d: v.duration, t: v.currentTime, err: v.error && v.error.code};
    }""")
    assert (state["w"], state["h"]) == (W, H) and state["err"] is None
    assert abs(state["d"] - _programme_end(folder)) < 1.5 and 8.5 <= state["t"] < 10
    assert chromium_page.console_errors == []


def test_no_chinese_font_stops_before_encoding(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fonts.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "", ""))
    from broadcaster.video import preview

    monkeypatch.setattr(preview, "encode", lambda *a, **k: pytest.fail("encoded without a font"))
    src = tmp_path / "short.txt"
    src.write_text(SHORT, encoding="utf-8")
    assert main(["render", str(src), "-o", str(tmp_path / "out"), "--video", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "no font with Chinese characters found" in err and "fonts-noto-cjk" in err and "--font" in err
    assert not (tmp_path / "out" / "short").exists()


def test_a_font_file_without_hanzi_is_refused(tmp_path, capsys):
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.exists():
        pytest.skip("DejaVu Sans not installed")
    src = tmp_path / "short.txt"
    src.write_text(SHORT, encoding="utf-8")
    assert main(["render", str(src), "-o", str(tmp_path / "out"), "--video", "--font", str(latin), "--quiet"]) == 2
    assert "has no Chinese characters" in capsys.readouterr().err


def test_fontconfig_finds_the_regional_cjk_face():
    assert fonts.find_font(script="zh-Hans").family == "Noto Sans CJK SC"
    assert fonts.find_font(script="zh-HK").family == "Noto Sans CJK HK"
    assert fonts.find_font(script="zh-Hant").family == "Noto Sans CJK TC"


def test_bad_video_size_is_a_usage_error(tmp_path, capsys):
    src = tmp_path / "short.txt"
    src.write_text(SHORT, encoding="utf-8")
    assert main(["render", str(src), "-o", str(tmp_path / "out"), "--video", "--video-size", "1281x720"]) == 2
    assert "--video-size" in capsys.readouterr().err


def _mean_volume(path: Path) -> float:
    out = subprocess.run([FFMPEG, "-i", str(path), "-vn", "-af", "volumedetect", "-f", "null", "-"],
                         capture_output=True, text=True).stderr
    return float(re.search(r"mean_volume: (-?[\d.]+) dB", out).group(1))


def test_the_rehearsal_audio_is_in_the_video_and_silence_without_it(rendered, tmp_path):
    folder, _ = rendered
    assert _mean_volume(folder / "short.preview.mp4") < -80  # no --audio: silence
    src = tmp_path / "short.txt"
    src.write_text(SHORT, encoding="utf-8")
    assert main(["render", str(src), "-o", str(tmp_path / "out"), "--audio", "--engine", "espeak", "--video",
                 "--video-size", f"{W}x{H}", "--quiet"]) == 0
    video, audio = tmp_path / "out" / "short" / "short.preview.mp4", tmp_path / "out" / "short" / "short.mp3"
    assert _mean_volume(video) > -40
    assert abs(_mean_volume(video) - _mean_volume(audio)) < 3  # the same speech, not another level
    dialogue_end = pysrt.open(str(tmp_path / "out" / "short" / "short.srt"))[-1].end.ordinal / 1000
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", _probe(video)).groups()
    assert abs(int(h) * 3600 + int(m) * 60 + float(s) - dialogue_end) <= 0.05


def test_a_studio_video_job_reports_how_far_the_encode_is(tmp_path, monkeypatch):
    """The studio's job page shows a percentage for the minutes a preview video takes, not just 'Rendering…'."""
    from broadcaster.read import parse_text
    from broadcaster.render import RenderOptions
    from broadcaster.studio import worker

    writes = []
    real = worker._write_json
    monkeypatch.setattr(worker, "_write_json", lambda path, data: (writes.append((path.name, data)), real(path, data)))
    options = RenderOptions(out_dir=tmp_path / "out", video=True, video_size=f"{W}x{H}", progress=False)
    result = worker.render(parse_text(SHORT, "short.txt"), options, str(tmp_path / "progress.json"),
                           str(tmp_path / "preview.json"))
    assert any(name.endswith(".preview.mp4") for name in result["files"])
    phases = [data for name, data in writes if name == "progress.json"]
    video = [p for p in phases if p["phase"] == "video"]
    assert video[0]["done"] == 0 and video[-1]["done"] == video[-1]["total"] > 10  # from 0 to the whole programme
    assert all(a["done"] < b["done"] for a, b in zip(video, video[1:], strict=False))  # forward, one write a step
    assert len(video) <= 102  # at most one write per percent
    assert phases[-1]["phase"] == "done"
