"""Names a page gives its speakers in its own words (the page model's last step).

`I'm Terry Gross` opening an unlabelled text, a talk credited in the title or the credits, 我是主持人张曼,
a bare 主席 named in the minutes' header, 柯 → 柯文哲 from the title, WILLIAM → William Brangham who says
"I'M WILLIAM BRANGHAM", SANDERS → the full name in the lede. Each is reported with its line.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import labels as L
from . import pageblocks as B
from . import words as W
from .lazyre import Lazy as lazy

if TYPE_CHECKING:
    from .pagemodel import PageModel

SELF_INTRO_EN_RE = lazy(r"\bI(?:'m|’m| am) (?:your (?:[\w ]{0,40}? )?host,? )?([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\b")
# a headline crediting the talk: `Google工程師Matt Cutts在TED的勵志演講稿`
TITLE_SPEECH_RE = lazy(r"([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\s*(?:在|於|于)?[^\s，,。]{0,12}?(?:演讲|演講|演说|演說|讲话|講話|致辞|致詞)")
SELF_INTRO_ZH_RE = lazy(r"我是(?:主持人|主播)([^\W\d_]{2,3})(?=[。，,！!、；;\s])")
HEADER_ROLE_RE = lazy(r"^(?P<role>主\s*席|主\s*持\s*人)\s*[:：]?\s+(?P<who>[^\W\d_]{2,8})$")


def give_names(model: PageModel, lines: list[str], numbers: list[int], labelled: list[int], first: int,
           furniture: dict[int, str]) -> None:
    """Names the page gives in its own words."""
    if labelled:
        opening = [i for i in range(labelled[0]) if lines[i] and i not in furniture and i != model.title]
    else:  # no labels: the opening of the text itself
        opening = [i for i in range(first, min(len(lines), first + 6)) if lines[i] and i not in furniture]
    for i in opening:
        m = SELF_INTRO_EN_RE.search(lines[i])
        if m:
            model.opening_speaker = m[1]
            model.report.append((numbers[i], f"the opening text is read by {m[1]} (who says {m.group()!r})"))
            break
    credit = next((m["name"] for i in range(min(first + 1, len(lines))) if i in furniture
                   and (m := B.SPEAKER_CREDIT_RE.match(lines[i]) or B.TRANSCRIPT_BY_RE.search(lines[i]))), None)
    if credit is None and not labelled and model.title is not None and (m := TITLE_SPEECH_RE.search(lines[model.title])):
        credit = m[1]
    if credit and not model.opening_speaker:
        model.opening_speaker = credit
        model.report.append((numbers[min(first, len(numbers) - 1)], f"the unlabelled text is read by {credit}, "
                                                                   "the speaker the page credits"))
    if not labelled:
        return
    for i in labelled[:3]:
        m = SELF_INTRO_ZH_RE.search(lines[i])
        if m and L.clean_name(re.split("[:：]", lines[i])[0]).lstrip("[【").rstrip("]】") in L.HOST_WORDS:
            model.host_name = m[1]
            model.report.append((numbers[i], f"the host names herself or himself: {m.group()!r}"))
            break
    title = lines[model.title] if model.title is not None else ""
    header_text = "\n".join(lines[i] for i in range(labelled[0]) if lines[i])
    for i in range(labelled[0]):
        if (m := HEADER_ROLE_RE.match(lines[i])):  # `主  席 游院長錫堃`: a bare 主席: label is this person
            role = re.sub(r"\s+", "", m["role"])
            model.names[role] = L.parse_label(m["who"]).name
    for i in labelled:
        c = model.labels.get(i)
        raw = c.raw if c else L.clean_name(re.split("[:：]", lines[i])[0])
        if raw in model.names:
            continue
        if len(raw) == 1 and re.fullmatch(L.HANZI, raw) and (m := re.search(rf"{raw}{L.HANZI}{{2}}", title)):
            model.names[raw] = m.group()  # 柯: → 柯文哲, named in the title
        elif re.fullmatch(r"[A-Z][A-Z'\-]+", raw) and (said := re.search(
                rf"\bI'?(?:M| AM)\s+{raw}\s+([A-Z][A-Za-z'\-]+)\b", lines[i], re.I)):
            model.names[raw] = f"{raw.capitalize()} {said[1].capitalize()}"  # WILLIAM: … I'M WILLIAM BRANGHAM
        elif re.search(r"[A-Za-z]", raw) and (full := _full_name(L.parse_label(raw).name, header_text)):
            model.names[raw] = full  # SANDERS: after "deputy press secretary Sarah Huckabee Sanders" in the lede
    for raw, name in model.names.items():
        at = next((n for n in labelled if raw in lines[n]), first)
        model.report.append((numbers[at], f"label {raw!r} read as {name}, the name the page gives"))


def _full_name(name: str, text: str) -> str | None:
    """The one full name in `text` ending in the surname `name` (role words before it dropped), if any."""
    if " " in name or len(name) < 3 or not name.isalpha():
        return None
    surname = name.capitalize()
    found = set()
    for m in re.finditer(rf"((?:[A-Z][a-z]+ ){{1,3}}){surname}\b", text):
        words = m[1].split()
        while words and (words[0].upper() in W.EN_ROLE_WORDS or words[0].upper() in ("PRESS", "DEPUTY", "WHITE", "HOUSE")):
            words.pop(0)
        if words:
            found.add(" ".join(words + [surname]))
    return found.pop() if len(found) == 1 else None
