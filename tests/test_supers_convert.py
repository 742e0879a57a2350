"""Name supers, title cards and Traditional-character delivery, read back by real parsers."""
import os
from pathlib import Path

import pysrt
import pysubs2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadcaster.cli import main
from broadcaster.convert import convert, converter
from broadcaster.read import parse_file, parse_text
from broadcaster.programme import build
from broadcaster.render import RenderOptions, plan
from broadcaster.subtitles import PROFILES, build_track
from broadcaster.subtitles.qc import check_track as qc_track
from broadcaster.subtitles.supers import CARD, build_supers
from broadcaster.timing import estimate
from conftest import CORPUS_FILES, EXAMPLE, need_shared
from test_segment_properties import TRANSCRIPT, _episode, check_track

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = bool(os.environ.get("BROADCASTER_REGOLD"))


def _render(path, out_dir, *extra):
    assert main(["render", str(path), "-o", str(out_dir), "--quiet", *extra]) == 0
    return out_dir / Path(path).stem


def _first_turns(episode, timeline):
    """(segment, speaker key) → the first turn with speech."""
    out = {}
    for tseg in timeline.segments:
        for t in tseg.turns:
            if t.phrases:
                out.setdefault((tseg.index, t.speaker), t)
    return out


def test_supers_name_each_person_at_their_first_turn_in_each_segment(column_path):
    episode = parse_file(column_path)
    timeline = estimate(episode)
    track = build_supers(episode, timeline, PROFILES["zh-Hans"], "first")
    firsts = _first_turns(episode, timeline)
    assert [(c.segment, c.speaker) for c in track.cues] == list(firsts)
    for cue in track.cues:
        turn = firsts[(cue.segment, cue.speaker)]
        assert cue.start_ms == round(turn.start_ms / 40) * 40  # at the turn's first frame
        assert turn.start_ms - 20 <= cue.start_ms <= turn.end_ms
        assert cue.duration_ms == 4000  # the column's turns are long: never cut short
    by_name = {c.lines[0]: c.lines for c in track.cues}
    assert by_name["李大星"] == ("李大星", "枣庄经济开发区管委会副主任")
    assert by_name["李薇"] == ("李薇", "主持人")
    report = qc_track("supers", track)
    assert report.violations == ()


def test_every_turn_mode_and_cards_never_overlap_and_obey_the_profile():
    episode = parse_file(EXAMPLE)
    timeline = estimate(episode)
    track = build_supers(episode, timeline, PROFILES["zh-Hans"], "every", cards=True, duration_ms=5000)
    cards = [c for c in track.cues if c.turn == CARD]
    assert [c.lines for c in cards] == [("老旧小区改造", "让居民住得更舒心"), ("社区食堂开张", "老人吃饭不再难")]
    assert [c.start_ms for c in cards] == [round(s.start_ms / 40) * 40 for s in timeline.segments]
    supers = [c for c in track.cues if c.turn != CARD]
    assert len(supers) == sum(1 for t in timeline.turns() if t.phrases)
    assert qc_track("supers", track).violations == ()
    for a, b in zip(track.cues, track.cues[1:], strict=False):
        assert b.start_ms - a.end_ms >= 80  # two frames at 25 fps
    for cue in supers:  # each super is up while its own speaker talks
        turn = timeline.segments[cue.segment].turns[cue.turn]
        assert cue.start_ms <= turn.end_ms


def test_a_super_that_cannot_be_up_during_a_short_turn_waits_for_the_next_turn():
    episode = parse_text("《测试》专栏\n\n# 第一段\n\n**主持人李薇：**好。\n\n**开发区管委会副主任李大星：**"
                         + "我们今年计划改造老旧小区四十二个，涉及居民七千多户。" * 3
                         + "\n\n**主持人李薇：**谢谢您的介绍，我们下期再见。\n")
    timeline = estimate(episode)
    track = build_supers(episode, timeline, PROFILES["zh-Hans"], "first", cards=True)
    assert [(c.turn, c.lines[0]) for c in track.cues] == [(CARD, "第一段"), (1, "李大星"), (2, "李薇")]


