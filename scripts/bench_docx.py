"""What refusing a hostile .docx costs, and what reading a real one costs.

    python scripts/bench_docx.py [--against DIR]

Makes, in a temporary folder: a ZIP bomb (a few hundred KB holding 250 MiB of XML),
the same bomb with a directory that claims 4 KB, 62 MB of XML in 66,905 labelled
paragraphs (each a turn), 66,905 short paragraphs in under 1 MB of XML, and the
column as a producer's .docx (tests/docx_maker.py). Each is given to
`broadcaster check` in its own process; the table shows the exit code, wall time
CPU time and peak memory (max RSS) of that process. With --against DIR (a checkout of
another revision) the same files run with that code too.
"""
from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>')


def _write(path: Path, chunks) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?><w:document {W}><w:body>'.encode())
            for chunk in chunks:
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")


def make(folder: Path) -> list[Path]:
    para = b"<w:p><w:r><w:t>" + b"A" * 4000 + b"</w:t></w:r></w:p>"
    _write(folder / "bomb.docx", (para for _ in range(250 * 2**20 // len(para))))
    data = bytearray((folder / "bomb.docx").read_bytes())
    entry = data.rfind(b"PK\x01\x02")
    while data[entry + 46:entry + 46 + 17] != b"word/document.xml":
        entry = data.rfind(b"PK\x01\x02", 0, entry)
    data[entry + 24:entry + 28] = struct.pack("<I", 4096)
    (folder / "bomb-lying.docx").write_bytes(bytes(data))
    turn = ("<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>主持人{}：</w:t></w:r><w:r><w:t>" + "大家好，欢迎收看今天的节目。" * 20
            + "</w:t></w:r></w:p>")
    _write(folder / "turns-62MB.docx", (turn.format(i % 7).encode() for i in range(66905)))
    _write(folder / "turns-small.docx", (f"<w:p><w:r><w:t>主持人{i % 7}：你好。</w:t></w:r></w:p>".encode()
                                         for i in range(66905)))
    sys.path.insert(0, str(ROOT / "tests"))
    from docx_maker import make_column_docx

    column = ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"
    files = [folder / n for n in ("bomb.docx", "bomb-lying.docx", "turns-62MB.docx", "turns-small.docx")]
    if column.exists():
        files.append(make_column_docx(column, folder / "column.docx"))
    return files


def run(code: Path, path: Path) -> tuple[int, float, float, float, str]:
    env = dict(os.environ, PYTHONPATH=str(code))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "broadcaster", "check", str(path)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines() if proc.stderr else []
    proc.stderr and proc.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return os.waitstatus_to_exitcode(status), wall, cpu, usage.ru_maxrss / 1024, (err[-1] if err else "")[:110]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, help="another checkout to run the same files with")
    args = ap.parse_args()
    codes = [("this tree", ROOT)] + ([("against", args.against)] if args.against else [])
    with tempfile.TemporaryDirectory() as tmp:
        files = make(Path(tmp))
        print(f"{'file':<18} {'size':>8} {'code':<10} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'max RSS MB':>10}  message")
        for path in files:
            for name, code in codes:
                rc, wall, cpu, rss, msg = run(code, path)
                print(f"{path.name:<18} {path.stat().st_size // 1024:>6}KB {name:<10} {rc:>4} {wall:>7.2f} {cpu:>6.2f} {rss:>10.0f}  "
                      f"{msg.replace(str(path), path.name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
