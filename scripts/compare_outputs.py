#!/usr/bin/env python3
"""Byte-identity check of every render output against a baseline made with earlier code.

    PYTHONPATH=$PWD python scripts/compare_outputs.py make /tmp/i20-baseline   # once, on the old code
    PYTHONPATH=$PWD python scripts/compare_outputs.py check /tmp/i20-baseline  # after each change

`make` writes the inputs it needs (a .docx of the column from tests/docx_maker.py, a short
transcript, a test recording of it from scripts/make_test_recording.py) into BASELINE/inputs,
then renders every case below into BASELINE/out/<case>/ with `python -m broadcaster render`,
and records the studio's JSON answers (ids and times masked) in BASELINE/studio/. `check`
renders the same cases from the same inputs into a fresh folder and compares every file byte
for byte, and the terminal output, and the studio's answers; it exits 1 on any difference.
Every run sees one CPU (a sitecustomize, see _pythonpath) and one clip cache, so two runs of the
same code give the same bytes; `make --twice` checks that and lists in BASELINE/varies.txt what
still differs from one run to the next on the old code (compared by name only).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
COLUMN = SHARED / "transcripts" / "000_acc2b6e70409d00d.txt"
CORPUS = sorted(p for p in (SHARED / "corpus").iterdir() if p.suffix in (".md", ".txt") and p.name != "SOURCES.md")
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))

WORK = Path(tempfile.gettempdir()) / "compare-outputs-work"
TIMELINE_SET = ["--supers", "first", "--cards", "--formats", "srt,vtt,ass,fcpxml,xml"]


def cases(inputs: Path) -> list[tuple[str, list[str]]]:
    """(case name, render arguments): the files are read from `inputs` and the repository."""
    docx, short, rec = inputs / "column.docx", inputs / "short.txt", inputs / "short.rec.wav"
    out = [("column-plain", [str(COLUMN)])]
    out += [(f"corpus-{p.stem}", [str(p)]) for p in CORPUS]
    out += [(f"example-{p.stem}", [str(p)]) for p in EXAMPLES]
    for name, src in (("column", COLUMN), ("docx", docx)):
        out += [
            (f"{name}-timelines", [str(src), *TIMELINE_SET]),
            (f"{name}-s2hk", [str(src), "--convert", "s2hk", *TIMELINE_SET]),
            (f"{name}-every", [str(src), "--supers", "every", "--formats", "srt,ass", "--two-line", "--speaker-names",
                               "--dual-speaker", "--hard-out", "25:00", "--pinyin", "--spoken-numbers"]),
            (f"{name}-delivery", [str(src), "--fps", "29.97", "--encoding", "gb18030", "--crlf",
                                  "--rate", "李大星=3.8", "--host-rate", "5", "--formats", "srt,vtt,fcpxml,xml"]),
        ]
    out += [
        ("docx-plain", [str(docx)]),
        ("column-audio", [str(COLUMN), "--audio", "--engine", "espeak"]),
        ("column-audio-names", [str(COLUMN), "--audio", "--engine", "espeak", "--speaker-names", "--dual-speaker",
                                "--two-line", "--formats", "srt,vtt"]),
        ("column-audio-all", [str(COLUMN), "--audio", "--engine", "espeak", *TIMELINE_SET, "--convert", "s2t"]),
        ("short-audio-wav", [str(short), "--audio", "--engine", "espeak", "--audio-format", "wav", "--supers",
                             "--cards", "--formats", "srt,ass,fcpxml"]),
        ("short-video", [str(short), "--video", "--supers", "first", "--cards", "--formats", "srt,ass,fcpxml,xml"]),
        ("short-video-audio", [str(short), "--video", "--audio", "--engine", "espeak", "--supers", "--cards",
                               "--formats", "srt,ass,fcpxml", "--convert", "s2hk", "--video-size", "640x360"]),
        ("short-recording", [str(short), "--recording", str(rec), "--formats", "srt,ass,fcpxml,xml",
                             "--supers", "--cards"]),
        ("bad-formats", [str(COLUMN), "--formats", "srt,docx"]),
        ("bad-size", [str(COLUMN), "--formats", "fcpxml", "--video-size", "12x7"]),
        ("bad-recording-audio", [str(short), "--recording", str(rec), "--audio"]),
        ("bad-hard-out", [str(COLUMN), "--hard-out", "ab:cd"]),
        ("bad-rate", [str(COLUMN), "--rate", "李大星=99"]),
    ]
    return out


def make_inputs(inputs: Path) -> None:
    inputs.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "tests"))
    from docx_maker import make_column_docx

    make_column_docx(COLUMN, inputs / "column.docx")
    # a short transcript: the column's title and first two segments, two turns each
    kept, turns = [], 0
    for line in COLUMN.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if sum(1 for k in kept if k.startswith("#")) == 2:
                break
            turns = 0
        if line.startswith("**"):
            turns += 1
        if turns <= 2:
            kept.append(line)
    (inputs / "short.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_test_recording.py"), str(inputs / "short.txt"),
                    "-o", str(inputs / "short.rec.wav"), "--lead-in", "3"], check=True, stdout=subprocess.DEVNULL)


def render_all(inputs: Path, out: Path, only: set[str] | None = None) -> None:
    # one clip cache for every run: espeak's clips differ slightly from one synthesis to the next
    # (so do subtitles timed to them), so the baseline's clips are reused and only timing, layout
    # and encoding are compared
    cache = inputs / "clips"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": _pythonpath(inputs), "BROADCASTER_CACHE": str(cache), "NO_COLOR": "1",
           "COLUMNS": "100"}
    for name, args in cases(inputs):
        if only and name not in only:
            continue
        # one fixed folder to render in: the timelines carry the media's absolute path
        folder = WORK / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        proc = subprocess.run([sys.executable, "-m", "broadcaster", "render", *args, "-o", str(folder)],
                              capture_output=True, text=True, env=env, cwd=ROOT)
        log = f"exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"
        (out / f"{name}.log").write_text(_mask(log, folder, inputs), encoding="utf-8")
        shutil.rmtree(out / name, ignore_errors=True)
        shutil.move(folder, out / name)
        print(f"{name}: exit {proc.returncode}", file=sys.stderr)


def _pythonpath(inputs: Path) -> str:
    """This checkout, behind a sitecustomize that makes os.cpu_count() 1: espeak's clips (and the
    alignment's reference voice) then do not depend on which worker process made them, and the
    renders are byte for byte the same from one run to the next."""
    one = inputs / "onecpu"
    one.mkdir(parents=True, exist_ok=True)
    (one / "sitecustomize.py").write_text("import os\n\nos.cpu_count = lambda: 1\n", encoding="utf-8")
    return f"{one}{os.pathsep}{ROOT}"


def _mask(text: str, folder: Path, inputs: Path) -> str:
    text = text.replace(str(folder), "<OUT>").replace(str(inputs), "<IN>").replace(str(SHARED), "<SHARED>")\
        .replace(str(ROOT), "<ROOT>")
    text = re.sub(r"at \d+(\.\d+)?× real time", "at N× real time", text)  # the encoder's speed
    text = re.sub(r"(?m)^video: \d+% \(.*\n", "", text)  # where the encoder was at each tenth
    text = re.sub(r"(median confidence [\d.]+), [\d.]+ s;", r"\1, N s;", text)  # how long the alignment took
    return text


# --- the studio ------------------------------------------------------------------------------

VOLATILE = {"id", "updated", "created", "job", "saved", "time", "poll", "events", "modified", "mtime", "seconds",
            "finished", "started", "render"}


def _scrub(value, ids: dict):
    if isinstance(value, dict):
        return {k: ("<" + k + ">" if k in VOLATILE and isinstance(v, (str, int, float)) else _scrub(v, ids))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v, ids) for v in value]
    if isinstance(value, str):
        for real, fake in ids.items():
            value = value.replace(real, fake)
        value = re.sub(r"/tmp/compare-studio-[^/]+/", "<TMP>/", value)
    return value


def studio_answers(inputs: Path, dest: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from studio_server import Studio

    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="compare-studio-") as tmp:
        studio = Studio(Path(tmp) / "data", env={"PYTHONPATH": _pythonpath(inputs),
                                                 "BROADCASTER_CACHE": str(inputs / "clips")})
        try:
            answers = {}
            status, made = studio.upload("column.txt", COLUMN.read_bytes())
            answers["upload"] = (status, made)
            ep = made["id"]
            ids = {ep: "<EP>"}
            answers["upload-docx"] = studio.upload("column.docx", (inputs / "column.docx").read_bytes())
            ids[answers["upload-docx"][1]["id"]] = "<EP2>"
            answers["list"] = studio.json("GET", "/api/episodes")
            answers["get"] = studio.json("GET", f"/api/episodes/{ep}")
            answers["check"] = studio.json("POST", f"/api/episodes/{ep}/check", {"text": "# 一\n\n**主持人：**你好"})
            settings = {"options": {"formats": ["srt", "ass", "fcpxml"], "fps": "29.97", "max_lines": 2,
                                    "hard_out_ms": "25:00", "pinyin": True, "supers": "first", "cards": True,
                                    "convert": "s2hk", "supers_duration_ms": 3000},
                        "speakers": {}, "rates": {"host": 4.2, "guest": 3.9}}
            answers["settings"] = studio.json("POST", f"/api/episodes/{ep}/settings", settings)
            answers["bad-settings"] = studio.json("POST", f"/api/episodes/{ep}/settings",
                                                  {"options": {"formats": ["docx"]}})
            answers["bad-hard-out"] = studio.json("POST", f"/api/episodes/{ep}/settings",
                                                  {"options": {"hard_out_ms": "xx"}})
            answers["render"] = studio.json("POST", f"/api/episodes/{ep}/render", {**settings, "wait": True})
            answers["preview"] = studio.json("GET", f"/api/episodes/{ep}/preview")
            answers["files"] = studio.json("GET", f"/api/episodes/{ep}/files")
            answers["get-after"] = studio.json("GET", f"/api/episodes/{ep}")
            answers["render-audio"] = studio.json("POST", f"/api/episodes/{ep}/render",
                                                  {"options": {"engine": "espeak", "formats": ["srt"]}, "audio": True,
                                                   "wait": True})
            answers["files-audio"] = studio.json("GET", f"/api/episodes/{ep}/files")
            answers["preview-audio"] = studio.json("GET", f"/api/episodes/{ep}/preview")
            status, _, zipped = studio.request("GET", f"/api/episodes/{ep}/files.zip")
            import io
            import zipfile

            with zipfile.ZipFile(io.BytesIO(zipped)) as z:
                answers["zip"] = (status, sorted(z.namelist()))
        finally:
            studio.stop()
    for name, value in answers.items():
        (dest / f"{name}.json").write_text(json.dumps(_scrub(value, ids), ensure_ascii=False, indent=1, sort_keys=True)
                                           + "\n", encoding="utf-8")


# --- the CLI's help and the settings form --------------------------------------------------

EXTRAS = {
    "help.txt": "from broadcaster.cli import main\nfor a in ([], ['render'], ['check'], ['parse'], ['voices'], "
                "['calibrate'], ['serve']):\n    print('=====', a)\n    main([*a, '--help'])",
    "schema.json": "import json\nfrom broadcaster.studio.settings import schema\n"
                   "print(json.dumps(schema(), ensure_ascii=False, indent=1))",
}


def extras(inputs: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": _pythonpath(inputs), "COLUMNS": "100"}
    for name, code in EXTRAS.items():
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
        (dest / name).write_text(f"exit {proc.returncode}\n{proc.stdout}{proc.stderr}", encoding="utf-8")


# --- comparing -------------------------------------------------------------------------------

def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}


def compare(base: Path, new: Path, varies: set[str], only: set[str] | None = None) -> list[str]:
    a, b = _files(base), _files(new)
    if only:  # just those cases' folders and logs
        a = {n: p for n, p in a.items() if n.split("/")[0].removesuffix(".log") in only}
    problems = [f"only in baseline: {n}" for n in sorted(a.keys() - b.keys())]
    problems += [f"only in new: {n}" for n in sorted(b.keys() - a.keys())]
    same = 0
    for name in sorted(a.keys() & b.keys()):
        if name in varies:
            continue
        if filecmp.cmp(a[name], b[name], shallow=False):
            same += 1
        else:
            problems.append(f"differs: {name}")
    print(f"{same} files byte-identical, {len(a.keys() & b.keys() & varies)} compared by name only "
          f"(they vary run to run), {len(problems)} problems", file=sys.stderr)
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["make", "check", "extras", "studio"])
    ap.add_argument("baseline", type=Path)
    ap.add_argument("--twice", action="store_true", help="make: list what varies from one run to the next")
    ap.add_argument("--only", help="comma-separated case names (check)")
    ap.add_argument("--no-studio", action="store_true")
    args = ap.parse_args()
    base: Path = args.baseline
    only = set(args.only.split(",")) if args.only else None
    if args.action == "extras":  # (part of make)
        extras(base / "inputs", base / "extras")
        return 0
    if args.action == "studio":  # (part of make)
        studio_answers(base / "inputs", base / "studio")
        return 0
    if args.action == "make":
        fresh = not (base / "inputs" / "clips").is_dir()
        if fresh:  # a new baseline of other code keeps the inputs (and the clip cache) it has
            make_inputs(base / "inputs")
        extras(base / "inputs", base / "extras")
        varies: set[str] = set()
        with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
            if fresh or args.twice:
                render_all(base / "inputs", Path(tmp) / "out")  # also fills the clip cache: the logs then match
            render_all(base / "inputs", base / "out")
            if args.twice:
                a, b = _files(base / "out"), _files(Path(tmp) / "out")
                varies = {n for n in a.keys() & b.keys() if not filecmp.cmp(a[n], b[n], shallow=False)}
        (base / "varies.txt").write_text("".join(f"{n}\n" for n in sorted(varies)), encoding="utf-8")
        if not args.no_studio:
            studio_answers(base / "inputs", base / "studio")
            if args.twice:
                with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
                    studio_answers(base / "inputs", Path(tmp) / "studio")
                    moved = compare(base / "studio", Path(tmp) / "studio", set())
                    for m in moved:
                        print(f"studio varies run to run: {m}", file=sys.stderr)
        return 0
    varies = set((base / "varies.txt").read_text(encoding="utf-8").split())
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        new = Path(tmp)
        render_all(base / "inputs", new / "out", only)
        problems = compare(base / "out", new / "out", varies, only)
        if not only:
            extras(base / "inputs", new / "extras")
            problems += compare(base / "extras", new / "extras", set())
        if not args.no_studio and not only:
            problems += compare(base / "studio", _studio(base, new), set())
        for p in problems:
            print(p)
        if problems and os.environ.get("COMPARE_KEEP"):
            kept = Path(os.environ["COMPARE_KEEP"])
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(new, kept)
            print(f"new outputs kept in {kept}", file=sys.stderr)
    return 1 if problems else 0


def _studio(base: Path, new: Path) -> Path:
    studio_answers(base / "inputs", new / "studio")
    return new / "studio"


if __name__ == "__main__":
    sys.exit(main())
