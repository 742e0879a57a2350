"""The character-rate timeline every renderer reads."""
from broadcaster.read import parse_text
from broadcaster.timing import SEGMENT_GAP_MS, TURN_PAUSE_MS, Rates, estimate, split_phrases

TEXT = """《测试》专栏

# 一

**主持人李薇：**观众朋友们大家好。今天是2022年！

**某局局长王刚：**谢谢主持人，我们完成了30%的任务。

# 二

**主持人李薇：**再见。
"""


def test_phrases_split_at_punctuation_and_join_back_exactly():
    text = "当前，开发区处于较好的发展阶段，已形成了“非常清晰”的主导。好的！16.5万, yes. OK"
    parts = split_phrases(text)
    assert "".join(parts) == text
    assert parts[:3] == ["当前，", "开发区处于较好的发展阶段，", "已形成了“非常清晰”的主导。"]
    assert "16.5万, " in parts  # a decimal point is not a clause end


def test_each_speaker_speaks_at_their_rate_in_spoken_syllables():
    ep = parse_text(TEXT)
    tl = estimate(ep, Rates({"host": 5.0, "guest": 2.5, "narrator": 5.0}))
    host = tl.segments[0].turns[0]
    # 观众朋友们大家好 (8) + 今天是二零二二年 (8): 16 syllables at 5/s
    speech = sum(p.end_ms - p.start_ms for p in host.phrases)
    assert speech == 16 * 200
    guest = tl.segments[0].turns[1]
    assert sum(p.syllables for p in guest.phrases) == 18  # 谢谢主持人 我们完成了 百分之三十 的任务
    assert sum(p.end_ms - p.start_ms for p in guest.phrases) == 18 * 400


def test_pauses_between_phrases_turns_and_segments():
    ep = parse_text(TEXT)
    tl = estimate(ep)
    first, second = tl.segments[0].turns
    assert first.phrases[1].start_ms == first.phrases[0].end_ms + first.phrases[0].pause_ms > first.phrases[0].end_ms
    assert second.start_ms == first.end_ms + TURN_PAUSE_MS
    assert tl.segments[1].start_ms == tl.segments[0].end_ms + SEGMENT_GAP_MS
    assert tl.total_ms == tl.segments[1].end_ms


def test_per_speaker_rate_overrides_the_role_rate():
    ep = parse_text(TEXT)
    base = estimate(ep)
    slower = estimate(ep, Rates(by_speaker={"某局局长王刚": 2.0}))
    assert slower.segments[0].turns[0].end_ms == base.segments[0].turns[0].end_ms
    assert slower.segments[0].turns[1].end_ms > base.segments[0].turns[1].end_ms
