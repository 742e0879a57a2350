"""Fuzzing the parser and the whole render with hypothesis.

Transcripts are built from the pieces real ones are made of (headings of any
depth, bold and plain labels, credits, rules, HTML, links, directions) mixed
with arbitrary Unicode, odd line ends and controls. Whatever comes in:
parsing raises nothing but InputError, keeps every spoken character, gives
every element a real source line; rendering writes only inside its folder,
and every SRT it writes parses strictly. Example counts come from the
hypothesis profile (tests/conftest.py): 2,000 per parser property in CI.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pysrt
from hypothesis import example, given, settings
from hypothesis import strategies as st

from broadcaster.errors import DecodeError, InputError
from broadcaster.model import Episode
from broadcaster.output import MAX_NAME_BYTES, safe_name, write_set
from broadcaster.read import parse_text
from broadcaster.read.decode import decode_with_notes, normalise
from conservation import missing

HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ANY_CHAR = st.characters(exclude_categories=("Cs",))  # every code point a str can hold in a file
WORDS = st.one_of(
    st.text(HANZI, min_size=1, max_size=12),
    st.text(ANY_CHAR, min_size=1, max_size=12),
    st.sampled_from(["2022年", "30%", "16.5万公里", "-20℃", "CDMO", "👨‍👩‍👧‍👦", "🇨🇳", "e\u0301", "\u200f",
                     "{{ x }}", "{% if %}", "<script>", "&nbsp;", "\\[laughs\\]", "../..", "CON", "a/b\\c"]),
)
PUNCT = st.sampled_from(["", "", "，", "。", "！", "？", "…", "：", ":", "、", "”", ".", "*", "**", "\t", " "])
TEXT = st.lists(st.tuples(WORDS, PUNCT).map("".join), min_size=1, max_size=8).map("".join)
LABEL = st.one_of(
    st.sampled_from(["主持人李薇", "主持人", "嘉宾张三", "旁白", "开发区管委会副主任李大星", "记者", "JACOB GOLDSTEIN, HOST",
                     "GOLDSTEIN", "Jerod Santo"]),
    st.text(HANZI, min_size=1, max_size=8),
    st.text(ANY_CHAR, min_size=1, max_size=10),
)
LINE = st.one_of(
    TEXT,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 9), TEXT),
    st.builds(lambda lab, t: f"**{lab}：**{t}", LABEL, TEXT),
    st.builds(lambda lab, t: f"**{lab}**: {t}", LABEL, TEXT),
    st.builds(lambda lab, t: f"{lab}：{t}", LABEL, TEXT),
    st.builds(lambda lab, t: f"{lab}: {t}", LABEL, TEXT),
    st.builds(lambda names: "记者 " + " ".join(names), st.lists(st.text(HANZI, min_size=2, max_size=3), min_size=1, max_size=3)),
    st.sampled_from(["", "", " ", "---", "***", "　", "**", "#", "《节目》专栏"]),
    st.builds(lambda t: f"<p>{t}</p><p>{t}&nbsp;</p>", TEXT),
    st.builds(lambda t, u: f"[{t}]({u})", TEXT, st.sampled_from(["http://x.cn/a", "", "javascript:alert(1)"])),
    st.builds(lambda t: f"[{t}]", TEXT),
    st.builds(lambda t: f"（掌声）{t}(SOUNDBITE OF {t.upper()})", TEXT),
)
EOL = st.sampled_from(["\n", "\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\x85"])
TRANSCRIPT = st.lists(st.tuples(LINE, EOL).map("".join), min_size=1, max_size=25).map("".join)


def _lines_of(text: str) -> list[str]:
    lines, _ = normalise(text)
    return lines


def _parse(text: str) -> Episode | None:
    try:
        return parse_text(text, "fuzz.txt")
    except InputError:
        return None


@given(TRANSCRIPT)
@example("<P:>\n")  # found by the deep profile: read as a <p> tag, its P dropped
def test_parsing_raises_nothing_but_input_error_and_keeps_every_spoken_character(text):
    episode = _parse(text)
    if episode is None:
        return
    lost = missing("\n".join(_lines_of(text)), episode)
    assert not lost, f"dropped without a word: {''.join(lost.elements())!r}"


@given(TRANSCRIPT)
def test_every_element_keeps_a_real_source_line(text):
    episode = _parse(text)
    if episode is None:
        return
    count = len(_lines_of(text))
    assert 0 <= episode.title_line <= count
    inside = lambda n: 1 <= n <= count  # noqa: E731
    assert all(inside(s.line) for s in episode.speakers)
    assert all(inside(d.line) for d in episode.diagnostics)
    for seg in episode.segments:
        assert inside(seg.line)
        for turn in seg.turns:
            assert inside(turn.line)
            assert all(inside(p.line) and p.line >= turn.line for p in turn.paragraphs)
            assert turn.speaker in {s.key for s in episode.speakers}


@given(TRANSCRIPT)
def test_the_episode_json_gives_back_the_same_episode(text):
    episode = _parse(text)
    if episode is None:
        return
    assert Episode.from_dict(episode.to_dict()) == episode


@given(st.one_of(st.binary(max_size=400),
                 st.builds(lambda t, enc: t.encode(enc, "ignore"), TRANSCRIPT,
                           st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "utf-16-le", "cp1252"]))))
def test_any_bytes_decode_or_fail_with_a_decode_error(data):
    try:
        text, encoding, notes = decode_with_notes(data)
    except DecodeError as exc:
        assert exc.line >= 1
        return
    assert isinstance(text, str) and encoding
    assert all(line >= 1 for line, _ in notes)


@given(st.text(ANY_CHAR, max_size=200))
def test_any_title_makes_one_safe_file_name_inside_the_folder(title):
    name = safe_name(title)
    assert name and "/" not in name and "\\" not in name and name not in (".", "..")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        [written] = write_set(folder, {name + ".srt": b"x"})
        assert written.parent == folder.resolve()


def _render_settings():
    """The end-to-end fuzz runs a tenth of the parser's examples (each one is a whole render)."""
    return settings(settings.default, max_examples=max(20, settings.default.max_examples // 10))


@_render_settings()
@given(TRANSCRIPT, st.sampled_from([None, "zh-Hans", "en"]), st.booleans(),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]), st.booleans(), st.booleans())
def test_any_transcript_renders_inside_its_folder_to_strictly_valid_subtitles(text, profile, two_line, encoding,
                                                                              crlf, names):
    import pysubs2
    import webvtt

    from broadcaster.render import RenderOptions, render_episode

    episode = _parse(text)
    if episode is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        out = root / "out"
        options = RenderOptions(out_dir=out, profile=profile, max_lines=2 if two_line else None, progress=False,
                                formats=("srt", "vtt", "ass"), encoding=encoding, crlf=crlf, speaker_names=names)
        try:
            result = render_episode(episode, options)
        except InputError:
            return
        assert [p.name for p in root.iterdir()] == ["out"]
        for path in result.files:
            assert path.parent == result.folder.resolve()
            if path.suffix == ".srt":
                subs = pysrt.open(str(path), encoding=encoding, error_handling=pysrt.ERROR_RAISE)
                assert all(s.end >= s.start for s in subs)
            elif path.suffix == ".vtt" and encoding != "gb18030":  # WebVTT is UTF-8 by definition
                webvtt.read(str(path))
            elif path.suffix == ".ass":
                pysubs2.load(str(path), encoding=encoding)
        shown = {p.name for p in result.folder.iterdir() if not p.name.startswith(".")}
        assert shown == {p.name for p in result.files}


def _damaged(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for pos, byte in flips:
        if out:
            out[pos % len(out)] = byte
    return bytes(out)


@_render_settings()
@given(st.builds(_damaged,
                 st.builds(lambda t, enc: t.encode(enc, "ignore"), TRANSCRIPT,
                           st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])),
                 st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4)))
def test_any_file_through_the_command_ends_in_exit_0_or_a_located_exit_2(data):
    import contextlib
    import io

    from broadcaster.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = root / "in" / "show.txt"
        source.parent.mkdir()
        source.write_bytes(data)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["render", str(source), "-o", str(root / "out"), "--quiet"])
        assert code in (0, 2)
        if code == 2:
            assert err.getvalue().startswith(f"{source}:"), err.getvalue()
        assert sorted(p.name for p in root.iterdir()) in (["in"], ["in", "out"])
