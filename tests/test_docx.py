"""Word scripts in: the column as a producer's .docx reads exactly as its text form."""
from pathlib import Path

import docx
import pytest

from broadcaster.cli import main
from broadcaster.errors import InputError
from broadcaster.model import Episode
from broadcaster.read import parse_file
from broadcaster.programme import build
from broadcaster.render import RenderOptions, plan
from broadcaster.timing import estimate
from conservation import missing
from docx_maker import (COMMENT_TEXT, DELETED_TEXT, HIDDEN_TEXT, add_hidden, add_label_paragraph,
                        make_column_docx, make_damaged_docx, make_legacy_doc)


@pytest.fixture(scope="module")
def column_docx(tmp_path_factory):
    from conftest import COLUMN, need_shared

    src = need_shared(COLUMN)
    return src, make_column_docx(src, tmp_path_factory.mktemp("docx") / "column.docx")


def test_column_docx_reads_as_the_text_form(column_docx):
    src, path = column_docx
    text_ep, doc_ep = parse_file(src), parse_file(path)
    assert len(doc_ep.segments) == 3
    assert sum(len(s.turns) for s in doc_ep.segments) == 32
    assert doc_ep.title == text_ep.title
    assert doc_ep.speakers == tuple(s.__class__(s.key, s.name, s.role, s.title, d.line)
                                    for s, d in zip(text_ep.speakers, doc_ep.speakers, strict=False))
    assert doc_ep.speech == text_ep.speech
    everything = repr(doc_ep.to_dict())
    assert DELETED_TEXT not in everything and COMMENT_TEXT not in everything
    assert not missing(src.read_text(encoding="utf-8"), doc_ep)


def test_column_docx_gives_byte_identical_subtitles(column_docx):
    src, path = column_docx
    options = RenderOptions(formats=("srt", "vtt", "ass"))
    text_ep, doc_ep = parse_file(src), parse_file(path)
    text_files = plan(build(text_ep, estimate(text_ep), options)).files
    doc_files = plan(build(doc_ep, estimate(doc_ep), options)).files
    subtitles = {name: data for name, data in text_files.items() if name.endswith((".srt", ".vtt", ".ass"))}
    assert len(subtitles) == 12
    assert {name.replace("column", "000_acc2b6e70409d00d", 1): data for name, data in doc_files.items()
            if name.endswith((".srt", ".vtt", ".ass"))} == subtitles


def test_warnings_point_to_word_paragraphs_and_survive_json(column_docx, tmp_path, capsys):
    _, path = column_docx
    ep = parse_file(path)
    joined = [d for d in ep.diagnostics if "page break" in d.message]
    assert joined and all(str(d).startswith(f"{path}:¶") for d in joined)
    assert Episode.from_dict(ep.to_dict()) == ep
    assert main(["parse", str(path), "--json", "-o", str(tmp_path / "ep.json")]) == 0
    assert parse_file(tmp_path / "ep.json") == ep
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 segments, 32 turns" in out and "segment 1 (¶2)" in out and f"{path}:¶" in out


def test_hidden_text_is_not_read_and_said_so(tmp_path):
    document = docx.Document()
    document.add_heading("访谈", 1)
    p = add_label_paragraph(document, "主持人和晶：", "大家好。")
    add_hidden(p, HIDDEN_TEXT)
    add_label_paragraph(document, "嘉宾易中天：", "谢谢。")
    document.save(tmp_path / "h.docx")
    ep = parse_file(tmp_path / "h.docx")
    assert ep.segments[0].turns[0].speech == "大家好。"
    assert HIDDEN_TEXT not in repr(ep.to_dict())
    assert any("hidden" in d.message and d.line == 2 for d in ep.diagnostics)


