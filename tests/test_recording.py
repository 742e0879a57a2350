"""--recording: the script aligned to a recording it did not make (another espeak voice and
variant, rates ±25% per sentence, pauses 0.2–1.5 s, pink noise at 20 dB SNR, a music bed),
with ground truth from the synthesis events (scripts/make_test_recording.py)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from broadcaster.cli import main
from broadcaster.programme import tracks
from broadcaster.render import RenderOptions, render_file

ROOT = Path(__file__).resolve().parent.parent

SHORT = """《城市观察》

# 老街新生

**主持人王悦：**各位观众大家好，欢迎收看今天的节目。今天我们来到老城区的文化街，看看这里一年来的变化。

**街道办事处主任陈立：**谢谢。去年我们改造了十二条背街小巷，铺了新路面，装了路灯。居民晚上出门方便多了。

**主持人王悦：**改造的时候，居民们有什么意见吗？

**街道办事处主任陈立：**一开始有人担心施工太吵，我们就把工期排在白天，每周开一次说明会，听取大家的建议。

**主持人王悦：**下一步还有什么打算？

**街道办事处主任陈立：**今年我们准备建两个口袋公园，再增加一百个停车位，让老街既有烟火气，也有新面貌。

**主持人王悦：**好的，感谢陈主任。观众朋友们，我们下期再见。
"""


def _maker():
    spec = importlib.util.spec_from_file_location("make_test_recording", ROOT / "scripts" / "make_test_recording.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def maker():
    return _maker()


@pytest.fixture(scope="module")
def short_script(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("script") / "street.txt"
    path.write_text(SHORT, encoding="utf-8")
    return path


def _render(script: Path, wav: Path, out: Path, **kw):
    options = RenderOptions(out_dir=out, recordings=(str(wav),), progress=False, **kw)
    result = render_file(script, options)
    programme = tracks(result.episode, result.timeline, options)[0][1]
    return result, programme


def _assert_targets(stats):
    assert stats["median_ms"] <= 40, stats
    assert stats["p95_ms"] <= 150, stats
    assert stats["turn_max_ms"] <= 300, stats


def test_clean_recording_times_every_cue_to_the_speech(maker, short_script, tmp_path):
    wav = tmp_path / "street.wav"
    truth = maker.make(short_script, wav, seed=3)
    result, programme = _render(short_script, wav, tmp_path / "out")
    stats = maker.evaluate(programme, truth)
    assert stats["cues"] == len(programme.cues) >= 12
    _assert_targets(stats)
    assert result.timeline.source == "recording"
    assert not result.alignment.findings
    folder = result.folder
    report = (folder / "street.align.md").read_text(encoding="utf-8")
    assert "No findings" in report
    # the programme SRT is in recording time; the segment's SRT starts at 0; QC passes
    import srt

    cues = list(srt.parse((folder / "street.srt").read_text(encoding="utf-8")))
    assert [round(c.start.total_seconds() * 1000) for c in cues] == [c.start_ms for c in programme.cues]
    seg = next(p for p in folder.glob("street.01-*.srt"))
    first = next(srt.parse(seg.read_text(encoding="utf-8")))
    assert first.start.total_seconds() == 0
    assert all(not r.violations for r in result.qc), [r.violations for r in result.qc]


def test_cli_recording_with_lead_in_and_channel(maker, short_script, tmp_path, capsys):
    wav = tmp_path / "lead.wav"
    truth = maker.make(short_script, wav, lead_in=30.0, seed=5, rate=44100, channels=2, speech_channel=2)
    out = tmp_path / "out"
    code = main(["render", str(short_script), "--recording", str(wav), "--channel", "2", "-o", str(out), "--quiet"])
    assert code == 0
    import srt

    starts = [round(c.start.total_seconds() * 1000) for c in
              srt.parse((out / "street" / "street.srt").read_text(encoding="utf-8"))]
    first_truth = truth["turns"][0]["start_ms"]
    assert first_truth >= 30000
    assert abs(starts[0] - first_truth) <= 300
    json.dumps(truth)


def test_faults_are_reported_with_their_turns_and_strict_exits_1(maker, short_script, tmp_path, capsys):
    """A turn cut from the recording, an unscripted sentence, two turns in the other order,
    behind a 30 s music lead-in: each reported with its turn; the other cues stay on their speech."""
    wav = tmp_path / "faults.wav"
    truth = maker.make(short_script, wav, lead_in=30.0, missing=2, ad_lib=4, swap=5, seed=7)
    result, programme = _render(short_script, wav, tmp_path / "out")
    found = {(f.kind, f.segment, f.turn) for f in result.alignment.findings}
    for fault in truth["faults"]:
        if fault["kind"] == "order":  # either of the two may be the one found out of place
            pair = {(0, fault["turn"]), (0, fault["other"]["turn"])}
            assert any(k == "order" and (s, t) in pair for k, s, t in found), (fault, found)
        else:
            assert (fault["kind"], fault["segment"], fault["turn"]) in found, (fault, found)
    assert len(result.alignment.findings) == 3, result.alignment.findings
    cut = next(f for f in truth["faults"] if f["kind"] == "missing")
    assert not [c for c in programme.cues if c.turn == cut["turn"]]  # no cues for the cut turn
    stats = maker.evaluate(programme, truth)
    _assert_targets(stats)
    report = (result.folder / "street.align.md").read_text(encoding="utf-8")
    assert "missing from the recording" in report and "ad-lib" in report and "out of order" in report
    assert "下一步还有什么打算" in report or "改造的时候" in report  # the expected text of a turn
    rundown = (result.folder / "street.rundown.md").read_text(encoding="utf-8")
    # the cut turn and the one recorded out of order: no time, and the rundown says so (not 0:00)
    assert rundown.count("| not timed: see the .align.md report |") == len(result.alignment.absent) == 2
    code = main(["render", str(short_script), "--recording", str(wav), "--strict", "-o", str(tmp_path / "s")])
    assert code == 1
    err = capsys.readouterr()
    assert "missing from the recording" in err.out and "--strict" in err.err


TWO_SEGMENTS = """《城市观察》

