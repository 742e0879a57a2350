"""The script laid out as a table in a Word document → labelled turns.

TV scripts are often written as a speaker | text table (sometimes with time,
shot or notes columns). Each row becomes the line the text form would have,
`**speaker：**[notes]text`, keeping the Word paragraph number of its cell. A
table that is not laid out that way is read as its cells' paragraphs in order.
Kept apart from docx.py, which opens the file and reads its paragraphs.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: docx_reader.py imports this module, not the other way
    from collections.abc import Iterator

    from .docx_reader import DocxLines

COLON_END_RE = re.compile(r"[:：]\s*$")
# Column headers of a script laid out as a table
SPEAKER_HEADERS = ("角色", "人物", "说话人", "說話人", "发言人", "發言人", "讲话人", "講話人", "姓名", "出镜", "出鏡",
                   "speaker", "name", "character", "who")
TEXT_HEADERS = ("内容", "內容", "台词", "台詞", "文稿", "同期", "解说", "解說", "正文", "稿件", "对白", "對白",
                "text", "dialogue", "line", "script")
SENTENCE_PUNCT = set("。！？!?；;，,")


class Table:
    """A table: a script (speaker | text, maybe with time or picture columns) or just cells of text."""

    def __init__(self, rows: list[list[list[tuple[int, str]]]], out: DocxLines) -> None:
        self.rows = [r for r in rows if any(r)]
        self.out = out

    def emit(self) -> None:
        if not self.rows:
            return
        width = max(len(r) for r in self.rows)
        header = [_cell_text(c).lower() for c in self.rows[0]]
        speaker = _column(header, SPEAKER_HEADERS)
        text = _column(header, TEXT_HEADERS)
        body = self.rows
        if speaker is not None and text is not None:
            first = self.rows[0][0][0][0] if self.rows[0] and self.rows[0][0] else 0
            self.out.notes.append((first, f"table header {' | '.join(_cell_text(c) for c in self.rows[0])!r} read as "
                                          "the columns' names"))
            body = self.rows[1:]
        elif width >= 2 and self._label_column(0):
            speaker, text = 0, max(range(1, width), key=lambda i: sum(len(_cell_text(r[i])) for r in self.rows if len(r) > i))
        else:
            for row in self.rows:
                for cell in row:
                    for number, para in cell:
                        self.out.paragraph(number, para)
            return
        for row in body:
            self.row(row, speaker, text)

    def _label_column(self, index: int) -> bool:
        cells = [_cell_text(r[index]) for r in self.rows if len(r) > index]
        labels = [c for c in cells if c and _label_like(c)]
        return len(labels) * 2 >= len(cells) and len(labels) >= 1

    def row(self, row: list[list[tuple[int, str]]], speaker: int, text: int) -> None:
        who = _cell_text(row[speaker]) if len(row) > speaker else ""
        said = row[text] if len(row) > text else []
        extra = [_cell_text(c) for i, c in enumerate(row) if i not in (speaker, text) and _cell_text(c)]
        notes = "".join(f"[{chunk}]" for e in extra for chunk in _chunks(e.replace("[", "（").replace("]", "）"), 78))
        number = (row[speaker][0][0] if len(row) > speaker and row[speaker] else
                  said[0][0] if said else 0)
        who = COLON_END_RE.sub("", who.strip("*")).strip().strip("[]【】〔〕()（）").strip()
        if not said and not who:
            if notes:
                self.out.paragraph(number, notes)
            return
        if not who:  # a row that goes on the turn above: its picture/time notes stay with it
            for i, (n, para) in enumerate(said):
                self.out.paragraph(n, notes + para if i == 0 else para)
            return
        first = said[0][1] if said else ""
        self.out.paragraph(number, f"**{who}：**{notes}{first}")
        for n, para in said[1:]:
            self.out.paragraph(n, para)


def _cell_text(cell: list[tuple[int, str]]) -> str:
    return " ".join(text for _, text in cell).strip()


def _column(header: list[str], words: tuple[str, ...]) -> int | None:
    for i, h in enumerate(header):
        if h and len(h) <= 12 and any(h == w or (w.isascii() and w in re.split(r"\W+", h)) or
                                      (not w.isascii() and w in h) for w in words):
            return i
    return None


def _label_like(text: str) -> bool:
    text = COLON_END_RE.sub("", text.strip())
    return 0 < len(text) <= 25 and not any(ch in SENTENCE_PUNCT for ch in text) and not text.isdigit() and \
        any(ch.isalpha() for ch in text)


def _chunks(text: str, size: int) -> Iterator[str]:
    for i in range(0, len(text), size):
        yield text[i:i + size]

