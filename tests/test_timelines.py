"""FCPXML and FCP7 XML: valid against Apple's DTD, read back by OpenTimelineIO's FCP adapters.

Markers at segment starts, turn starts (speaker name) and the hard out, at
frame-exact times at 25 and 29.97 fps (drop-frame timecode).
"""
import os
import re
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio
import pytest
from lxml import etree

from broadcaster.cli import main
from broadcaster.read import parse_file
from broadcaster.timelines.edit import Rate
from broadcaster.timing import estimate
from conftest import EXAMPLE, SHARED, need_shared

DTD = SHARED / "specs" / "FCPXMLv1_9.dtd"
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = bool(os.environ.get("BROADCASTER_REGOLD"))
RATES = {"25": (25, 1), "29.97": (30000, 1001)}


def _render(out_dir, fps, *extra, path=EXAMPLE):
    code = main(["render", str(path), "-o", str(out_dir), "--quiet", "--fps", fps, "--supers", "--cards",
                 "--formats", "srt,fcpxml,xml", *extra])
    assert code == 0
    return out_dir / Path(path).stem


def _frame(ms, num, den):
    """The nearest frame, computed here independently of the writer."""
    return int(Fraction(ms, 1000) * num / den + Fraction(1, 2))


def _expected_markers(path, num, den, hard_out_ms):
    episode = parse_file(path)
    timeline = estimate(episode)
    out = []
    for seg, tseg in zip(episode.segments, timeline.segments, strict=False):
        out.append((_frame(tseg.start_ms, num, den), f"{tseg.index + 1}. {seg.title}"))
        out += [(_frame(t.start_ms, num, den), episode.speaker(t.speaker).name) for t in tseg.turns]
    out.append((_frame(hard_out_ms, num, den), "Hard out 1:30"))
    return sorted(out, key=lambda m: m[0])


def _seconds(value: str) -> Fraction:
    assert value.endswith("s"), value
    return Fraction(value[:-1])


def _fcpx_adapter_frames(value: str, fps_int: int) -> int:
    """What otio-fcpx-xml-adapter 1.0.0 reads for a time: it truncates the frame rate to an
    integer (29.97 → 29) and the frame count through float division (OpenTimelineIO issues
    #903 and #1661), so its reading is checked against that, and the file itself exactly."""
    parts = value[:-1].split("/")
    return int(float(parts[0]) / float(parts[1]) * fps_int) if len(parts) > 1 else int(float(parts[0]) * fps_int)


@pytest.mark.parametrize("fps", ["25", "29.97"])
def test_fcpxml_validates_and_markers_are_frame_exact(out_dir, fps):
    dtd = etree.DTD(str(need_shared(DTD)))
    folder = _render(out_dir, fps, "--hard-out", "1:30")
    path = folder / "column_demo.fcpxml"
    doc = etree.parse(str(path))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    num, den = RATES[fps]
    frame = Fraction(den, num)
    assert _seconds(doc.find("resources/format").get("frameDuration")) == frame
    assert doc.find(".//sequence").get("tcFormat") == ("DF" if fps == "29.97" else "NDF")
    for el in doc.iter():  # every time is a whole number of frames
        for attr in ("offset", "start", "duration"):
            if el.get(attr) is not None:
                assert _seconds(el.get(attr)) % frame == 0, (el.tag, attr, el.get(attr))
    expected = _expected_markers(EXAMPLE, num, den, 90_000)
    markers = [(int(_seconds(m.get("start")) / frame), m.get("value")) for m in doc.iter("marker")]
    assert markers == expected

    # OpenTimelineIO's FCP X adapter reads the same markers
    read = otio.adapters.read_from_file(str(path), adapter_name="fcpx_xml")
    clip = read[0].tracks[0][0]
    assert [m.name for m in clip.markers] == [name for _, name in expected]
    fps_int = int(num / den)
    for m, el in zip(clip.markers, doc.iter("marker"), strict=False):
        assert m.marked_range.start_time.value == _fcpx_adapter_frames(el.get("start"), fps_int)
        assert m.marked_range.start_time.rate == fps_int


@pytest.mark.parametrize("fps", ["25", "29.97"])
def test_fcp7_xml_markers_read_back_frame_exact_with_drop_frame_timecode(out_dir, fps):
    folder = _render(out_dir, fps, "--hard-out", "1:30")
    timeline = otio.adapters.read_from_file(str(folder / "column_demo.xml"), adapter_name="fcp_xml")
    num, den = RATES[fps]
    expected = _expected_markers(EXAMPLE, num, den, 90_000)
    got = [(m.marked_range.start_time.value, m.name) for m in timeline.tracks.markers]
    assert got == expected
    rate = timeline.tracks.markers[0].marked_range.start_time.rate
    assert rate == pytest.approx(num / den)
    doc = etree.parse(str(folder / "column_demo.xml"))
    drop = fps == "29.97"
    assert doc.findtext("sequence/timecode/displayformat") == ("DF" if drop else "NDF")
    for n, _ in expected:  # the timecode an editor sees at each marker
        tc = otio.opentime.to_timecode(otio.opentime.RationalTime(n, rate), rate, drop)
        assert Rate.of(float(fps)).timecode(n) == tc
        assert (";" in tc) == drop


