"""Real Word documents (Word for Windows and Mac, LibreOffice, WPS) read as a person sees them.

The files in tests/data/docx/ are other projects' test documents, unchanged (SOURCES.md):
text boxes, Strict Open XML, content controls around table cells, equations and
automatic numbering, each of which the reader once lost or refused.
"""
from pathlib import Path

import docx
import pytest

from broadcaster.cli import main
from broadcaster.read import parse_file
from broadcaster.read.docx import read_docx

DATA = Path(__file__).parent / "data" / "docx"


def lines(name: str) -> list[str]:
    return [line for line in read_docx(DATA / name).lines if line]


def test_a_document_whose_text_is_all_in_a_text_box_is_read_not_refused_as_empty():
    assert lines("mammoth-text-box.docx") == ["Datum plane"]  # once: Word stores it twice (mc:Choice, mc:Fallback)
    ep = parse_file(DATA / "mammoth-text-box.docx")  # not "the document is empty"
    assert "Datum plane" in (ep.title, ep.speech)
    assert any("text boxes" in d.message for d in ep.diagnostics)


def test_text_boxes_beside_the_script_are_notes_shown_and_never_spoken(capsys):
    path = DATA / "lo-fdo79131.docx"
    ep = parse_file(path)
    assert "WordArt samples" in ep.title + ep.speech and "floating" not in ep.speech and "inline" not in ep.speech
    shown = " ".join(s.text for seg in ep.segments for t in seg.turns for p in t.paragraphs for s in p.spans
                     if s.kind != "speech")  # in the prompter, greyed
    assert "floating" in shown and "inline" in shown
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:¶3: warning: text box read as a note, not spoken: 'floating'" in out


@pytest.mark.parametrize("name, first", [("mammoth-strict-format.docx", "Test"),
                                         ("lo-tdf79272_strictDxa.docx", "**2014：**2015")])
def test_strict_open_xml_reads_like_transitional(name, first):
    assert lines(name)[0] == first
    assert any("Strict" in msg for _, msg in read_docx(DATA / name).notes)


def test_table_cells_inside_content_controls_are_read():
    assert lines("lo-sdt-company-multipara.docx") == ["company", "inner table"]  # the cell is a w:sdt
    assert lines("lo-n820509.docx") == ["4.11.2019"]  # a date picker wrapping a whole cell


def test_equations_read_as_their_linear_text():
    assert lines("lo-math-rad.docx") == ["√(4) ∛(x+1)"]
    assert lines("lo-math-nary.docx") == ["∰_1^2 x+1 ∏_a b ∑^2 x"]


def test_automatic_numbers_are_written_into_the_line_they_number():
    assert lines("lo-cjklist30.docx")[:3] == ["甲. Numbered List Example", "乙. Numbered List Example",
                                             "丙. Numbered List Example"]  # ideographTraditional
    assert lines("lo-cjklist35.docx")[9:12] == ["十. Numbered List Example", "十一. Numbered List Example",
                                               "十二. Numbered List Example"]  # taiwaneseCountingThousand
    assert lines("lo-numbering-circle.docx") == ["①. first"]
    # numbered through the paragraph style (List Number), not the paragraph
    assert "1. Paragraph having List Number style." in lines("python-docx-num-having-numbering-part.docx")


def test_what_is_not_read_is_named(capsys):
    """A diagram's text lives in another part: a document of nothing else says so, not just "empty"."""
    path = DATA / "lo-strict-smartart.docx"
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err.strip() == (f"{path}:1: the document is empty: no text to read "
                                               "(it holds a SmartArt diagram, whose text is not read)")


def test_a_wps_document_reads():
    assert lines("lo-tdf131594.docx") == ["test"] * 4


# -- the counting rules, on a script laid out as producers in China number it -------------

_NUMBERING = """<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="7">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:lvlRestart w:val="0"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="8">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="8"/></w:num>
</w:numbering>"""


def _numbered_script(path: Path) -> Path:
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    part = document.part.numbering_part
    part._element = parse_xml(_NUMBERING)  # python-docx's template numbering replaced by ours

    def add(text, num, level, heading=False):
        p = document.add_heading(text, 1) if heading else document.add_paragraph(text)
        numpr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", level), ("w:numId", num)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), str(value))
            numpr.append(el)
        p._p.get_or_add_pPr().append(numpr)

    add("开场", 1, 0, heading=True)
    add("主持人介绍嘉宾。", 1, 1)
    add("嘉宾致意。", 1, 1)
    add("第一件事。", 1, 2)
    add("访谈", 2, 0, heading=True)  # another instance of the same list: it goes on counting
    add("问答。", 2, 1)  # a higher level was used: restarts at one
    add("第二件事。", 2, 2)  # lvlRestart 0: never restarts
    add("要点。", 4, 0)  # a bullet: no label
    add("新的一期", 3, 0, heading=True)  # startOverride: this instance starts again
    document.save(path)
    return path


def test_counters_follow_words_rules(tmp_path):
    got = [line for line in read_docx(_numbered_script(tmp_path / "n.docx")).lines if line]
    assert got == ["# 一、开场", "（一）主持人介绍嘉宾。", "（二）嘉宾致意。", "1. 第一件事。",
                   "# 二、访谈", "（一）问答。", "2. 第二件事。", "要点。", "# 一、新的一期"]


def test_chinese_counting_past_ten():
    from broadcaster.read.docx_numbering import format_number

    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 100, 105, 110)] == \
        ["一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十"]
    assert format_number(12, "chineseLegalSimplified") == "壹拾贰"
    assert [format_number(n, "upperLetter") for n in (1, 26, 27)] == ["A", "Z", "AA"]
    assert format_number(14, "lowerRoman") == "xiv"