def test_a_deleted_paragraph_mark_joins_the_paragraphs_as_word_accepts_it(tmp_path):
    """An editor joined two paragraphs of one answer with Track Changes on: accepted, they are one."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def delete_mark(paragraph):
        ppr = paragraph._p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        mark = OxmlElement("w:del")
        for key, value in (("w:id", "301"), ("w:author", "编辑部"), ("w:date", "2022-02-20T10:00:00Z")):
            mark.set(qn(key), value)
        rpr.append(mark)
        ppr.append(rpr)

    document = docx.Document()
    document.add_heading("访谈", 1)
    add_label_paragraph(document, "主持人和晶：", "大家好。")
    delete_mark(add_label_paragraph(document, "嘉宾易中天：", "谢谢。我想先说"))
    document.add_paragraph("三国这段历史。")
    document.add_paragraph("这是第二段。")
    delete_mark(document.add_paragraph("结尾的"))  # the last one before a table: nothing to run into
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表格"
    document.save(tmp_path / "j.docx")
    ep = parse_file(tmp_path / "j.docx")
    guest = ep.segments[0].turns[1]
    assert [(p.speech, p.line) for p in guest.paragraphs][:2] == [("谢谢。我想先说三国这段历史。", 3), ("这是第二段。", 5)]
    assert "结尾的" in guest.speech
    joined = [d for d in ep.diagnostics if "paragraph mark" in d.message]
    assert [(d.line, d.message.split(":")[0]) for d in joined] == [(3, "joined with ¶4")]


def test_heading_styles_by_id_name_or_outline_level(tmp_path):
    """Chinese Word / WPS style IDs (`1`, `2`) named `heading 1`, or `标题 1`, or only an outline level."""
    document = docx.Document()
    styles = document.styles.element
    for style in styles.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}style"):
        sid = style.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId")
        if sid == "Heading1":
            style.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId", "2")
            style.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name").set(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "标题 1")
    p = document.add_paragraph("第一段")
    p.style = document.styles.get_by_id("2", 1)  # the renamed heading style
    add_label_paragraph(document, "主持人：", "你好。")
    q = document.add_paragraph("第二段")
    ppr = q._p.get_or_add_pPr()
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    ppr.append(outline)
    add_label_paragraph(document, "主持人：", "再见。")
    document.save(tmp_path / "wps.docx")
    ep = parse_file(tmp_path / "wps.docx")
    assert [s.title for s in ep.segments] == ["第一段", "第二段"]


@pytest.mark.parametrize("kind", ["doc", "wps", "damaged", "encrypted", "odt"])
def test_legacy_damaged_or_locked_documents_exit_2_with_one_line(kind, column_docx, tmp_path, capsys):
    _, good = column_docx
    if kind in ("doc", "wps"):
        path = make_legacy_doc(tmp_path / f"script.{kind}")
    elif kind == "damaged":
        path = make_damaged_docx(good, tmp_path / "script.docx")
    elif kind == "encrypted":
        path = tmp_path / "locked.docx"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le"))
    else:
        import zipfile

        path = tmp_path / "script.odt"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    with pytest.raises(InputError):
        parse_file(path)
    for command in (["check", str(path)], ["render", str(path), "-o", str(tmp_path / "out")]):
        assert main(command) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert err[0].startswith(f"{path}:1: ") and (".docx" in err[0])
        assert "Traceback" not in err[0]
    assert not (tmp_path / "out" / path.stem).exists()


def test_a_docx_named_txt_is_still_read_as_word(column_docx, tmp_path):
    _, path = column_docx
    renamed = tmp_path / "script.txt"
    renamed.write_bytes(Path(path).read_bytes())
    assert sum(len(s.turns) for s in parse_file(renamed).segments) == 32


def test_a_text_box_is_named_in_a_warning_not_dropped_silently(tmp_path):
    from docx.oxml import parse_xml

    document = docx.Document()
    add_label_paragraph(document, "主持人：", "大家好。")
    p = document.add_paragraph()
    box = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
           '<w:p><w:r><w:t>片尾字幕：感谢收看</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    p._p.append(parse_xml(box))
    add_label_paragraph(document, "主持人：", "再见。")
    document.save(tmp_path / "box.docx")
    ep = parse_file(tmp_path / "box.docx")
    assert "片尾字幕" not in ep.speech
    assert any("text box" in d.message and "片尾字幕：感谢收看" in d.message and d.line == 2 for d in ep.diagnostics)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_TEXT = st.lists(st.tuples(st.text(_HANZI, min_size=1, max_size=10), st.sampled_from(["", "，", "。", "？", "2022年"])).map(
    "".join), min_size=1, max_size=4).map("".join)
_LINE = st.one_of(
    _TEXT,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 3), _TEXT),
    st.builds(lambda lab, t: f"**{lab}：**{t}", st.sampled_from(["主持人李薇", "嘉宾张三", "记者", "枣庄开发区主任李大星"]), _TEXT),
    st.builds(lambda lab, t: f"{lab}：{t}", st.sampled_from(["主持人", "和晶", "观众"]), _TEXT),
    st.sampled_from(["记者 白雪松 李薇 通讯员 张志伟", "《节目》专栏", "新聞 | 體育 | 娛樂", "【查看原图】"]),
)


@settings(max_examples=25, deadline=None)  # each example writes a .docx (~0.2 s)
@given(st.lists(_LINE, min_size=1, max_size=10))
def test_any_column_text_reads_the_same_as_a_docx(tmp_path_factory, lines):
    """The design's promise: Word paragraphs become the text form's lines, so both parse alike."""
    from docx_maker import make_docx_from_text

    from broadcaster.read import parse_text

    text = "\n\n".join(lines) + "\n"
    path = make_docx_from_text(text, tmp_path_factory.mktemp("prop") / "t.docx")
    as_text, as_docx = parse_text(text, "t"), parse_file(path)
    assert as_docx.speech == as_text.speech
    assert [(s.title, len(s.turns)) for s in as_docx.segments] == [(s.title, len(s.turns)) for s in as_text.segments]
    assert [(s.name, s.role) for s in as_docx.speakers] == [(s.name, s.role) for s in as_text.speakers]
