"""Which clauses share a cue: one clause per cue, a fragment with the clause it belongs to (issue 23).

Professional subtitlers end a cue at clause punctuation and keep one clause (one utterance) per cue.
A fragment of 3 characters or fewer (是的，  对吗？) or a leading connective (不过，但是，所以，与此同时，)
is not left alone on screen nor at a cue's end: a fragment ending a sentence goes back to the clause it
closes, any other goes forward into the clause it opens. Two short clauses share a cue only when both
fit and the second continues the first (the first ends on ，、：; not a sentence), or when the first
is a short lead-in (截至目前，) to a clause that fits with it.
"""
from __future__ import annotations

from dataclasses import replace

from ..timing import Phrase
from .profile import Profile

SENTENCE_END = set("。！？!?….")
CLOSERS = " ”’」』）)\"'"
CONNECTIVES = frozenset("""不过 但是 但 所以 因此 因而 然而 而且 并且 同时 此外 另外 其次 首先 最后 然后 那么 于是 总之 可是
    其实 当然 比如 例如 就是说 也就是说 换句话说 与此同时 另一方面 一方面 事实上 实际上 总的来说 总而言之 除此之外
    接下来 对此 为此 否则 不然 况且 何况 甚至 尤其是 特别是 而是 还有 第一 第二 第三""".split())
EN_CONNECTIVES = frozenset("""so but and well now yes yeah no okay ok however therefore indeed and so because or then
    still also besides meanwhile anyway actually""".split())
FRAGMENT = 3  # characters (Chinese) or one word (English)
LEAD_IN = 5.0  # a clause this short (截至目前，) may lead any clause that fits with it
SHORT = 10.0  # width of a clause short enough to share a cue with another short one (tuned: 4–16 on the tune round)


def content(text: str, profile: Profile) -> str:
    return "".join(ch for ch in profile.display(text) if ch.isalnum())


def _ends_sentence(text: str) -> bool:
    s = text.rstrip(CLOSERS)
    return bool(s) and s[-1] in SENTENCE_END


def _fragment(text: str, profile: Profile) -> bool:
    if len(text) > 16 if profile.language == "zh" else text.strip().count(" ") > 3:
        return False  # too long to be one (the longest connective and its marks fit in 16)
    core = content(text, profile)
    if not core:
        return False  # punctuation only: the packer handles it
    if profile.language == "zh":
        return len(core) <= FRAGMENT or core in CONNECTIVES
    words = profile.display(text).split()
    return len(words) == 1 or " ".join(w.strip(",.;:!?").lower() for w in words) in EN_CONNECTIVES


def clauses(phrases: tuple[Phrase, ...], profile: Profile) -> list[tuple[Phrase, tuple[int, ...]]]:
    """The turn's phrases with fragments joined to their clause, each with the offsets it was joined at.
    An enumeration (思想、能力、作风、落实) is one clause: its items are not clauses of their own."""
    out: list[tuple[Phrase, tuple[int, ...]]] = []
    phrases = _enumerations(phrases)
    carry: tuple[Phrase, tuple[int, ...]] | None = None  # fragments waiting for the clause they open
    for ph in phrases:
        if carry is not None:
            if carry[0].paragraph == ph.paragraph:
                ph, seams = _join(carry[0], ph), carry[1] + (len(carry[0].text),)
            else:
                out.append(carry)
                seams = ()
            carry = None
        else:
            seams = ()
        if _fragment(ph.text, profile) or seams and _fragment(ph.text[seams[-1]:], profile):
            if _ends_sentence(ph.text):
                prev = out[-1][0] if out else None
                if prev is not None and prev.paragraph == ph.paragraph and not _ends_sentence(prev.text):
                    out[-1] = (_join(prev, ph), out[-1][1] + tuple(len(prev.text) + s for s in (0, *seams)))
                    continue
            else:
                carry = (ph, seams)
                continue
        out.append((ph, seams))
    if carry is not None:  # nothing left to open: it closes the clause before it
        ph, seams = carry
        prev = out[-1][0] if out else None
        if prev is not None and prev.paragraph == ph.paragraph:
            out[-1] = (_join(prev, ph), out[-1][1] + tuple(len(prev.text) + s for s in (0, *seams)))
        else:
            out.append(carry)
    return out


def _enumerations(phrases: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    out: list[Phrase] = []
    for ph in phrases:
        if out and out[-1].paragraph == ph.paragraph and out[-1].text.rstrip(CLOSERS).endswith(("、", "·")):
            out[-1] = _join(out[-1], ph)
        else:
            out.append(ph)
    return tuple(out)


def _join(a: Phrase, b: Phrase) -> Phrase:
    """Two consecutive phrases of a paragraph as one (the pause between them inside it)."""
    marks: tuple[tuple[int, int], ...] = ()
    if a.marks or b.marks:
        marks = a.marks + ((len(a.text), b.start_ms),) + tuple((o + len(a.text), ms) for o, ms in b.marks)
    return replace(a, text=a.text + b.text, syllables=a.syllables + b.syllables, end_ms=b.end_ms,
                   pause_ms=b.pause_ms, marks=marks)


def goes_with(first: str, second: str, profile: Profile, lines: bool = False) -> bool:
    """May whole clause `second` share a cue (or, with lines, a two-line cue) with clause `first`?"""
    if _ends_sentence(first):
        return False
    if lines:
        return profile.width(profile.display(first)) <= profile.max_width
    scale = profile.max_width / 16 if profile.language == "zh" else 42 / 16
    a, b = profile.width(profile.display(first)), profile.width(profile.display(second))
    return a <= LEAD_IN * scale or a <= SHORT * scale and b <= SHORT * scale
