"""Web-transcript labels: the one compiled label pattern finds exactly what the two patterns it
replaced found (a label opening a line; labels after a sentence's end or a space), on lines made
of the pieces web pages use. The old patterns are the oracle here, so a later edit that changes
what counts as a label fails loudly instead of moving turns between speakers."""
from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from broadcaster.read import labels as L

_BODY = rf"(?:[{L.OPEN}]\s*(?P<b>{L._NAME})\s*[{L.CLOSE}]\s*[:：]?|(?P<p>{L._NAME})\s*[:：])"
OPENING = re.compile(rf"^{_BODY}\s*(?P<text>.*)$")
AFTER_TEXT = re.compile(rf"(?:(?<=[。！？!?…”」』）)])|(?<=[。！？!?…”」』）)]\s)|(?<=\s)){_BODY}")

PIECES = ["主持人", "主持", "记者", "高 岩", "和晶", "李大星", "记者问", "问", "答", "网友“小草”", "观众「李先生」",
          "John Smith", "Mary", "Note", "http", ":", "：", " ", "\u3000", "\xa0", "\n", "\t", "[", "]", "【", "】",
          "〔", "〕", "［", "］", "。", "！", "？", "…", "”", "」", "）", ")", "，", "欢迎收看", "谢谢", "hello", "时间",
          "2007年", "x"]
NAMES = ["主持人", "主持", "记者", "高 岩", "和晶", "李大星", "记者问", "问", "答", "网友“小草”", "John Smith", "Note"]
BEFORE = ["", " ", "\u3000", "\xa0", "\t", "。", "！", "？", "?", "…", "”", "」", "』", "）", ")", "，", "欢迎收看", "x"]
# text, then what may stand before a label, then a name as a label is written (bare or bracketed), then its colon
CHUNK = st.tuples(st.sampled_from(["", "欢迎收看", "hello", "谢谢"]), st.sampled_from(BEFORE), st.sampled_from(NAMES),
                  st.sampled_from(["", "[]", "【】", "〔〕", "［］"]), st.sampled_from(["", ":", "：", " :", "： "])
                  ).map(lambda c: c[0] + c[1] + (c[3][0] + c[2] + c[3][1] if c[3] else c[2]) + c[4])
LINE = st.one_of(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join),
                 st.lists(CHUNK, min_size=1, max_size=5).map("".join))


def _opening(line: str):
    m = OPENING.match(line)
    if not m:
        return None
    raw = m["b"] if m["b"] is not None else m["p"]
    written = line[: m.start("text")].strip()
    if m["b"] is None and re.fullmatch(L.EN_NAME, raw) and not m["text"].startswith(" ") and m["text"] \
            and not written.endswith("："):
        return None
    return written, L.clean_name(raw), m["text"]


@given(LINE)
@example("…以下为节目内容。 杨 春:欢迎收看")
@example("【主持人】：大家好 【嘉宾】谢谢")
@example("高 岩:\n欢迎")
@example("John Smith: Hello")
@example("（笑）主持人：好的")
def test_labels_are_found_where_the_two_old_patterns_found_them(line):
    for text in (line, line.strip()):
        assert L.loose_label(text) == _opening(text)
        found = [(m.start(), m.end(), m["b"], m["p"]) for m in L.midline_labels(text)]
        assert found == [(m.start(), m.end(), m["b"], m["p"]) for m in AFTER_TEXT.finditer(text)]


def test_a_label_after_a_sentence_cuts_the_line():
    assert [(m.start(), L.clean_name(m["p"])) for m in L.midline_labels("…以下为节目内容。 杨 春:欢迎收看")] \
        == [(10, "杨春")]
    assert L.loose_label("【主持人】：大家好") == ("【主持人】：", "主持人", "大家好")
