"""Print what each bad input produces, as a Markdown table (for notes and reviews).

    .venv/bin/python tests/data/bad/outcomes.py > outcomes.md

Runs `broadcaster render FILE -o TMP --quiet` in-process for every entry of
EXPECTED.toml (the big ones are generated first) and reports the exit code,
the message (exit 2) or the distinct warnings (exit 0), the number of files
written and the time taken.
"""
from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import BIG, make_big  # noqa: E402

from broadcaster.cli import main  # noqa: E402
from broadcaster.read import parse_file  # noqa: E402


def _cell(text: str, limit: int = 140) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rows():
    expected = tomllib.loads((HERE / "EXPECTED.toml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in expected:
            path = make_big(name, tmp) if name in BIG else HERE / name
            out = tmp / "out" / name
            err = io.StringIO()
            started = time.monotonic()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = main(["render", str(path), "-o", str(out), "--quiet"])
            took = time.monotonic() - started
            written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
            if code:
                said = "`" + _cell(err.getvalue().strip().replace(str(path), name)) + "`"
            else:
                warnings = list(dict.fromkeys(d.message for d in parse_file(path).diagnostics))
                said = "; ".join(_cell(w, 90) for w in warnings[:3]) or "(no warning)"
                if len(warnings) > 3:
                    said += f" (+{len(warnings) - 3} more)"
            yield name, code, said, len(written), took


if __name__ == "__main__":
    print("| input | exit | message (exit 2) or warnings (exit 0) | files | time |")
    print("|---|---|---|---|---|")
    for name, code, said, count, took in rows():
        print(f"| {name} | {code} | {said} | {count} | {took:.1f} s |")
