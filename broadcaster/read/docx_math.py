"""Word equations (OMML `m:oMath`) as the linear text Word itself shows for them.

Word's "linear" form (UnicodeMath) writes a fraction as `(a+b)/c`, a power as
`x^2`, a root as `√(x)`, a sum as `∑_(i=1)^n`, a matrix row by row. That is how
an equation in a script is read here: a line of text a presenter can say or
skip, never the equation dropped. Unknown structures give their text in order.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
_NARY_DEFAULT = "∫"


def linear(el: _Element) -> str:
    """The linear text of an `m:oMath` or `m:oMathPara` element."""
    if el.tag == M + "oMathPara":
        return " ".join(linear(m) for m in el.iter(M + "oMath"))
    return _seq(el).strip()


def _seq(el: _Element) -> str:
    return "".join(_node(child) for child in el)


def _arg(el: _Element | None) -> str:
    """An argument, bracketed when it is more than one symbol: x^(n+1), (a+b)/c."""
    text = _seq(el) if el is not None else ""
    if len(text) <= 1 or (text.startswith("(") and text.endswith(")")) or text.isalnum():
        return text
    return f"({text})"


def _chr(el: _Element, tag: str, default: str) -> str:
    pr = el.find(tag)
    if pr is None:
        return default
    ch = pr.find(M + "chr")
    if ch is None:
        return default
    return ch.get(M + "val", "")


def _node(el: _Element) -> str:  # noqa: C901 - one branch per OMML structure
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith(M):
        if tag == W_T:
            return el.text or ""
        return "".join(_node(c) for c in el) if isinstance(tag, str) and not tag.endswith("Pr") else ""
    name = tag[len(M):]
    if name == "r":
        return "".join(t.text or "" for t in el.iter(M + "t", W_T))
    if name.endswith("Pr"):
        return ""
    if name == "f":
        return f"{_arg(el.find(M + 'num'))}/{_arg(el.find(M + 'den'))}"
    if name == "sSup":
        return f"{_seq(el.find(M + 'e'))}^{_arg(el.find(M + 'sup'))}"
    if name == "sSub":
        return f"{_seq(el.find(M + 'e'))}_{_arg(el.find(M + 'sub'))}"
    if name == "sSubSup":
        return f"{_seq(el.find(M + 'e'))}_{_arg(el.find(M + 'sub'))}^{_arg(el.find(M + 'sup'))}"
    if name == "sPre":
        return f"_{_arg(el.find(M + 'sub'))}^{_arg(el.find(M + 'sup'))}{_seq(el.find(M + 'e'))}"
    if name == "rad":
        degree = _seq(el.find(M + "deg")) if el.find(M + "deg") is not None else ""
        root = {"": "√", "3": "∛", "4": "∜"}.get(degree)
        body = _seq(el.find(M + "e"))
        return f"{root}({body})" if root else f"√({degree}&{body})"
    if name == "nary":
        op = _chr(el, M + "naryPr", _NARY_DEFAULT)
        sub, sup = el.find(M + "sub"), el.find(M + "sup")
        limits = (f"_{_arg(sub)}" if sub is not None and _seq(sub) else "") + \
                 (f"^{_arg(sup)}" if sup is not None and _seq(sup) else "")
        return f"{op}{limits} {_seq(el.find(M + 'e'))}"
    if name == "d":
        pr = el.find(M + "dPr")
        beg, end, sep = "(", ")", "|"
        if pr is not None:
            for attr, default in (("begChr", "("), ("endChr", ")"), ("sepChr", "|")):
                ch = pr.find(M + attr)
                value = ch.get(M + "val", "") if ch is not None else default
                if attr == "begChr":
                    beg = value
                elif attr == "endChr":
                    end = value
                else:
                    sep = value
        return beg + sep.join(_seq(e) for e in el.findall(M + "e")) + end
    if name == "func":
        return f"{_seq(el.find(M + 'fName'))} {_seq(el.find(M + 'e'))}"
    if name in ("limLow", "limUpp"):
        mark = "_" if name == "limLow" else "^"
        return f"{_seq(el.find(M + 'e'))}{mark}{_arg(el.find(M + 'lim'))}"
    if name == "acc":
        return _seq(el.find(M + "e")) + _chr(el, M + "accPr", "\u0302")
    if name == "bar":
        return f"¯({_seq(el.find(M + 'e'))})"
    if name == "groupChr":
        return _seq(el.find(M + "e")) + _chr(el, M + "groupChrPr", "⏟")
    if name == "m":
        return "■(" + "@".join("&".join(_seq(e) for e in row.findall(M + "e")) for row in el.findall(M + "mr")) + ")"
    if name == "eqArr":
        return "█(" + "@".join(_seq(e) for e in el.findall(M + "e")) + ")"
    return _seq(el)
