"""Word documents made at test time, the way producers' files look (python-docx + small XML edits).

`make_column_docx(src_txt, dest_docx)` turns the column transcript into the
.docx a producer would send: a Title paragraph, Heading 1/2 segments, bold
`label：` runs, one tracked insertion (kept when read), one tracked deletion
(dropped) and a comment (never read). The studio's browser tests upload it.
The smaller helpers build the other Word scripts of the labelled set.
"""
from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# What the tracked deletion and the comment say: neither may reach the model.
DELETED_TEXT = "这句话已被编辑删除"
COMMENT_TEXT = "请核实职务名称"
HIDDEN_TEXT = "隐藏的导演备注"

_BOLD_RE = re.compile(r"^\*\*(?P<label>[^*]+?[:：])\*\*(?P<text>.*)$")
_HEADING_RE = re.compile(r"^(#+)\s*(.*)$")
_DATE = "2022-02-20T10:00:00Z"


def _run_xml(text: str, *, deleted: bool = False, bold: bool = False, hidden: bool = False):
    r = OxmlElement("w:r")
    if bold or hidden:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if hidden:
            rpr.append(OxmlElement("w:vanish"))
        r.append(rpr)
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _revision(tag: str, rid: int):
    el = OxmlElement(tag)
    el.set(qn("w:id"), str(rid))
    el.set(qn("w:author"), "编辑部")
    el.set(qn("w:date"), _DATE)
    return el


def add_inserted(paragraph, text: str, rid: int = 101) -> None:
    """A tracked insertion at the end of the paragraph (`w:ins` around a run)."""
    ins = _revision("w:ins", rid)
    ins.append(_run_xml(text))
    paragraph._p.append(ins)


def add_deleted(paragraph, text: str, rid: int = 102) -> None:
    """A tracked deletion at the end of the paragraph (`w:del` with `w:delText`)."""
    deletion = _revision("w:del", rid)
    deletion.append(_run_xml(text, deleted=True))
    paragraph._p.append(deletion)


def add_hidden(paragraph, text: str) -> None:
    """Hidden text (`w:vanish`), as a producer's private note."""
    paragraph._p.append(_run_xml(text, hidden=True))


def add_label_paragraph(document, label: str, text: str, style: str | None = None):
    """`label：` in a bold run, then the text: how a producer marks a speaker in Word."""
    p = document.add_paragraph(style=style)
    p.add_run(label).bold = True
    if text:
        p.add_run(text)
    return p


def make_column_docx(src_txt: str | Path, dest_docx: str | Path) -> Path:
    """The column transcript as a producer's .docx (same words, same structure).

    The first guest answer's last sentence is a tracked insertion and is
    followed by a tracked deletion; the host's first turn carries a comment."""
    lines = Path(src_txt).read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    seen_heading = False
    inserted = commented = False
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            continue
        heading = _HEADING_RE.match(line)
        bold = _BOLD_RE.match(line)
        if heading:
            document.add_heading(heading.group(2), level=len(heading.group(1)))
            seen_heading = True
        elif not seen_heading:
            document.add_paragraph(line, style="Title")
        elif bold:
            label, text = bold["label"], bold["text"]
            if not commented and label.startswith("主持人"):
                p = add_label_paragraph(document, label, "")
                run = p.add_run(text)
                document.add_comment(run, text=COMMENT_TEXT, author="审核")
                commented = True
            elif not inserted and not label.startswith("主持人"):
                cut = text.rfind("。", 0, len(text) - 1) + 1  # the last sentence becomes the insertion
                p = add_label_paragraph(document, label, text[:cut])
                add_inserted(p, text[cut:])
                add_deleted(p, DELETED_TEXT)
                inserted = True
            else:
                add_label_paragraph(document, label, text)
        else:
            document.add_paragraph(line)
    dest = Path(dest_docx)
    document.save(str(dest))
    return dest


def make_legacy_doc(dest: str | Path) -> Path:
    """A file that starts like a Word 97-2003 .doc (an OLE compound file)."""
    dest = Path(dest)
    dest.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "主持人：这是旧格式".encode("utf-16-le"))
    return dest


