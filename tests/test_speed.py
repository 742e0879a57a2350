"""What the speed work must not change: SRT bytes as pysrt writes them, and word breaks
from rjieba that are jieba's."""
from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from broadcaster.subtitles.formats import srt
from broadcaster.subtitles.profile import PROFILES
from broadcaster.subtitles.segment import Cue, Track
from runs import EXAMPLE

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=0, max_size=30)


def _pysrt(track: Track) -> str:
    import pysrt

    subs = pysrt.SubRipFile()
    for number, cue in enumerate(track.cues, start=1):
        subs.append(pysrt.SubRipItem(index=number, start=pysrt.SubRipTime.from_ordinal(cue.start_ms),
                                     end=pysrt.SubRipTime.from_ordinal(cue.end_ms), text=cue.text))
    buffer = io.StringIO()
    subs.write_into(buffer, eol="\n")
    return buffer.getvalue()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400 * 3_600_000), st.integers(0, 10_000),
                          st.lists(_text, min_size=1, max_size=3)), max_size=6))
def test_srt_is_byte_for_byte_what_pysrt_writes(items):
    cues = tuple(Cue(start, start + length, tuple(lines), "".join(lines), "A", 0, 0) for start, length, lines in items)
    track = Track("t", PROFILES["zh-Hans"], cues)
    assert srt.dumps(track) == _pysrt(track)


def test_rjieba_cuts_as_jieba_does():
    import logging
    import re

    import jieba

    from broadcaster.subtitles.wordbreak import _segmenter

    jieba.setLogLevel(logging.WARNING)
    text = EXAMPLE.read_text(encoding="utf-8")
    clauses = [c for c in re.split(r"[\n。！？，；：、]", text) if re.search(r"[\u4e00-\u9fff]", c)]
    assert len(clauses) > 50
    for clause in clauses:
        assert _segmenter()(clause) == list(jieba.cut(clause, HMM=True)), clause


def test_a_rerender_cuts_from_the_store_without_loading_the_dictionary(tmp_path):
    import subprocess
    import sys

    program = ("import sys; from broadcaster.cli import main; main(['render', sys.argv[1], '-o', sys.argv[2], "
               "'--quiet']); print('rjieba' in sys.modules)")
    env = {"BROADCASTER_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    runs = []
    for out in ("first", "second"):
        done = subprocess.run([sys.executable, "-c", program, str(EXAMPLE), str(tmp_path / out)], env=env,
                              capture_output=True, text=True, check=True)
        runs.append(done.stdout.strip().splitlines()[-1])
    assert runs == ["True", "False"]  # the second render found every clause it had to cut
    first, second = (sorted((p.name, p.read_bytes()) for p in (tmp_path / o / "column_demo").iterdir())
                     for o in ("first", "second"))
    assert first == second
    store = next((tmp_path / "cache" / "words").glob("rjieba-*.json"))
    store.write_text("{not json", encoding="utf-8")  # a damaged store is cut afresh, not an error
    subprocess.run([sys.executable, "-c", program, str(EXAMPLE), str(tmp_path / "third")], env=env, check=True,
                   capture_output=True)
    assert sorted((p.name, p.read_bytes()) for p in (tmp_path / "third" / "column_demo").iterdir()) == first
