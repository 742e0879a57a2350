"""Where a subtitler breaks a clause, and which short clauses travel together (issue 23).

A clause too long for one line is cut where the cost is lowest, over the whole clause at once
(dynamic programming over the positions a line may break at, each piece within the line):
- never start a line with a particle, aspect marker or modal (的 地 得 了 着 过 们 吗 呢 吧 等), nor end
  one on a preposition, conjunction, negation or a degree or linking adverb (在 从 把 被 对 和 与 或 但
  不 没 很 也 都 就 才 还): word classes from jieba's dictionary tags (wordbreak.tags);
- keep words whole, numbers with their measure words, a modifier with its noun, a noun phrase with its
  locative (经济发展的主战场上);
- prefer a break after a complete noun phrase, before a verb phrase or a preposition;
- balance the pieces' widths.
English: never end a line on an article, preposition, conjunction or possessive, nor split a verb
from its particle. Clause fragments (3 characters or fewer, or a leading connective such as 不过，
但是，所以，) are joined to the clause they belong to before cutting (segment.py).
"""
from __future__ import annotations

import math

from .profile import Profile
from .wordbreak import allowed, tags

# Never at the start of a line (the word after the break) ...
NO_START = frozenset("的 地 得 了 着 过 们 吗 呢 吧 啊 呀 嘛 等 等等 之 似的 一样 为止 而已 罢了".split())
NO_START_FLAGS = frozenset({"uj", "ul", "uz", "ug", "uv", "ud", "u", "y", "e"})
# ... nor at the end (the word before it): they lead the words that follow.
NO_END = frozenset("""在 从 把 被 对 和 与 或 但 但是 不 没 没有 很 也 都 就 才 还 还是 只是 而 并 又 及 以及 或者 或是
    而且 并且 因为 所以 如果 虽然 由于 为 为了 向 给 跟 同 比 让 使 由 以 按 按照 通过 关于 对于 根据 随着 当 自
    自从 离 朝 往 至 直到 不仅 不但 只有 只要 无论 不管 即使 尽管 而是""".split())
# ... and better not (modals, demonstratives, degree): 我们将 | 扛起, 这个 | 黑箱
LEADING = frozenset("""将 要 会 能 能够 可以 应该 必须 正在 已经 非常 更 最 更加 十分 特别 一个 这个 那个 这些 那些 每
    各 该 其 这 那 如何 怎么 是否""".split())
NO_END_FLAGS = frozenset({"p", "c"})
NOUNISH = ("n", "r", "s", "f", "t", "vn", "an", "nr", "ns", "nt", "nz", "ng", "j", "l", "i", "eng", "m", "q")
VERBISH = ("v", "d", "p", "c", "ad", "vd")
LOCATIVE = frozenset("上 下 中 里 内 外 前 后 间 当中 之中 之间 之前 之后 以来 以上 以下 方面 期间 过程 时 时候".split())

EN_NO_END = frozenset("""a an the of to in on at for with by from into onto upon about and or but nor so my your his
    her its our their this these those that as than if because over between like through during without within
    under after before while whose which who i we you he she they it is are was were be been not very""".split())
EN_PARTICLES = frozenset("up out off down away back over on in around about".split())

_HARD = 100.0  # a rule broken only where nothing else fits
_SOFT = 30.0  # inside a word: worse than one more cue
_BALANCE = 0.25  # per squared character of a piece's distance from the even width
_PIECE = 10.0  # per piece: fewer, fuller cues unless more read better
_MORE = 6.0  # what one more piece than needed must gain over the fewest
_RETRY = 10.0  # a cut this costly (a compound noun, a locative) makes one more piece worth a try


