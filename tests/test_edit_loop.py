"""The rehearsal preview after an edit: the edited turn's piece re-encoded (and its segment's
last, and at most the silence after it), the same bytes as a render that encodes everything
afresh, and joined mp3 that plays gaplessly, each turn where the timeline puts it."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np

from broadcaster.audio import mp3join
from broadcaster.audio.assemble import export
from broadcaster.cli import main
from runs import EXAMPLE, outputs

RATE = 22050


def _decode(data: bytes, tmp_path) -> np.ndarray:
    import imageio_ffmpeg

    path = tmp_path / "joined.mp3"  # from a file: ffmpeg reads the Info frame's delay and padding
    path.write_bytes(data)
    pcm = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", str(RATE), "-"], capture_output=True, check=True).stdout
    return np.frombuffer(pcm, np.int16)


def _tone(n: int, hz: float) -> np.ndarray:
    return (np.sin(2 * np.pi * hz * np.arange(n) / RATE) * 8000).astype(np.int16)


def test_joined_pieces_play_gaplessly_where_the_timeline_puts_them(tmp_path):
    total = 9 * RATE + 123
    programme = np.zeros(total, np.int16)
    pause = int(0.7 * RATE)  # between turns, as the audio layout leaves
    segments = [(0, 2 * RATE + 77), (int(2.9 * RATE) + 5, int(5.6 * RATE)), (int(6.5 * RATE) + 11, total)]
    turns = []  # (start, end) of the speech in each turn: two turns per segment
    for a, b in segments:
        middle = a + (b - a) // 2
        turns += [(a, middle - pause), (middle, b)]
    for (a, b), hz in zip(turns, (440, 495, 550, 587, 660, 698), strict=True):
        programme[a:b] = _tone(b - a, hz)
    pieces = []
    for a, b in segments:  # each segment cut per turn as a render does, then all joined
        for r, n in mp3join.cuts(b - a, [(b - a) // 2], 576):
            pieces.append((a + r, export(programme[a + r:a + r + n], RATE, "mp3")))
    joined = mp3join.programme(total, pieces, lambda n: export(np.zeros(n, np.int16), RATE, "mp3"))
    out = _decode(joined, tmp_path)
    assert abs(len(out) - total) <= 288  # plays as long as the programme, to half a frame (13 ms)
    loud = np.abs(out.astype(np.int32)) > 2000
    for a, b in turns:
        onset = max(0, a - 2000) + int(np.argmax(loud[max(0, a - 2000):a + 2000]))
        assert abs(onset - a) <= 288 + 20  # each turn within half a frame of its place
        inside = out[onset + 600:onset + (b - a) - 1200].astype(np.int32)
        quiet = np.flatnonzero(np.abs(inside) >= 500)
        assert np.diff(quiet).max() < 20  # no gap inside the speech (a sine is quiet only at its zero crossings)
    for (_, b), (a, _) in zip(turns, turns[1:], strict=False):
        assert np.abs(out[b + 700:a - 700]).max() < 100  # silence between turns: no click, no noise


def test_an_edit_reencodes_one_piece_and_gives_the_bytes_of_a_fresh_render(tmp_path, monkeypatch):
    from broadcaster.speech import cache as clip_cache

    source = tmp_path / "show.txt"
    shutil.copy(EXAMPLE, source)
    cache = tmp_path / "cache"
    args = ["render", str(source), "-o", str(tmp_path / "out"), "--audio", "--engine", "espeak", "--quiet",
            "--cache-dir", str(cache)]
    assert main(args) == 0
    encoded = []
    real = clip_cache.ClipCache.encoded

    def counting(self, samples, rate, fmt, encode):
        return real(self, samples, rate, fmt, lambda *a: encoded.append((len(samples), bool(samples.any())))
                    or encode(*a))

    monkeypatch.setattr(clip_cache.ClipCache, "encoded", counting)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    turn = next(i for i, line in enumerate(lines) if line.startswith("**") and len(line) > 40)
    lines[turn] = lines[turn].rstrip("\n") + "谢谢。\n"
    source.write_text("".join(lines), encoding="utf-8")
    assert main(args) == 0
    # the edited turn's piece, and the last piece of its segment: that one runs to the segment's
    # last cue, whose end sits on the subtitle frame grid counted from the segment's start
    speech = [n for n, sounds in encoded if sounds]
    assert 1 <= len(speech) <= 2
    # and at most the silence after that segment, when the edit moved its end across an mp3 frame
    # (26 ms): a second or two of zeros, not a turn of speech
    silence = [n for n, sounds in encoded if not sounds]
    assert len(silence) <= 2 and all(n < 5 * 22050 for n in silence)
    edited = outputs(tmp_path / "out" / "show")

    fresh = tmp_path / "fresh-cache"  # the same clips (espeak is not bit-exact run to run), no encoded piece
    shutil.copytree(cache, fresh, ignore=shutil.ignore_patterns("previews", "templates"))
    args[args.index(str(cache))] = str(fresh)
    args[args.index(str(tmp_path / "out"))] = str(tmp_path / "fresh")
    encoded.clear()
    assert main(args) == 0
    assert len(encoded) > 10
    assert outputs(tmp_path / "fresh" / "show") == edited