def make_damaged_docx(src_docx: str | Path, dest: str | Path) -> Path:
    """A .docx cut short, as an interrupted download or e-mail leaves it."""
    data = Path(src_docx).read_bytes()
    dest = Path(dest)
    dest.write_bytes(data[: len(data) // 2])
    return dest


# -- the Word scripts of the labelled set (tests/data/transcripts/EXPECTED.toml) -----------------
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _visible(document) -> str:
    """Every text the document shows with changes accepted (the conservation oracle's input)."""
    out = []
    for el in document.element.body.iter(W_NS + "t"):
        r = el.getparent()
        rpr = r.find(W_NS + "rPr")
        if rpr is not None and rpr.find(W_NS + "vanish") is not None:
            continue
        out.append(el.text or "")
    return "\n".join(out)


def _table(document, rows, header=None):
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for row in ([header] if header else []) + rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            parts = text.split("\n")
            cell.text = parts[0]
            for more in parts[1:]:
                cell.add_paragraph(more)
    return table


def make_table_script(dest: str | Path) -> str:
    """A TV script as a two-column table (角色 | 台词) with a header row, then one without a header."""
    document = docx.Document()
    document.add_paragraph("《健康大讲堂》第12期 脚本", style="Title")
    document.add_heading("第一部分 开场", 1)
    _table(document, [
        ["主持人", "各位观众朋友，大家好，欢迎收看《健康大讲堂》。今天我们聊一聊冬季养生。"],
        ["嘉宾王教授", "主持人好，观众朋友们好。"],
        ["主持人", "王教授，冬天为什么特别强调养生？"],
        ["嘉宾王教授", "冬天气温低，人体的血管容易收缩，心脑血管疾病的发病率明显升高。\n所以老年人冬天一定要注意保暖，尤其是头部和脚部。"],
        ["", "另外，早上起床不要太猛，先在床上躺一会儿。"],
    ], header=["角色", "台词"])
    document.add_heading("第二部分 饮食", 1)
    _table(document, [
        ["主持人：", "那在饮食上有什么讲究？"],
        ["王教授：", "冬天可以适当多吃一些温热的食物，比如羊肉、萝卜，但是不要吃得太咸。"],
        ["观众", "王教授，我血压高，能吃羊肉吗？"],
        ["王教授：", "可以吃，但是要少吃，而且要搭配蔬菜。"],
        ["主持人：", "感谢王教授，我们下期再见。"],
    ])
    document.save(str(dest))
    return _visible(document)


def make_three_column_script(dest: str | Path) -> str:
    """An AV script: 序号 | 画面 | 人物 | 同期/解说, the picture column shown as directions."""
    document = docx.Document()
    document.add_heading("乡村振兴在路上", 1)
    _table(document, [
        ["1", "航拍村庄全景", "解说", "清晨的薄雾中，这个小山村慢慢醒来。"],
        ["2", "村支书在田间", "村支书刘建国", "我们村以前穷，年轻人都出去打工了，地也没人种。"],
        ["3", "合作社车间", "解说", "三年前，村里成立了蔬菜合作社，年轻人开始回来了。"],
        ["4", "采访返乡青年", "返乡青年周小燕", "我在城里做了五年电商，现在回来帮村里卖菜，一年能卖三百多万。"],
        ["5", "村支书在田间", "村支书刘建国", "日子越过越好，大家心里都有奔头。"],
    ], header=["序号", "画面", "人物", "同期/解说"])
    document.save(str(dest))
    return _visible(document)


def make_tracked_script(dest: str | Path) -> str:
    """Bold labels, tracked changes, a comment and hidden text, as an edited script comes back."""
    document = docx.Document()
    document.add_paragraph("《法治在线》访谈稿（修改稿）", style="Title")
    document.add_heading("网络诈骗怎么防", 1)
    p = add_label_paragraph(document, "主持人林静：", "观众朋友们好，今天我们请到了市公安局反诈中心的赵警官。")
    document.add_comment(p.runs[-1], text=COMMENT_TEXT, author="审核")
    p = add_label_paragraph(document, "市公安局反诈中心民警赵刚：", "大家好。最近冒充客服退款的诈骗特别多。")
    add_inserted(p, "骗子往往能说出你的订单号。", 201)
    add_deleted(p, DELETED_TEXT, 202)
    p = add_label_paragraph(document, "主持人林静：", "那我们接到这种电话应该怎么办？")
    add_hidden(p, HIDDEN_TEXT)
    add_label_paragraph(document, "市公安局反诈中心民警赵刚：", "记住一句话：凡是让你转账的，都是诈骗。")
    document.add_paragraph("挂断电话以后，可以拨打官方客服电话核实。")
    p = add_label_paragraph(document, "主持人林静：", "")
    add_inserted(p, "谢谢赵警官，我们下期再见。", 203)
    document.save(str(dest))
    return _visible(document)


def make_wps_script(dest: str | Path) -> str:
    """A script as WPS saves it: heading styles with numeric IDs named `标题 1`, plain (not bold) labels."""
    document = docx.Document()
    for style in document.styles.element.iter(W_NS + "style"):
        sid = style.get(W_NS + "styleId")
        if sid in ("Heading1", "Heading2"):
            style.set(W_NS + "styleId", {"Heading1": "2", "Heading2": "3"}[sid])
            style.find(W_NS + "name").set(W_NS + "val", {"Heading1": "标题 1", "Heading2": "标题 2"}[sid])
    heading1 = document.styles.get_by_id("2", 1)
    heading2 = document.styles.get_by_id("3", 1)
    document.add_paragraph("《三农直通车》", style=None)
    document.add_paragraph("春耕备耕进行时", style=heading1)
    document.add_paragraph("记者 马丽 通讯员 黄涛")
    document.add_paragraph("主持人：春耕时节，农资供应怎么样？我们来听听记者在一线的采访。")
    document.add_paragraph("农资店老板陈大海：今年化肥价格比较稳定，货也充足，农民不用着急囤货。")
    document.add_paragraph("种粮大户孙秀英：我今年种了三百亩小麦，种子和化肥早就备好了。")
    document.add_paragraph("主持人：看来今年的春耕准备得很充分。")
    document.add_paragraph("科技下乡", style=heading2)
    document.add_paragraph("主持人：农业专家也来到了田间地头。")
    document.add_paragraph("省农科院研究员钱立：今年我们推广的新品种，抗倒伏能力更强，产量能提高一成左右。")
    document.add_paragraph("种粮大户孙秀英：有专家指导，我们心里更有底了。")
    document.save(str(dest))
    return _visible(document)


def make_outline_script(dest: str | Path) -> str:
    """A house style: a custom heading style known only by its outline level, and labels with the
    colon outside the bold run (`**主持人**：`)."""
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    chapter = document.styles.add_style("章节标题", WD_STYLE_TYPE.PARAGRAPH)
    ppr = chapter.element.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    ppr.append(outline)
    document.add_paragraph("《城市早新闻》", style="Title")
    document.add_paragraph("地铁新线开通", style=chapter)
    for label, text in [("主持人", "今天早上六点，地铁十六号线正式开通。我们的记者在首班车上。"),
                        ("记者", "我现在就在首班车上，车厢里已经有不少乘客。"),
                        ("乘客", "我住在北边，以前上班要一个半小时，现在四十分钟就到了。"),
                        ("记者", "据介绍，新线全长三十公里，设站十五座。")]:
        p = document.add_paragraph()
        p.add_run(label).bold = True
        p.add_run("：" + text)
    document.add_paragraph("天气", style=chapter)
    p = document.add_paragraph()
    p.add_run("主持人").bold = True
    p.add_run("：今天白天晴，最高气温二十六度。")
    document.save(str(dest))
    return _visible(document)


def make_docx_from_text(text: str, dest: str | Path) -> Path:
    """Any column-format text as Word paragraphs (one per non-blank line): `#` lines as Heading N,
    `**label：**text` as a bold label run, everything else as it is. No Title style, so the
    document must read exactly as the text does (a property test compares the two)."""
    document = docx.Document()
    for line in text.split("\n"):
        if not line.strip():
            continue
        heading = _HEADING_RE.match(line)
        bold = _BOLD_RE.match(line)
        if heading and heading.group(2).strip() and len(heading.group(1)) <= 6:
            document.add_heading(heading.group(2).strip(), level=len(heading.group(1)))
        elif bold:
            add_label_paragraph(document, bold["label"], bold["text"])
        else:
            document.add_paragraph(line)
    dest = Path(dest)
    document.save(str(dest))
    return dest
