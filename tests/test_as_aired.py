"""As-aired files join an episode's render set and survive the next render; captions sit on the script.

The as-aired files of a live broadcast (broadcaster/live/aired.py) go through the same atomic
write_set as every render, listed in the folder's manifest (what GET /api/episodes/{id}/files
reads); a later render of the same episode replaces its own .srt/.md files and keeps them.
"""
from __future__ import annotations

import json

from broadcaster.output import MANIFEST, write_set


def _listed(folder):
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def test_as_aired_files_join_the_set_and_a_render_keeps_them(tmp_path):
    folder = tmp_path / "show"
    write_set(folder, {"show.srt": b"1", "show.qc.md": b"qc", "show.01-a.srt": b"seg"}, complete=True)
    write_set(folder, {"show.as-aired.srt": b"aired", "show.as-aired.md": b"note"}, listed=True)
    assert set(_listed(folder)) == {"show.srt", "show.qc.md", "show.01-a.srt", "show.as-aired.srt", "show.as-aired.md"}
    # the next render has no segment 1 any more: its old SRT goes, the broadcast's files stay
    write_set(folder, {"show.srt": b"2", "show.qc.md": b"qc2"}, complete=True)
    assert set(_listed(folder)) == {"show.srt", "show.qc.md", "show.as-aired.srt", "show.as-aired.md"}
    assert not (folder / "show.01-a.srt").exists()
    assert (folder / "show.as-aired.srt").read_bytes() == b"aired"


def test_live_cues_are_the_programme_srt_cues_on_the_script_text():
    from broadcaster.live.captions import current, place
    from broadcaster.live.script import LiveScript
    from broadcaster.options import RenderOptions
    from broadcaster.programme import tracks
    from broadcaster.read import parse_text
    from broadcaster.timing import estimate

    episode = parse_text("《测试》\n\n# 一\n\n**主持人陈静：**各位观众朋友们大家好，欢迎收看今天的节目。我们来到青山区幸福里社区。\n\n"
                         "**嘉宾王磊：**大家好，今年我们计划改造老旧小区四十二个。\n", "t.txt")
    timeline = estimate(episode)
    turns = [t for s in timeline.segments for t in s.turns if t.phrases]
    spans, base = [], 0
    for t in turns:
        n = sum(len(p.text) for p in t.phrases)
        spans.append((base, base + n))
        base += n
    script = LiveScript(None, None, None, None, turns, spans, [])
    track = tracks(episode, timeline, RenderOptions())[0][1]
    cues = place(script, track)
    assert [c.text for c in cues] == [c.text for c in track.cues]
    assert all(a.c1 <= b.c0 for a, b in zip(cues, cues[1:], strict=False))  # in order, not overlapping
    assert cues[-1].c1 <= base
    said = "".join(p.text for t in turns for p in t.phrases)
    for cue in cues:  # each cue's range holds its words
        assert said[cue.c0:cue.c1].replace("，", "").replace("。", "")[:4] in cue.text.replace(" ", "")
    assert current(cues, -1) is None and current(cues, 0) == cues[0] and current(cues, base) == cues[-1]
