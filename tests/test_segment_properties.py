"""Property tests of the subtitle segmenter over generated transcripts.

Whatever the text, every cue obeys the profile (width, lines, reading speed,
duration, gap, frame boundaries, line-start/line-end rules), times only move
forward, and the cues give back every spoken character in order.
"""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadcaster.read import parse_text
from broadcaster.subtitles import PROFILES, build_track
from broadcaster.subtitles.profile import NO_LINE_END, NO_LINE_START
from broadcaster.timing import Rates, estimate

HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E00 + 400)
WORD = st.one_of(
    st.text(HANZI, min_size=1, max_size=10),
    st.sampled_from(["2022年", "30%", "7000万元", "CDMO", "16.5万", "iPhone", "开发区", "产业园", "😀", "👩‍👩‍👧"]),
)
PUNCT = st.sampled_from(["，", "。", "、", "？", "！", "；", "：", "…", "", "", "”", "》"])
CLAUSE = st.builds(lambda words, p: "".join(words) + p, st.lists(WORD, min_size=1, max_size=14), PUNCT)
PARAGRAPH = st.lists(CLAUSE, min_size=1, max_size=12).map("".join)
TURN = st.lists(PARAGRAPH, min_size=1, max_size=3)
TRANSCRIPT = st.lists(st.tuples(st.sampled_from(["主持人李薇", "开发区管委会副主任李大星"]), TURN), min_size=1, max_size=5)


def _episode(turns):
    body = []
    for label, paragraphs in turns:
        body.append(f"**{label}：**{paragraphs[0]}")
        body.extend(paragraphs[1:])
    return parse_text("《测试》专栏\n\n# 第一段\n\n" + "\n\n".join(body) + "\n")


def check_track(episode, track):
    frame = 1000 / track.profile.fps
    prev = None
    for cue in track.cues:
        # an English turn in a Chinese transcript is held to the English rules (width, lines, cps)
        profile = track.profile.for_language(episode.segments[cue.segment].turns[cue.turn].language)
        assert 1 <= len(cue.lines) <= profile.max_lines, cue
        for line in cue.lines:
            assert line and profile.width(line) <= profile.max_width, cue
            assert line[0] not in NO_LINE_START or line is cue.lines[0] and _paragraph_start(episode, cue), cue
            assert line[-1] not in NO_LINE_END, cue
            assert line == line.strip() and "  " not in line
        assert profile.min_ms <= cue.duration_ms <= profile.max_ms, cue
        cps = profile.reading_chars(cue.text) / (cue.duration_ms / 1000)
        assert cps <= profile.max_cps + 1e-6, (cue, cps)
        for t in (cue.start_ms, cue.end_ms):
            assert t == round(round(t / frame) * frame), cue  # a frame boundary, to the millisecond
        if prev is not None:
            assert round((cue.start_ms - prev.end_ms) / frame) >= profile.min_gap_frames, (prev, cue)
        prev = cue
    _check_conservation(episode, track)


def _paragraph_start(episode, cue):
    turn = episode.segments[cue.segment].turns[cue.turn]
    return any(p.speech.startswith(cue.source[:1]) for p in turn.paragraphs)


def _check_conservation(episode, track):
    profile = track.profile
    by_turn = {}
    for cue in track.cues:
        by_turn.setdefault((cue.segment, cue.turn), []).append(cue)
        # what is shown is the source with only the profile's punctuation blanked
        squash = lambda s: "".join(c for c in s if c not in profile.blank_punct and not c.isspace())
        assert squash(cue.text) == squash(cue.source), cue
    shown_segments = {cue.segment for cue in track.cues}  # a per-segment track holds one
    for s_index, seg in enumerate(episode.segments):
        if s_index not in shown_segments:
            continue
        for t_index, turn in enumerate(seg.turns):
            spoken = "".join(p.speech for p in turn.paragraphs)
            got = "".join(c.source for c in by_turn.get((s_index, t_index), []))
            assert got == spoken


# examples from the hypothesis profile: 2,000 in CI (tests/conftest.py)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TRANSCRIPT)
def test_one_line_chinese_cues_obey_every_limit_and_conserve_text(turns):
    episode = _episode(turns)
    timeline = estimate(episode)
    check_track(episode, build_track(timeline, PROFILES["zh-Hans"]))
    check_track(episode, build_track(timeline, PROFILES["zh-Hans"], 0))


@settings(settings.default, max_examples=max(50, settings.default.max_examples // 2), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(TRANSCRIPT, st.sampled_from([24, 25, 29.97, 30, 50]), st.floats(2.0, 9.0))
def test_two_line_layout_other_frame_rates_and_rates(turns, fps, rate):
    episode = _episode(turns)
    timeline = estimate(episode, Rates({"host": rate, "guest": rate, "narrator": rate}))
    profile = PROFILES["zh-Hans"].with_options(max_lines=2, fps=fps)
    check_track(episode, build_track(timeline, profile))


ENGLISH_WORD = st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True)
ENGLISH = st.lists(st.builds(lambda ws, p: " ".join(ws) + p, st.lists(ENGLISH_WORD, min_size=1, max_size=15),
                             st.sampled_from([".", ",", "?", "!", "", "..."])), min_size=1, max_size=10).map(" ".join)


@settings(settings.default, max_examples=max(50, settings.default.max_examples // 2), deadline=None)
@given(ENGLISH)
def test_english_profile_breaks_between_words(text):
    episode = parse_text(f"**JANE DOE, HOST:** {text}\n")
    timeline = estimate(episode)
    track = build_track(timeline, PROFILES["en"])
    check_track(episode, track)
    words = set(text.replace(".", " ").replace(",", " ").replace("?", " ").replace("!", " ").split())
    for cue in track.cues:
        for line in cue.lines:
            for w in line.replace(".", " ").replace(",", " ").replace("?", " ").replace("!", " ").split():
                assert w in words, (w, line)  # no word was cut in two


def test_three_hundred_characters_without_punctuation_still_split_within_limits():
    text = "我们将紧扣城市烟火气这个主题打造特色品牌繁荣发展夜间经济充分发挥大润发吉品一条街八大批发市场这些商圈优势的资源" * 6
    episode = parse_text(f"**主持人李薇：**{text[:300]}\n")
    track = build_track(estimate(episode), PROFILES["zh-Hans"])
    check_track(episode, track)
    assert len(track.cues) >= 300 / 16


def test_words_are_not_split_when_a_break_between_words_fits():
    text = "枣庄经济开发区管委会副主任李大星枣庄经济开发区产业园建设项目"
    episode = parse_text(f"**主持人李薇：**{text}\n")
    track = build_track(estimate(episode), PROFILES["zh-Hans"])
    for cue in track.cues:
        line = cue.lines[0]
        assert not line.endswith(("开发", "产业")), line
