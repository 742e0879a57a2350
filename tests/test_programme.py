"""The programme is built once: one cut per track, one conversion, whatever the renderers."""
from __future__ import annotations

import sys
from collections import Counter

import pytest

import broadcaster.audio.rehearsal  # noqa: F401  (loaded before counting: every module that could cut)
import broadcaster.studio.worker  # noqa: F401
import broadcaster.timing.recording.report  # noqa: F401
import broadcaster.timing.synthesized  # noqa: F401
import broadcaster.video.preview  # noqa: F401
from broadcaster import convert as convert_module
from broadcaster.read import parse_text
from broadcaster.render import RenderOptions, render_episode
from broadcaster.subtitles import segment, supers

TWO_SEGMENTS = """《测试》专栏

# 社区食堂开张

记者 孙悦

**主持人周明：**社区食堂开张以后，附近的老人吃饭方便了很多。

**幸福里社区党委书记李红梅：**我们的食堂每天供应午餐和晚餐，六十岁以上的老人可以享受八折优惠。

# 老旧小区改造

**主持人周明：**今年的老旧小区改造进展如何？

**区住建局局长王强：**今年计划改造老旧小区四十二个。
"""


def _count(monkeypatch, module, name: str, counter: Counter, key) -> None:
    """Wrap `module.name`, and every broadcaster module's binding of it, counting calls by key(*args)."""
    original = getattr(module, name)

    def counted(*args, **kwargs):
        counter[key(*args, **kwargs)] += 1
        return original(*args, **kwargs)

    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith("broadcaster") and getattr(mod, name, None) is original:
            monkeypatch.setattr(mod, name, counted)


@pytest.fixture
def cuts(monkeypatch):
    """Counters of dialogue cuts and supers placements by segment (None: the programme), and of conversions."""
    dialogue: Counter = Counter()
    graphics: Counter = Counter()
    conversions: Counter = Counter()
    _count(monkeypatch, segment, "build_track", dialogue,
           lambda timeline, profile, seg=None, *a, **k: seg)
    _count(monkeypatch, supers, "build_supers", graphics,
           lambda episode, timeline, profile, mode="first", cards=False, duration=0, end=None, seg=None: seg)
    _count(monkeypatch, convert_module, "convert_episode", conversions, lambda episode, option: option)
    return dialogue, graphics, conversions


def test_one_cut_per_track_in_a_render_with_every_renderer(tmp_path, cuts):
    """--audio --supers first --cards --formats srt,ass,fcpxml --video: the programme's dialogue and
    each segment's are cut once, and so are their supers tracks."""
    dialogue, graphics, _ = cuts
    episode = parse_text(TWO_SEGMENTS, str(tmp_path / "two.txt"))
    options = RenderOptions(out_dir=tmp_path / "out", audio=True, engine="espeak", supers="first", cards=True,
                            formats=("srt", "ass", "fcpxml"), video=True, video_size="320x180", progress=False)
    result = render_episode(episode, options)
    assert {p.name for p in result.files} >= {"two.srt", "two.supers.ass", "two.fcpxml", "two.mp3",
                                              "two.preview.mp4", "two.01-社区食堂开张.srt"}
    assert dialogue == Counter({None: 1, 0: 1, 1: 1})
    assert graphics == Counter({None: 1, 0: 1, 1: 1})
    # the manifest: every file written, with its role and the segment it is of
    roles = {(out.path.name, out.role, out.segment) for out in result.manifest}
    assert [out.path for out in result.manifest] == list(result.files)
    assert {("two.mp3", "audio", None), ("two.02-老旧小区改造.mp3", "audio", 1), ("two.srt", "subtitles", None),
            ("two.01-社区食堂开张.supers.ass", "supers", 0), ("two.preview.mp4", "preview video", None),
            ("two.fcpxml", "timeline", None), ("two.prompter.html", "prompter page", None),
            ("two.02-老旧小区改造.qc.md", "qc", 1)} <= roles


def test_one_conversion_in_a_studio_render(tmp_path, cuts):
    """OpenCC runs once in a render, the studio's preview data included (it reads the programme)."""
    from broadcaster.studio.worker import preview_data

    dialogue, _, conversions = cuts
    episode = parse_text(TWO_SEGMENTS, str(tmp_path / "two.txt"))
    options = RenderOptions(out_dir=tmp_path / "out", convert="s2hk", supers="first", progress=False)
    result = render_episode(episode, options)
    data = preview_data(episode, result, options)
    assert conversions == Counter({"s2hk": 1})
    assert dialogue == Counter({None: 1, 0: 1, 1: 1})
    assert data["cues"][0]["lines"] == list(result.programme.dialogue.cues[0].lines)
    assert "開張" in "".join(line for cue in data["cues"] for line in cue["lines"]) + data["rundown"][0]["title"]
