"""Lines that hold more than one turn, and labels broken over two lines, in English transcripts.

Pasted transcripts lose their line breaks: `…tonight: DONALD TRUMP, President of the United States:`,
`Learn Moreabout PBS online sponsorshipGEOFF BENNETT: Good evening.`, `(BREAK) JUDY WOODRUFF: …`,
closed-caption `>>` speaker marks; or break a label itself over two lines
(`BRYAN MCKUNE, Manager of Pilot Development,` / `Alaska Airlines: It's …`). The page's own labels
say where to cut: a name in capitals (two words or more, or one the page uses as a label elsewhere)
with its role, before a colon. Each cut is reported.
"""
from __future__ import annotations

from collections import Counter

from .lazyre import Lazy as lazy

CAPS_WORD = r"[A-Z][A-Z.'\-]+"
CAPS_NAME = rf"{CAPS_WORD}(?: {CAPS_WORD}){{0,3}}"
ROLE_TAIL = r"(?:, ?[A-Z][A-Za-z.'&\-]*(?: (?:of|the|and|for|on|at|to|in|[A-Z][A-Za-z.'&\-]*)){0,9}){0,2}"
LABEL_AHEAD = rf"(?P<name>{CAPS_NAME})(?P<role>{ROLE_TAIL})\s?:(?=\s*(?:[A-Za-z(\[\"“‘']|$))"
# where a glued label may start: after a sentence's end, a colon or a closing bracket (and a space), or
# straight after a lowercase letter (a page's link text run into the label)
MIDLINE_RE = lazy(rf"(?:(?<=[.?!…\"”)\]:—] )|(?<=[.?!…\"”)\]—])|(?<=[a-z])){LABEL_AHEAD}")
LINE_LABEL_RE = lazy(rf"^(?:[♪>\s]*){LABEL_AHEAD}")
BROKEN_LABEL_RE = lazy(rf"^{CAPS_NAME}, [^:]{{1,60}},$")
LABEL_REST_RE = lazy(r"^[A-Z][^:]{0,60}:\s")
CAPTION_MARK_RE = lazy(r"\s*(?:♪\s*)?>>\s*")
# `演说题目:Questioning the universe 演说者:Stephen Hawking There is nothing…`: a talk's credits run into it
TALK_CREDITS_RE = lazy(r"^(?P<title>(?:演说|演說|演讲|演講)?(?:题目|題目)\s*[:：]\s*.{1,80}?)\s+"
                             r"(?P<credit>(?:演说者|演說者|演讲者|演講者|主讲人|主講人|讲者|講者|演讲人|演講人)\s*[:：]\s*"
                             r"(?:[A-Z][a-z]+(?: [A-Z]\.)? [A-Z][a-z]+|(?:[^\W\d_]|·){2,4}))\s+(?P<rest>\S.*)$")  # a run-in name: two words


def _markup(line: str) -> bool:
    """A Markdown table row or text with inline code: quoted labels, not turns."""
    return line.lstrip().startswith("|") or "`" in line


def _names(lines: list[str]) -> Counter:
    found: Counter = Counter()
    for line in lines:
        if ":" not in line or _markup(line):
            continue
        m = LINE_LABEL_RE.match(line)
        if m:
            found[m["name"]] += 1
        for m in MIDLINE_RE.finditer(line):
            found[m["name"]] += 1
    return found


def split(logical: list[tuple[int, str]], done: set[int] = frozenset()) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:  # type: ignore[assignment]
    """(lines, notes): glued labels cut onto lines of their own, broken labels joined. Lines numbered in
    `done` were already cut by the run-on rule (labels.split_glued_labels) and are left as they are."""
    out: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    for number, text in logical:
        talk = TALK_CREDITS_RE.match(text.strip()) if "题目" in text or "題目" in text else None
        if talk:
            notes.append((number, "a talk's title and speaker before its text: each on a line of its own"))
            out += [(number, talk["title"]), (number, talk["credit"]), (number, ""), (number, talk["rest"])]
        else:
            out.append((number, text))
    logical, out = out, []
    texts = [t for _, t in logical]
    names = _names(texts)
    if sum(n for name, n in names.items() if " " in name) < 2 and not any(n >= 2 for n in names.values()):
        return logical, notes  # no English label in capitals recurs: nothing to cut by
    skip = False
    for i, (number, text) in enumerate(logical):
        if skip:
            skip = False
            continue
        if BROKEN_LABEL_RE.match(text.strip()) and i + 1 < len(logical) and LABEL_REST_RE.match(logical[i + 1][1].strip()):
            text = text.strip() + " " + logical[i + 1][1].strip()
            notes.append((number, "a speaker label broken over two lines: joined"))
            skip = True
        parts = _cut(text, names) if number not in done else [text]
        if len(parts) > 1:
            notes.append((number, f"{len(parts) - 1} speaker label(s) glued to the text before: the line is split before "
                                  + ", ".join(repr(p[:20]) for p in parts[1:])))
            for part in parts:
                out += [(number, ""), (number, part)]
            out.append((number, ""))
        else:
            out.append((number, text))
    return out, notes


def _cut(text: str, names: Counter) -> list[str]:
    if (":" not in text and ">>" not in text) or _markup(text):
        return [text]
    cuts = []
    for m in MIDLINE_RE.finditer(text):
        if " " in m["name"] or names[m["name"]] >= 2:
            cuts.append(m.start())
    if names and text.count(">>") >= 1:
        cuts += [m.start() for m in CAPTION_MARK_RE.finditer(text) if m.start() > 0]
    cuts = sorted(set(c for c in cuts if c > 0))
    if not cuts:
        return [text]
    parts = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return [p for p in parts if p]