def test_render_writes_supers_in_every_format_with_a_lower_third_ass(out_dir):
    folder = _render(EXAMPLE, out_dir, "--supers", "--cards", "--formats", "srt,vtt,ass")
    srt = pysrt.open(str(folder / "column_demo.supers.srt"))
    assert srt[0].text == "老旧小区改造\n让居民住得更舒心" and srt[1].text == "陈静\n主持人"
    assert (folder / "column_demo.supers.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    ass = pysubs2.load(str(folder / "column_demo.supers.ass"))
    assert ass.styles["super-name"].fontsize > ass.styles["super-title"].fontsize
    assert ass.styles["super-name"].alignment == pysubs2.Alignment.BOTTOM_LEFT
    assert ass.styles["card"].alignment == pysubs2.Alignment.MIDDLE_CENTER
    names = [e for e in ass.events if e.style == "super-name"]
    assert names[1].plaintext == "赵国华\n青山区住房和城乡建设局副局长"
    assert "{\\rsuper-title}" in names[1].text
    assert "0 violations" in (folder / "column_demo.supers.qc.md").read_text(encoding="utf-8").replace(
        "## Violations: 0", "0 violations")
    for name in ("column_demo.supers.srt", "column_demo.supers.ass"):
        got = (folder / name).read_text(encoding="utf-8")
        if REGENERATE or not (GOLDEN / name).exists():
            (GOLDEN / name).write_text(got, encoding="utf-8")
        assert got == (GOLDEN / name).read_text(encoding="utf-8"), f"{name} differs from tests/golden"


def test_no_supers_files_unless_asked(out_dir):
    folder = _render(EXAMPLE, out_dir, "--formats", "srt,ass")
    assert not list(folder.glob("*supers*"))


def test_bad_supers_and_convert_values_are_usage_errors(capsys):
    assert main(["render", str(EXAMPLE), "--supers", "sometimes", "-o", "/tmp/never"]) == 2
    assert main(["render", str(EXAMPLE), "--convert", "s2x", "-o", "/tmp/never"]) == 2
    assert main(["render", str(EXAMPLE), "--supers-duration", "30", "-o", "/tmp/never"]) == 2


# -- conversion ----------------------------------------------------------------
def test_each_option_uses_its_opencc_phrase_table():
    assert converter("s2t")("发展软件") == "發展軟件"
    assert converter("s2hk")("里面") == "裏面"
    assert converter("s2tw")("软件和鼠标") == "軟體和滑鼠"  # s2twp: Taiwanese phrases
    assert converter("t2s")("發展軟體") == "发展软体"


def test_s2hk_render_converts_subtitles_supers_cue_list_prompter_and_names(column_path, out_dir):
    folder = _render(column_path, out_dir, "--supers", "first", "--cards", "--formats", "srt,ass", "--convert", "s2hk")
    stem = "000_acc2b6e70409d00d"
    # file names stay the transcript's own, so they match the audio and earlier renders
    assert (folder / f"{stem}.01-深化体制机制改革 全面激发开发区发展能级.srt").exists()
    programme = (folder / f"{stem}.srt").read_text(encoding="utf-8")
    assert "發展" in programme and "发展" not in programme
    supers = pysrt.open(str(folder / f"{stem}.supers.srt"))
    assert supers[0].text == "深化體制機制改革\n全面激發開發區發展能級"
    assert "李大星\n棗莊經濟開發區管委會副主任" in [s.text for s in supers]
    prompter = (folder / f"{stem}.prompter.txt").read_text(encoding="utf-8")
    assert prompter.startswith("《幹部作風建設提升》專欄") and "李大星（棗莊經濟開發區管委會副主任）" in prompter
    cues = (folder / f"{stem}.cues.txt").read_text(encoding="utf-8")
    assert "開發區" in cues and "开发区" not in cues
    html = (folder / f"{stem}.prompter.html").read_text(encoding="utf-8")
    assert "棗莊經濟開發區" in html and '<html lang="zh-HK">' in html  # Hong Kong glyph forms in the browser
    qc = (folder / f"{stem}.qc.md").read_text(encoding="utf-8")
    assert "Profile zh-Hant" in qc and "## Violations: 0" in qc
    assert "Noto Sans CJK TC" in (folder / f"{stem}.ass").read_text(encoding="utf-8")


def test_s2tw_uses_taiwan_phrases_and_converts_speaker_labels(out_dir):
    episode = parse_text("《软件》专栏\n\n# 软件发展\n\n**软件园主任张发：**我们的软件发展很快，鼠标也是自己做的。\n",
                         source="tw.txt")
    options = RenderOptions(convert="s2tw", supers="first", cards=True)
    files = plan(build(episode, estimate(episode), options)).files
    srt = files["tw.srt"].decode()
    assert "軟體發展很快" in srt and "滑鼠" in srt
    assert "張發\n軟體園主任" in files["tw.supers.srt"].decode()
    assert "張發" in files["tw.prompter.txt"].decode()


@pytest.mark.parametrize("path", [EXAMPLE, *CORPUS_FILES], ids=lambda p: p.name)
def test_converted_tracks_keep_every_character_and_obey_the_profile(path):
    episode = parse_file(need_shared(path))
    profile = PROFILES["zh-Hant"] if episode.language.startswith("zh") else PROFILES["en"]
    for option in ("s2hk", "s2tw"):
        conv_episode, conv_timeline = convert(episode, estimate(episode), option)
        check_track(conv_episode, build_track(conv_timeline, profile))


@settings(max_examples=100, deadline=None)
@given(TRANSCRIPT, st.sampled_from(["s2t", "s2hk", "s2tw"]), st.sampled_from([25, 29.97, 50]),
       st.sampled_from(["first", "every"]), st.integers(2000, 7000))
def test_conversion_round_trips_through_tracks(turns, option, fps, mode, duration):
    episode = _episode(turns)
    conv_episode, conv_timeline = convert(episode, estimate(episode), option)
    profile = PROFILES["zh-Hant"].with_options(fps=fps)
    track = build_track(conv_timeline, profile)
    check_track(conv_episode, track)
    supers = build_supers(conv_episode, conv_timeline, profile, mode, cards=True, duration_ms=duration)
    assert qc_track("s", supers).violations == ()
    for cue in supers.cues:  # each super is up while its speaker talks
        if cue.turn != CARD:
            assert cue.start_ms <= conv_timeline.segments[cue.segment].turns[cue.turn].end_ms


def test_each_segment_gets_its_supers_timed_as_it_airs_on_its_own(out_dir):
    folder = _render(EXAMPLE, out_dir, "--supers", "--cards")
    episode = parse_file(EXAMPLE)
    timeline = estimate(episode)
    programme = pysrt.open(str(folder / "column_demo.supers.srt"))
    for index, seg in enumerate(timeline.segments):
        name = f"column_demo.{index + 1:02d}-{seg.title}.supers.srt"
        piece = pysrt.open(str(folder / name))
        ours = [c for c in programme if seg.start_ms - 40 <= c.start.ordinal <= seg.end_ms]
        assert [c.text for c in piece] == [c.text for c in ours]
        assert piece[0].start.ordinal == 0 and piece[0].text == "\n".join(seg.title.split())  # the card opens it
        for a, b in zip(piece, ours, strict=False):
            assert abs(a.start.ordinal - (b.start.ordinal - seg.start_ms)) <= 40  # within a frame
        assert "## Violations: 0" in (folder / name.replace(".srt", ".qc.md")).read_text(encoding="utf-8")
