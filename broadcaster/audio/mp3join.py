"""One gapless mp3 from separately encoded pieces, without decoding or re-encoding them.

A render encodes each segment's preview once (and reuses it while the segment is
unchanged); the programme preview is those same encodings laid end to end with
encoded silence between them. Every piece starts a fresh stream (no bit reservoir
reaches back into the piece before), so its frames can follow any other piece's.

Each piece decodes to its frames x samples-per-frame: the encoder's delay (576
samples of near-silence), its audio, then padding. Pieces meet inside the silence
between segments, so those extra samples are silence next to silence: no gap, no
click. A silence piece is sized in whole frames so that each segment's audio starts
where the timeline puts it (to half a frame: 13 ms at 22.05 kHz). The first piece's
Info/LAME frame heads the file, rewritten for the whole (frame count, length, seek
table, the last piece's padding, both checksums), so players drop the encoder delay
at the start and the padding at the end: the programme plays as long as it is.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# MPEG-1 and MPEG-2/2.5 Layer III bit rates (kbit/s) and sample rates
_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class Piece:
    head: bytes  # ID3v2 tag (kept from the first piece only)
    info: bytes  # the Info/Xing frame
    audio: bytes  # the audio frames
    frames: int
    samples_per_frame: int
    delay: int
    padding: int
    crc: int  # CRC-16 of `audio`, as the LAME tag stores it
    lame_at: int  # where the LAME extension starts inside `info`
    xing_at: int  # where "Info"/"Xing" starts inside `info`


class NotJoinable(ValueError):
    """An mp3 without an Info/LAME frame (not one of ours)."""


def _frame_length(header: bytes) -> tuple[int, int]:
    h = int.from_bytes(header[:4], "big")
    if h >> 21 != 0x7FF or (h >> 17) & 3 != 1:
        raise NotJoinable("not an MPEG Layer III frame")
    version = (h >> 19) & 3
    bitrate = _BITRATES[1 if version == 3 else 2][(h >> 12) & 15]
    rate = _RATES[version][(h >> 10) & 3]
    padding = (h >> 9) & 1
    if version == 3:
        return 144000 * bitrate // rate + padding, 1152
    return 72000 * bitrate // rate + padding, 576


def parse(data: bytes) -> Piece:
    start = 0
    if data[:3] == b"ID3":
        start = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    length, spf = _frame_length(data[start:start + 4])
    info = data[start:start + length]
    xing = max(info.find(b"Info"), info.find(b"Xing"))
    if xing < 0:
        raise NotJoinable("no Info/Xing frame")
    flags = int.from_bytes(info[xing + 4:xing + 8], "big")
    if flags & 15 != 15:
        raise NotJoinable("the Info frame lacks frames, bytes, seek table or quality")
    frames = int.from_bytes(info[xing + 8:xing + 12], "big")
    lame = xing + 8 + 4 + 4 + 100 + 4
    delay_padding = int.from_bytes(info[lame + 21:lame + 24], "big")
    audio = data[start + length:]
    return Piece(data[:start], info, audio, frames, spf, delay_padding >> 12, delay_padding & 0xFFF,
                 int.from_bytes(info[lame + 32:lame + 34], "big"), lame, xing)


def samples(piece: Piece) -> int:
    """What the piece adds to a joined stream, in samples (whole frames)."""
    return piece.frames * piece.samples_per_frame


def join(pieces: list[bytes]) -> bytes:
    parsed = [parse(p) for p in pieces]
    first, last = parsed[0], parsed[-1]
    audio = b"".join(p.audio for p in parsed)
    frames = sum(p.frames for p in parsed)
    crc = 0
    for p in parsed:
        crc = crc16_combine(crc, p.crc, len(p.audio))
    info = bytearray(first.info)
    x, lame = first.xing_at, first.lame_at
    total = len(info) + len(audio)
    info[x + 8:x + 12] = frames.to_bytes(4, "big")
    info[x + 12:x + 16] = total.to_bytes(4, "big")
    info[x + 16:x + 116] = _seek_table(parsed, len(info), total)
    info[lame + 21:lame + 24] = ((first.delay << 12) | last.padding).to_bytes(3, "big")
    info[lame + 28:lame + 32] = total.to_bytes(4, "big")
    info[lame + 32:lame + 34] = crc.to_bytes(2, "big")
    info[lame + 34:lame + 36] = b"\0\0"
    info[lame + 34:lame + 36] = crc16(bytes(info[:190])).to_bytes(2, "big")
    return first.head + bytes(info) + audio


def _seek_table(parsed: list[Piece], info_length: int, total: int) -> bytes:
    """100 points: the byte position (in 256ths of the file) at each percent of the playing time."""
    # piece by piece, positions are linear in time within a piece (constant bit rate)
    edges = []  # (first frame, frames, first byte, bytes)
    frame = 0
    at = info_length
    for p in parsed:
        edges.append((frame, p.frames, at, len(p.audio)))
        frame += p.frames
        at += len(p.audio)
    table = bytearray(100)
    for i in range(100):
        want = i * frame / 100
        for first, count, start, size in edges:
            if want < first + count or (first, count, start, size) == edges[-1]:
                pos = start + (want - first) / max(count, 1) * size
                break
        table[i] = min(255, int(pos * 256 / total))
    return bytes(table)


# CRC-16/ARC (polynomial 0x8005, reflected; LAME's and ffmpeg's)
_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0xA001 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc16(data: bytes, crc: int = 0) -> int:
    for byte in data:
        crc = (crc >> 8) ^ _TABLE[(crc ^ byte) & 0xFF]
    return crc


def _times(matrix: list[int], vector: int) -> int:
    out, i = 0, 0
    while vector:
        if vector & 1:
            out ^= matrix[i]
        vector >>= 1
        i += 1
    return out


def _square(matrix: list[int]) -> list[int]:
    return [_times(matrix, row) for row in matrix]


def crc16_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC of A+B from the CRCs of A and B and B's length (zlib's crc32_combine, for 16 bits)."""
    if length2 <= 0:
        return crc1
    odd = [0xA001] + [1 << n for n in range(15)]  # one zero bit
    even = _square(odd)  # two zero bits
    odd = _square(even)  # four zero bits
    while True:
        even = _square(odd)  # a zero byte, then 2, 4, ... bytes
        if length2 & 1:
            crc1 = _times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _square(even)
        if length2 & 1:
            crc1 = _times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def cuts(length: int, starts: list[int], samples_per_frame: int) -> list[tuple[int, int]]:
    """(first sample, length) of the pieces a stretch of audio is encoded in, one per turn.

    starts: where each piece should start (the turns' starts; the first is 0). Every piece
    but the last is cut short, inside the pause that ends its turn, to the length that
    encodes to whole frames filling the time to the next piece's start (n - 2 frames of
    samples encode to n frames); the next piece then starts within half a frame of its
    place. The last piece runs to the end.
    """
    spf = samples_per_frame
    out = []
    pos = 0  # where the piece being cut will start when the joined file plays
    here = 0  # where it starts in the stretch
    for following in sorted({s for s in starts if 0 < s < length}) + [length]:
        if following == length:
            out.append((here, length - here))
            break
        frames = round((following - pos) / spf)
        if frames < 3:
            continue  # a turn shorter than three frames rides on in the same piece
        out.append((here, min((frames - 2) * spf, following - here)))
        pos += frames * spf
        here = following
    return out


def programme(total: int, segments: list[tuple[int, bytes]], silence: Callable[[int], bytes]) -> bytes:
    """One file from encoded pieces, each placed at its first sample.

    total: the file's length in samples; segments: (first sample, encoded piece) in order,
    not overlapping; silence(n): an encoded piece of n samples of silence (it fills the
    gaps between pieces). Each piece's audio starts within half a frame of its first
    sample; the file plays `total` samples, or as far as the last piece reaches when that
    piece starts up to half a frame early or late.
    """
    parts: list[bytes] = []
    pos = 0  # where the next piece's audio will start when the file plays
    end = 0  # where the audio so far ends
    for start, encoded in segments:
        piece = parse(encoded)
        frames = round((start - pos) / piece.samples_per_frame)
        if frames >= 3:  # zeros (n - 2 frames long) encode to n frames: the gap to the segment's start
            gap = silence((frames - 2) * piece.samples_per_frame)
            parts.append(gap)
            pos += samples(parse(gap))
        parts.append(encoded)
        end = pos + samples(piece) - piece.delay - piece.padding
        pos += samples(piece)
    if total > end and total > pos:
        parts.append(silence(total - pos))  # the file's end is trimmed to the sample
    return join(parts)
