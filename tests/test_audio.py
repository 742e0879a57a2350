"""Rehearsal audio for real: the offline engine, the edge-tts protocol on loopback, the cache."""
import asyncio
import subprocess
import time

import pysrt
import pytest

from broadcaster.speech import edge, espeak
from broadcaster.speech.clip import Voice
from broadcaster.cli import main
from broadcaster.errors import SynthesisError
from conftest import EXAMPLE
from edge_loopback import running

VOICE = Voice("t", "host", "zh-CN-XiaoxiaoNeural", espeak_voice="cmn", espeak_rate=196)


def _audio_ms(path) -> float:
    import imageio_ffmpeg

    pcm = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", "8000", "-"], capture_output=True, check=True).stdout
    return len(pcm) / 2 / 8000 * 1000


def test_espeak_speaks_mandarin_and_english_with_word_times():
    zh = espeak.synthesize("观众朋友们大家好，二零二二年。", "cmn", 196)
    en = espeak.synthesize("Hello and welcome to the show.", "en", 160)
    for clip in (zh, en):
        assert clip.duration_ms > 1000 and clip.sample_rate == 22050
        times = [b.offset_ms for b in clip.boundaries if b.kind == "word"]
        assert times == sorted(times) and len(times) >= 5
    slower = espeak.synthesize("观众朋友们大家好，二零二二年。", "cmn", 120)
    assert slower.duration_ms > zh.duration_ms * 1.3


def test_render_with_offline_audio_matches_its_subtitles_and_caches(out_dir, capsys):
    args = ["render", str(EXAMPLE), "-o", str(out_dir), "--audio", "--engine", "espeak"]
    assert main(args) == 0
    first = capsys.readouterr().err
    assert "12 clips synthesized, 0 from cache" in first
    folder = out_dir / "column_demo"
    for name in ("column_demo", "column_demo.01-老旧小区改造 让居民住得更舒心", "column_demo.02-社区食堂开张 老人吃饭不再难"):
        last_end = pysrt.open(str(folder / f"{name}.srt"), error_handling=pysrt.ERROR_RAISE)[-1].end.ordinal
        assert abs(_audio_ms(folder / f"{name}.mp3") - last_end) <= 80  # within 2 frames
    assert "times from audio:espeak" in (folder / "column_demo.prompter.txt").read_text(encoding="utf-8")
    assert main(args) == 0
    assert "0 clips synthesized, 12 from cache" in capsys.readouterr().err


def test_editing_one_turn_synthesizes_only_that_turn(out_dir, tmp_path, capsys):
    edited = tmp_path / "column_demo.txt"
    text = EXAMPLE.read_text(encoding="utf-8")
    edited.write_text(text, encoding="utf-8")
    assert main(["render", str(edited), "-o", str(out_dir), "--audio", "--engine", "espeak", "--quiet"]) == 0
    edited.write_text(text.replace("谢谢李书记。", "谢谢李书记，辛苦了。"), encoding="utf-8")
    assert main(["render", str(edited), "-o", str(out_dir), "--audio", "--engine", "espeak"]) == 0
    assert "1 clips synthesized, 11 from cache" in capsys.readouterr().err