# 老街新生

**主持人王悦：**各位观众大家好，今天我们来到老城区的文化街，看看这里一年来的变化。

**街道办事处主任陈立：**去年我们改造了十二条背街小巷，铺了新路面，装了路灯，居民晚上出门方便多了。

# 口袋公园

**主持人王悦：**听说今年还要建口袋公园？

**街道办事处主任陈立：**对，我们准备建两个口袋公园，再增加一百个停车位，让老街既有烟火气，也有新面貌。
"""


def test_one_recording_per_segment(maker, tmp_path):
    script = tmp_path / "two.txt"
    script.write_text(TWO_SEGMENTS, encoding="utf-8")
    first, second = tmp_path / "seg1.wav", tmp_path / "seg2.wav"
    truth1 = maker.make(script, first, segment=1, seed=21)
    truth2 = maker.make(script, second, segment=2, seed=22, lead_in=3.0)
    options = RenderOptions(out_dir=tmp_path / "out", recordings=(str(first), str(second)), progress=False)
    result = render_file(script, options)
    made = tracks(result.episode, result.timeline, options)
    programme, seg1, seg2 = (t for _, t in made)
    offset = round(truth1["duration_s"] * 1000)
    # the programme track: the files end to end; a segment's track: times in its own file
    assert abs(seg2.cues[0].start_ms - truth2["turns"][0]["start_ms"]) <= 300
    assert abs(programme.cues[len(seg1.cues)].start_ms - (offset + truth2["turns"][0]["start_ms"])) <= 300
    assert abs(seg1.cues[0].start_ms - truth1["turns"][0]["start_ms"]) <= 300
    assert not result.alignment.findings


def test_bad_recordings_are_refused_with_the_file(short_script, tmp_path, capsys):
    not_media = tmp_path / "notes.wav"
    not_media.write_text("not audio at all", encoding="utf-8")
    code = main(["render", str(short_script), "--recording", str(not_media), "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and f"{not_media}:1:" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "street").exists()  # nothing half written
    code = main(["render", str(short_script), "--recording", str(not_media), "--recording", str(not_media),
                 "-o", str(tmp_path / "o")])
    assert code == 2 and "one per segment" in capsys.readouterr().err
    code = main(["render", str(short_script), "--channel", "2", "-o", str(tmp_path / "o")])
    assert code == 2


def test_a_much_slower_speaker_is_still_followed(maker, short_script, tmp_path):
    """Read at about 0.7 of the reference's pace (±25% per sentence around that): the reference is
    stretched to the recording's speech time first, so nothing is taken for cut or unscripted."""
    wav = tmp_path / "slow.wav"
    truth = maker.make(short_script, wav, seed=9, base_rate=130)
    result, programme = _render(short_script, wav, tmp_path / "out")
    assert not result.alignment.findings, result.alignment.findings
    _assert_targets(maker.evaluate(programme, truth))
