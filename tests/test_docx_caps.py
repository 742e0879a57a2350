"""Hostile .docx files are refused before they cost anything: one line, exit 2, no output.

A ZIP bomb (a few hundred KB that unpack to hundreds of MB of XML), one whose
directory lies about the size, and one of tens of thousands of tiny paragraphs
(each would become a turn). Time and memory are measured in docs/performance.md;
here the refusals themselves are checked.
"""
import struct
import zipfile

import pytest

from broadcaster.cli import main
from broadcaster.errors import InputError
from broadcaster.read import parse_file
from broadcaster.read.docx_package import MAX_PARAGRAPHS, MAX_PART_BYTES

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path, paragraphs) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?><w:document {W}><w:body>'.encode())
            for chunk in paragraphs:
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")


def _bomb(path, size=MAX_PART_BYTES + (1 << 20)) -> None:
    para = b"<w:p><w:r><w:t>" + b"A" * 65000 + b"</w:t></w:r></w:p>"
    _docx(path, (para for _ in range(size // len(para) + 1)))


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    _bomb(folder / "bomb.docx")
    data = bytearray((folder / "bomb.docx").read_bytes())
    entry = data.rfind(b"PK\x01\x02")  # the central directory entry of word/document.xml
    data[entry + 24:entry + 28] = struct.pack("<I", 4096)  # ...which now claims 4 KB
    (folder / "lying.docx").write_bytes(bytes(data))
    _docx(folder / "turns.docx", (b"<w:p><w:r><w:t>\xe4\xb8\xbb\xe6\x8c\x81\xe4\xba\xba\xef\xbc\x9a"
                                  b"\xe4\xbd\xa0\xe5\xa5\xbd</w:t></w:r></w:p>" for _ in range(MAX_PARAGRAPHS + 1)))
    return folder


@pytest.mark.parametrize("name, why", [("bomb.docx", "unpacks to 33 MiB of XML (at most 32 MiB)"),
                                       ("lying.docx", "damaged"),
                                       ("turns.docx", f"{MAX_PARAGRAPHS + 1:,} paragraphs")])
def test_hostile_documents_are_refused_with_one_line(bombs, name, why, tmp_path, capsys):
    path = bombs / name
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert why in str(caught.value)
    if name != "lying.docx":
        assert "this document is larger than a programme script can be" in str(caught.value)
    assert main(["render", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{path}:1: ") and "Traceback" not in err[0]
    assert not (tmp_path / "out" / path.stem).exists()


def test_damaged_documents_are_refused_never_a_crash(tmp_path):
    """Bytes flipped or cut anywhere in real documents: read, or refused with a one-line reason."""
    import random
    from pathlib import Path

    rng = random.Random(19)
    data_dir = Path(__file__).parent / "data" / "docx"
    for source in sorted(data_dir.glob("*.docx")):
        data = source.read_bytes()
        for k in range(4):
            broken = bytearray(data)
            if k == 0:
                broken = broken[:rng.randrange(len(data))]
            else:
                for _ in range(8):
                    broken[rng.randrange(len(data))] = rng.randrange(256)
            path = tmp_path / f"{source.stem}-{k}.docx"
            path.write_bytes(bytes(broken))
            try:
                parse_file(path)
            except InputError as exc:
                assert "\n" not in str(exc)