def split_clause(text: str, profile: Profile, min_pieces: int = 1,
                 seams: tuple[int, ...] = ()) -> list[str] | None:
    """text cut into pieces of at most one line each, where a subtitler would cut it; None when no
    cut that the hard rules allow fits (the caller falls back to the forced cut). seams: offsets
    where a fragment was joined to its clause (同时，| 充分发挥…): a break there is a last resort."""
    n = len(text)
    widths = [0.0]
    blanks = [0]
    for ch in text:
        blank = ch in profile.blank_punct
        widths.append(widths[-1] + (0.0 if blank else profile.width(ch)))
        blanks.append(blanks[-1] + blank)
    limit = profile.max_width
    total = widths[n]
    if total <= limit and min_pieces <= 1 and profile.width(profile.display(text)) <= limit:
        return [text]
    pieces = max(min_pieces, math.ceil(total / limit), 2)
    cost_at = _costs(text, profile)
    for i in seams:
        for j in range(i - 1, i + 2):  # the seam and the punctuation around it
            cost_at[j] = cost_at.get(j, 0.0) + _HARD
    allowed_at = [j for j in range(1, n) if allowed(text, j)]
    # between words first (a cut inside a word only where no other fits: 开发区, 产业园 stay whole)
    for positions in ([j for j in allowed_at if cost_at.get(j, 0.0) < _SOFT], allowed_at):
        best = _cheapest(text, profile, widths, blanks, cost_at, positions, total / pieces)
        if best is None or max((cost_at.get(i, 0.0) for i in best[2]), default=0.0) >= _RETRY:
            # one more piece than needed may read better (数字 | 因为… | 或者…) where the fewest break badly
            found = _cheapest(text, profile, widths, blanks, cost_at, positions, total / (pieces + 1))
            if found is not None and (best is None or found[0] + _MORE < best[0]):
                best = found
        if best is not None:
            return best[1]
    return None


def _cheapest(text: str, profile: Profile, widths: list[float], blanks: list[int], cost_at: dict[int, float],
              positions: list[int], even: float) -> tuple[float, list[str], list[int]] | None:
    """The cheapest cut at `positions` into pieces of at most a line, each near `even` wide (linear:
    a piece only reaches back one line's worth of positions)."""
    n, limit = len(text), profile.max_width
    points = [0, *positions, n]
    best = [math.inf] * len(points)
    back = [-1] * len(points)
    best[0] = 0.0
    first = 0  # the earliest point still within a line's reach
    for b in range(1, len(points)):
        j = points[b]
        wj, bj = widths[j], blanks[j]
        cut = cost_at.get(j, 0.0) if j < n else 0.0
        while wj - widths[points[first]] > limit:
            first += 1
        for a in range(b - 1, first - 1, -1):
            ca = best[a]
            if ca == math.inf:
                continue
            i = points[a]
            w = wj - widths[i]
            if w == 0 and j < n:
                continue
            if w + 0.5 * (bj - blanks[i]) > limit and profile.width(profile.display(text[i:j])) > limit:
                continue  # the blanked punctuation shows as spaces
            c = ca + _PIECE + _BALANCE * (w - even) ** 2 + cut
            if c < best[b]:
                best[b], back[b] = c, a
    if best[-1] == math.inf:
        return None
    cuts, b = [], len(points) - 1
    while b > 0:
        cuts.append(points[b])
        b = back[b]
    cuts.append(0)
    cuts.reverse()
    return best[-1], [text[x:y] for x, y in zip(cuts, cuts[1:], strict=False)], cuts[1:-1]


def _costs(text: str, profile: Profile) -> dict[int, float]:
    """The cost of a break before text[i], for every i a break may fall at (missing: 0)."""
    if profile.language != "zh":
        return _english_costs(text)
    words = tags(text)
    out: dict[int, float] = {}
    ends = {end: k for k, (end, _) in enumerate(words)}
    starts = [0] + [end for end, _ in words[:-1]]
    pos = 0
    for i in range(1, len(text)):
        while pos < len(words) and words[pos][0] <= i:
            pos += 1
        if i not in ends:
            out[i] = _SOFT + (_HARD if text[i - 1].isdigit() and text[i].isdigit() else 0.0)
            continue
        k = ends[i]
        prev_word, prev_flag = text[starts[k]:i], words[k][1]
        nxt_word, nxt_flag = (text[i:words[k + 1][0]], words[k + 1][1]) if k + 1 < len(words) else ("", "x")
        out[i] = _pair_cost(prev_word, prev_flag, nxt_word, nxt_flag)
    if "《" in text:
        _inside_titles(text, out)
    return out


