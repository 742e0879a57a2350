"""How much of a Word document's body text broadcaster loses, with pandoc as the oracle.

    python scripts/score_docx.py [--pandoc PATH] [--list FILE] [--json OUT] FILE_OR_DIR...

For each .docx: pandoc (`--track-changes=accept`, JSON) gives the body text a person
sees (footnotes, comments, headers, deleted text and image descriptions left out);
broadcaster's reading is the lines its Word reader hands the text parser (spoken
text, headings, labels and [notes] alike). Both are cut into letters and digits
(NFKC; a CJK character or a run of letters/digits is one token), aligned with
difflib, and every character of pandoc's text that broadcaster's reading does not
hold is *lost*; lost text named in one of `check`'s warnings is lost but *reported*,
the rest is lost *silently*. *Spoken wrongly* counts the characters of deleted,
hidden, comment, footnote and header/footer text that reach the spoken text.

pandoc 3.x is wanted (2.x reads neither text boxes nor Strict documents): the
pypandoc_binary wheel ships one (`--pandoc .../pypandoc/files/pandoc`).
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

TOKEN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]|[^\W_]+")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"


def tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text)).lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")  # â → a: accents written either way
    return [t for t in TOKEN_RE.findall(text)]


# -- pandoc ----------------------------------------------------------------------------

def pandoc_text(pandoc: str, path: Path) -> str:
    out = subprocess.run([pandoc, "--track-changes=accept", "-f", "docx", "-t", "json", str(path)],
                         capture_output=True, timeout=120)
    if out.returncode:
        raise RuntimeError(out.stderr.decode("utf-8", "replace").strip()[:120])
    doc = json.loads(out.stdout)
    parts: list[str] = []
    _walk(doc["blocks"], parts)
    body = "".join(parts)
    raw = _raw_body_text(path)
    for key in ("title", "subtitle", "author", "date", "abstract"):  # Title/Subtitle/... paragraphs go to meta
        if key in doc.get("meta", {}):
            meta: list[str] = []
            _walk(doc["meta"][key], meta)
            text = "".join(meta)
            if "".join(tokens(text)) and "".join(tokens(text)) in raw:
                body = text + "\n" + body
    return body


def _walk(node, parts: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, parts)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("t")
    content = node.get("c")
    if kind in ("Note", "Image", "RawInline", "RawBlock"):
        return
    if kind == "Table":  # [attr, caption, ...]: pandoc's caption is often the table's alt text (w:tblCaption,
        _walk(content[2:], parts)  # w:tblDescription), which Word shows nowhere; a Caption paragraph is read as text
        return
    if kind == "Str":
        parts.append(content)
    elif kind in ("Space", "SoftBreak", "LineBreak"):
        parts.append(" ")
    elif kind == "Math":
        tex = re.sub(r"\\(?:begin|end)\{[^}]*\}(?:\{[^}]*\})?", " ", content[1])  # \begin{array}{rl}
        parts.append(" " + re.sub(r"\\[A-Za-z]+", " ", tex) + " ")
    elif kind in ("Code", "CodeBlock"):
        parts.append(content[1])
    elif kind in ("MetaInlines", "MetaBlocks", "MetaList", "MetaMap", "MetaString"):
        _walk(content, parts)
    else:
        _walk(content, parts)
        if kind in ("Para", "Plain", "Header"):
            parts.append("\n")


def _raw_body_text(path: Path) -> str:
    """All w:t text of the main document part (tokens joined): what the document holds at all."""
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as zf:
            name = next((n for n in zf.namelist() if n.endswith("document.xml") and "glossary" not in n),
                        "word/document.xml")
            root = etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False, huge_tree=False))
    except Exception:  # noqa: BLE001 - a damaged package: nothing to compare
        return ""
    return "".join(tokens("".join(t.text or "" for t in root.iter(W + "t", STRICT_W + "t"))))


def unspeakable(path: Path, kinds=("comments", "footnotes", "endnotes", "header", "footer", "del", "vanish")) -> list[str]:
    """Texts that must never be spoken: deleted, hidden, comments, notes, headers, footers."""
    try:
        return _unspeakable(path, kinds)
    except Exception:  # noqa: BLE001 - not a readable ZIP at all
        return []


def _unspeakable(path: Path, kinds) -> list[str]:
    from lxml import etree

    out = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith(".xml"):
                continue
            base = name.rsplit("/", 1)[-1]
            try:
                data = zf.read(name)
            except Exception:  # noqa: BLE001 - a damaged part (bad CRC, bad deflate data): nothing to compare
                continue
            try:
                root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
            except etree.XMLSyntaxError:
                continue
            for ns in (W, STRICT_W):
                if base.startswith(tuple(k for k in kinds if k not in ("del", "vanish"))):
                    for p in root.iter(ns + "p"):
                        out.append("".join(t.text or "" for t in p.iter(ns + "t")))
                elif base == "document.xml":
                    for d in root.iter(ns + "del") if "del" in kinds else ():
                        out.append("".join(t.text or "" for t in d.iter(ns + "delText")))
                    for r in root.iter(ns + "r") if "vanish" in kinds else ():
                        rpr = r.find(ns + "rPr")
                        v = rpr.find(ns + "vanish") if rpr is not None else None
                        if v is not None and v.get(ns + "val", "true") not in ("0", "false", "off"):
                            out.append("".join(t.text or "" for t in r.iter(ns + "t")))
    return out


# -- broadcaster -------------------------------------------------------------------------

def broadcaster_reading(path: Path) -> tuple[str, str, str]:
    """(the lines the parser reads, the warnings' text, the spoken text)."""
    from broadcaster.read.docx import parse_docx, read_docx_text

    _, flat, _, _ = read_docx_text(path)
    episode = parse_docx(path)
    warnings = "\n".join(d.message for d in episode.diagnostics)
    return "\n".join(flat), warnings, episode.speech


def score(path: Path, pandoc: str) -> dict:
    from broadcaster.errors import InputError

    row: dict = {"file": path.name, "app": _app(path), "sha1": hashlib.sha1(path.read_bytes()).hexdigest()[:12]}
    try:
        oracle = tokens(pandoc_text(pandoc, path))
    except Exception as exc:  # noqa: BLE001 - pandoc cannot read it: not scored
        row.update(status=f"pandoc: {exc}"[:100], oracle=0, lost=0, silent=0, extra=0, wrong=0)
        return row
    row["oracle"] = sum(map(len, oracle))
    try:
        reading, warnings, spoken = broadcaster_reading(path)
        row["status"] = "ok"
    except InputError as exc:
        reading, warnings, spoken = "", str(exc), ""
        row["status"] = f"refused: {exc}"[:100]
    except Exception as exc:  # noqa: BLE001 - a crash is a finding
        reading, warnings, spoken = "", "", ""
        row["status"] = f"CRASH {type(exc).__name__}: {exc}"[:100]
    mine = tokens(reading)
    lost, extra = _unmatched(oracle, mine)
    said = "".join(tokens(warnings))
    # hidden text is never read and never quoted (it may be private): its warning gives the count
    hidden = "".join("".join(tokens(t)) for t in unspeakable(path, ("vanish",))) if "hidden text" in warnings else ""
    silent = sum(len(piece) for piece in lost if piece not in said and piece not in hidden)
    row["lost"] = sum(map(len, lost))
    row["silent"] = silent
    row["extra"] = sum(map(len, extra))
    row["lost_sample"] = "".join(lost[:40])[:60]
    spoken_flat = "".join(tokens(spoken))
    body_flat = "".join(oracle)
    row["wrong"] = sum(len(t) for t in ("".join(tokens(x)) for x in unspeakable(path))
                       if len(set(t)) >= 4 and t in spoken_flat and t not in body_flat)  # "xxxx" proves nothing
    return row


def _unmatched(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    """Pieces of a not in b and of b not in a, after alignment: tokens first, then the
    characters of the tokens that differ (a word split by a label's markup); moved text is
    matched too (a text box read where it is anchored)."""
    lost: list[str] = []
    extra: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        left, right = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "replace" and len(left) * len(right) <= 4_000_000:
            sm = difflib.SequenceMatcher(None, left, right, autojunk=False)
            for cop, x1, x2, y1, y2 in sm.get_opcodes():
                if cop in ("replace", "delete"):
                    lost.append(left[x1:x2])
                if cop in ("replace", "insert"):
                    extra.append(right[y1:y2])
        else:
            lost += [left] if left else []
            extra += [right] if right else []
    # what is left on one side and not the other may be text read in another place (a text box
    # read where it is anchored, a title pandoc keeps as metadata): align the leftovers once more
    left, right = "".join(lost), "".join(extra)
    if not left or not right or len(left) * len(right) > 16_000_000:
        return lost, extra
    used_l, used_r = [False] * len(left), [False] * len(right)
    marked_l, marked_r = list(left), list(right)
    for _ in range(500):  # the longest common run first, again and again: moved pieces in any order
        sm = difflib.SequenceMatcher(None, marked_l, marked_r, autojunk=False)
        m = sm.find_longest_match(0, len(marked_l), 0, len(marked_r))
        if m.size < 4:  # a run of text, not letters that happen to match
            break
        for k in range(m.size):
            used_l[m.a + k], used_r[m.b + k] = True, True
            marked_l[m.a + k], marked_r[m.b + k] = "\x01", "\x02"
    return _runs(left, used_l), _runs(right, used_r)


def _runs(text: str, used: list[bool]) -> list[str]:
    out, cur = [], []
    for ch, u in zip(text, used, strict=True):
        if u:
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def _app(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            m = re.search(rb"<Application>([^<]*)", zf.read("docProps/app.xml"))
            return m.group(1).decode("utf-8", "replace").split("/")[0][:24] if m else "?"
    except Exception:  # noqa: BLE001 - no such part, or a damaged one
        return "?"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--list", type=Path, help="a file naming the .docx files to score, one a line (# comments)")
    ap.add_argument("--root", type=Path, default=Path("."), help="where the names in --list are")
    ap.add_argument("--pandoc", default="pandoc")
    ap.add_argument("--json", type=Path, help="write the rows here too")
    args = ap.parse_args(argv)
    files: list[Path] = []
    for p in args.paths:
        files += sorted(p.glob("*.docx")) if p.is_dir() else [p]
    if args.list:
        for line in args.list.read_text(encoding="utf-8").splitlines():
            name = line.split("#", 1)[0].strip().split()[0] if line.split("#", 1)[0].strip() else ""
            if name:
                files.append(args.root / name)
    rows = []
    for f in files:
        rows.append(score(f, args.pandoc))
        print(f"\r{len(rows)}/{len(files)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"{'file':<48} {'app':<14} {'pandoc':>7} {'lost':>5} {'silent':>6} {'extra':>6} {'wrong':>5}  status / lost text")
    for r in rows:
        note = r["status"] if r["status"] != "ok" else r.get("lost_sample", "")
        print(f"{r['file'][:48]:<48} {r['app'][:14]:<14} {r['oracle']:>7} {r['lost']:>5} {r['silent']:>6} "
              f"{r['extra']:>6} {r['wrong']:>5}  {note}")
    scored = [r for r in rows if not r["status"].startswith("pandoc")]
    total = sum(r["oracle"] for r in scored)
    lost = sum(r["lost"] for r in scored)
    silent = sum(r["silent"] for r in scored)
    crashes = sum(r["status"].startswith("CRASH") for r in scored)
    refused = sum(r["status"].startswith("refused") for r in scored)
    print(f"\n{len(scored)} files scored ({len(rows) - len(scored)} not read by pandoc), {total} characters of body text: "
          f"lost {lost} ({100 * lost / max(total, 1):.2f}%), silently {silent} ({100 * silent / max(total, 1):.2f}%), "
          f"spoken wrongly {sum(r['wrong'] for r in scored)}, refused {refused}, crashed {crashes}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