def test_host_and_guest_sit_at_one_loudness(out_dir):
    import numpy as np

    from broadcaster.audio.assemble import normalise, speech_level_dbfs
    quiet = espeak.synthesize("观众朋友们大家好。", "cmn", 196)
    loud = espeak.synthesize("谢谢主持人，我们完成了任务。", "cmn", 186)
    quiet = type(quiet)((np.frombuffer(quiet.pcm, "<i2") // 8).astype("<i2").tobytes(), quiet.sample_rate)
    gains = normalise({"host": [quiet], "guest": [loud]})
    level = lambda c: speech_level_dbfs(np.frombuffer(c.pcm, "<i2").astype(np.float64) * gains[id(c)])
    assert abs(level(quiet) - level(loud)) < 1.0
    assert abs(level(loud) - (-20.0)) < 1.0


def test_edge_engine_against_a_loopback_server_speaking_its_protocol():
    with running("normal") as server:
        clip = asyncio.run(edge.synthesize("观众朋友们大家好，欢迎收看。", VOICE, "turn 1"))
    assert server.requests == 1
    assert clip.sample_rate == 24000 and clip.duration_ms > 1000
    words = [b for b in clip.boundaries if b.kind == "word"]
    assert words and words[0].offset_ms >= 100 and [b.offset_ms for b in words] == sorted(b.offset_ms for b in words)


@pytest.mark.parametrize("mode", ["drop", "403", "empty"])
def test_edge_failures_retry_then_fail_clearly(mode):
    with running(mode) as server:
        started = time.monotonic()
        with pytest.raises(SynthesisError) as info:
            asyncio.run(edge.synthesize("你好。", VOICE, "segment 1 turn 2 (李薇, line 9)", backoff=0.05))
        took = time.monotonic() - started
    assert "segment 1 turn 2 (李薇, line 9)" in str(info.value) and "after 3 tries" in str(info.value)
    assert server.requests >= 3  # retried (a 403 is also retried once inside edge-tts)
    assert took < 10


def test_silent_service_times_out_instead_of_hanging():
    with running("silent"):
        with pytest.raises(SynthesisError):
            asyncio.run(edge.synthesize("你好。", VOICE, "turn", timeout=1, retries=2, backoff=0.01))


def test_render_through_the_edge_engine(out_dir, capsys):
    with running("normal") as server:
        assert main(["render", str(EXAMPLE), "-o", str(out_dir), "--audio", "--engine", "auto"]) == 0
    err = capsys.readouterr().err
    assert "using edge (the edge-tts service answered)" in err
    assert server.requests == 13  # the probe, then one request per turn
    folder = out_dir / "column_demo"
    last_end = pysrt.open(str(folder / "column_demo.srt"))[-1].end.ordinal
    assert abs(_audio_ms(folder / "column_demo.mp3") - last_end) <= 80


def test_auto_falls_back_to_espeak_fast_when_the_service_is_unreachable(out_dir, capsys, monkeypatch):
    import edge_tts.communicate

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", "ws://127.0.0.1:9/edge/v1?TrustedClientToken=x")
    started = time.monotonic()
    ok, why = asyncio.run(edge.reachable())
    assert not ok and time.monotonic() - started < 3
    assert main(["render", str(EXAMPLE), "-o", str(out_dir), "--audio", "--quiet"]) == 0
    assert "using espeak (the edge-tts service cannot be reached" in capsys.readouterr().err


def test_dropped_connection_midway_keeps_finished_clips_and_the_rerun_does_the_rest(out_dir, capsys):
    args = ["render", str(EXAMPLE), "-o", str(out_dir), "--audio", "--engine", "edge"]
    with running("normal", fail_after=5):
        assert main(args) == 2
    err = capsys.readouterr().err
    assert "edge-tts failed for segment" in err and "after 3 tries" in err
    assert not (out_dir / "column_demo").exists() or not list((out_dir / "column_demo").glob("*.mp3"))
    with running("normal") as server:
        assert main(args) == 0
    assert "12 from cache" not in capsys.readouterr().err
    assert server.requests < 12  # only the clips that had not been made


def test_voices_command_shows_the_cast_with_different_guest_voices(capsys):
    assert main(["voices", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    guests = [line for line in out.splitlines() if "(guest)" in line]
    assert len(guests) == 2 and guests[0].split("edge ")[1].split()[0] != guests[1].split("edge ")[1].split()[0]


@pytest.mark.parametrize("body, key", [
    ('[roles.host]\nedge_rate = "fast"\n[roles.guest]\n', "roles.host.edge_rate"),
    ('[roles.host]\nespeak_rate = 5\n[roles.guest]\n', "roles.host.espeak_rate"),
    ('[roles.host]\n[roles.guest]\nvoice_colour = "red"\n', "roles.guest.voice_colour"),
    ('[roles.host]\n', "roles"),
    ('[roles.host\n', "not valid TOML"),
])
def test_bad_voice_profiles_name_the_file_and_key(tmp_path, capsys, body, key):
    bad = tmp_path / "voices.toml"
    bad.write_text(body, encoding="utf-8")
    assert main(["voices", str(EXAMPLE), "--voices", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:") and key in err and "Traceback" not in err


def test_cache_folder_is_configurable(out_dir, tmp_path):
    cache = tmp_path / "my-cache"
    assert main(["render", str(EXAMPLE), "-o", str(out_dir), "--audio", "--engine", "espeak", "--quiet",
                 "--cache-dir", str(cache)]) == 0
    assert len(list(cache.rglob("*.clip"))) == 12