def _pair_cost(prev_word: str, prev_flag: str, nxt_word: str, nxt_flag: str) -> float:
    cost = _HARD if nxt_word in NO_START or nxt_flag in NO_START_FLAGS else 0.0
    if prev_flag == "x" and prev_word.strip() and not prev_word.isascii():
        return cost - 8.0  # after 、 or a closing mark inside the clause: the seam a reader sees
    if prev_word in NO_END or prev_flag in NO_END_FLAGS:
        return cost + _HARD  # 继续加强与 | “中国兽药协会”
    if prev_word in LEADING or prev_flag in ("d", "ad", "vd"):
        return cost + _HARD / 2  # an adverb or a modal leads its verb, a demonstrative its noun
    if nxt_flag == "x" or prev_flag == "x":  # spaces, opening marks
        return cost
    if prev_word in ("是", "有"):
        cost += 6.0  # 开发区是 | 如何…: better before the verb
    if nxt_word in LOCATIVE or nxt_flag == "f":
        cost += 10.0  # 经济发展的 | 主战场上: the locative closes the noun phrase
    if prev_flag in ("m", "mq") and (nxt_flag in ("q", "m", "mq") or prev_word[-1:].isdigit()):
        cost += 10.0  # 50 | 余个, 三 | 个项目
    if prev_flag in ("a", "b", "an", "z") and nxt_flag.startswith("n"):
        cost += 6.0  # 热乎 | 饭菜
    if _noun(prev_flag) and _noun(nxt_flag):
        cost += 10.0  # inside a compound noun (中国建材 | 研究总院, 个人 | 医保云)
    elif _noun(prev_flag) and nxt_flag == "vn" or prev_flag == "vn" and _noun(nxt_flag):
        cost += 6.0  # 老旧小区 | 改造, 服务 | 范围
    if prev_flag in ("v", "vn") and nxt_flag.startswith("v"):
        cost += 3.0  # serial verbs
    if prev_flag.startswith(NOUNISH) and nxt_flag in VERBISH:
        cost -= 2.0  # after a noun phrase, before the verb phrase
    return cost


def _noun(flag: str) -> bool:
    return flag.startswith("n") or flag == "j"  # j: an abbreviation (医保)


def _inside_titles(text: str, out: dict[int, float]) -> None:
    """A break inside a title in 《》 costs more: the title is read as one name."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth = max(0, depth - 1)
        elif depth and i in out:
            out[i] += 25.0


def _english_costs(text: str) -> dict[int, float]:
    out: dict[int, float] = {}
    words = text.split(" ")
    pos = 0
    for k, word in enumerate(words[:-1]):
        pos += len(word) + 1
        prev = word.lower().strip("\"'“”‘’()")
        nxt = words[k + 1].lower().strip("\"'“”‘’(),.;:!?")
        cost = 0.0
        if word and word[-1] in ",;:.!?":
            cost -= 6.0
        elif prev in EN_NO_END or prev.endswith(("'s", "’s")):
            cost += _HARD
        if nxt in EN_PARTICLES and not (word and word[-1] in ",;:.!?"):
            cost += 8.0
        for i in (pos - 1, pos):  # the break may fall either side of the space
            out[i] = cost
    return out


def wrap_points(text: str, most: float = 10.0, shortest: int = 2) -> list[int]:
    """Where a line of running Chinese text (the prompter page) may wrap: between words where a
    subtitle break would cost at most `most`, never leaving fewer than `shortest` characters
    between two points; next to punctuation or a space the browser finds its own."""
    if not text:
        return []
    words = tags(text)
    out: list[int] = []
    last = 0
    starts = [0] + [end for end, _ in words[:-1]]
    for k in range(len(words) - 1):
        i = words[k][0]
        a, b = text[i - 1], text[i]
        if not (_cjk(a) and (_cjk(b) or b in _OPENERS)) or i - last < shortest or len(text) - i < shortest:
            if not (_cjk(a) and _cjk(b)):
                last = i
            continue
        if _pair_cost(text[starts[k]:i], words[k][1], text[i:words[k + 1][0]], words[k + 1][1]) <= most:
            out.append(i)
            last = i
    return out


_OPENERS = set("“‘《（「『【〔")  # no break before a quote mark by Unicode's rules: a <wbr> gives one


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