def test_drop_frame_timecode_matches_opentimelineio_across_minute_boundaries():
    rate = Rate(30000, 1001)
    frames = [0, 1, 2, 1797, 1798, 1799, 1800, 3595, 3596, 17981, 17982, 17983, 107891, 107892, 2_000_000]
    for n in frames + list(range(0, 40000, 997)):
        assert rate.timecode(n) == otio.opentime.to_timecode(otio.opentime.RationalTime(n, 30000 / 1001),
                                                            30000 / 1001, True)


def test_titles_one_lane_each_with_a_text_style_per_role(out_dir):
    folder = _render(out_dir, "25")
    doc = etree.parse(str(folder / "column_demo.fcpxml"))
    import pysrt

    dialogue = pysrt.open(str(folder / "column_demo.srt"))
    supers = pysrt.open(str(folder / "column_demo.supers.srt"))
    lane1 = [t for t in doc.iter("title") if t.get("lane") == "1"]
    lane2 = [t for t in doc.iter("title") if t.get("lane") == "2"]
    assert ["".join(t.find("text").itertext()) for t in lane1] == [c.text for c in dialogue]
    assert ["".join(t.find("text").itertext()) for t in lane2] == [c.text for c in supers]
    for title, cue in zip(lane1, dialogue, strict=False):
        assert _seconds(title.get("offset")) * 1000 == cue.start.ordinal
    styles = {}
    for title in doc.iter("title"):
        for d in title.iter("text-style-def"):
            attrs = tuple(sorted(d.find("text-style").attrib.items()))
            assert styles.setdefault(d.get("name"), attrs) == attrs  # one style per role
    assert set(styles) == {"host", "guest", "super", "super-title", "card"}
    assert dict(styles["super"])["fontSize"] > dict(styles["super-title"])["fontSize"]


def test_timeline_golden_files(out_dir):
    folder = _render(out_dir, "25", "--hard-out", "3:00")
    url = (folder / "column_demo.preview.mp4").resolve().as_uri()
    for name in ("column_demo.fcpxml", "column_demo.xml"):
        got = (folder / name).read_text(encoding="utf-8").replace(url, "file:///OUT/column_demo.preview.mp4")
        if REGENERATE or not (GOLDEN / name).exists():
            (GOLDEN / name).write_text(got, encoding="utf-8")
        assert got == (GOLDEN / name).read_text(encoding="utf-8"), f"{name} differs from tests/golden"
    # the hard out lies after the programme: the sequence runs on to it in a gap holding its marker
    fcpxml = (folder / "column_demo.fcpxml").read_text(encoding="utf-8")
    assert re.search(r'<gap name="Gap" offset="[0-9/]+s" start="0s" duration="[0-9/]+s">\s*<marker start="[0-9/]+s" '
                     r'duration="1/25s" value="Hard out 3:00"', fcpxml)


def test_column_timelines_validate_and_read_back(column_path, out_dir):
    dtd = etree.DTD(str(need_shared(DTD)))
    folder = _render(out_dir, "25", "--convert", "s2hk", path=column_path)
    doc = etree.parse(str(folder / "000_acc2b6e70409d00d.fcpxml"))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    read = otio.adapters.read_from_file(str(folder / "000_acc2b6e70409d00d.fcpxml"), adapter_name="fcpx_xml")
    names = [m.name for m in read[0].tracks[0][0].markers]
    assert names[0] == "1. 深化體制機制改革 全面激發開發區發展能級" and "李大星" in names and names[-1].startswith("End ")
    xml = otio.adapters.read_from_file(str(folder / "000_acc2b6e70409d00d.xml"), adapter_name="fcp_xml")
    assert [m.name for m in xml.tracks.markers] == names


def test_the_edit_is_built_on_the_recording_it_was_timed_to(tmp_path):
    from broadcaster.programme import build
    from broadcaster.render import RenderOptions, plan

    episode = parse_file(EXAMPLE)
    recording = tmp_path / "studio take 1.wav"
    files = plan(build(episode, estimate(episode), RenderOptions(formats=("fcpxml", "xml"),
                                                             recordings=(str(recording),)))).files
    doc = etree.fromstring(files["column_demo.fcpxml"])
    rep = doc.find("resources/asset/media-rep")
    assert rep.get("src") == recording.resolve().as_uri() and rep.get("suggestedFilename") == "studio take 1.wav"
    assert doc.find("resources/asset").get("hasVideo") == "0"
    xml = etree.fromstring(files["column_demo.xml"])
    assert xml.findtext(".//file/pathurl") == recording.resolve().as_uri()


def test_a_bad_video_size_for_the_timelines_is_one_clear_line(tmp_path, capsys):
    """--video-size also sizes the timelines' media: a bad one is refused as with --video, no traceback."""
    from broadcaster.cli import main
    from conftest import EXAMPLE

    code = main(["render", str(EXAMPLE), "-o", str(tmp_path / "out"), "--formats", "srt,fcpxml",
                 "--video-size", "abc", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "--video-size 'abc'" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.fcpxml"))
