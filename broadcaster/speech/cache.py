"""The clip cache: one file per (engine, voice parameters, text), written atomically.

Re-rendering after one turn was edited synthesizes only that turn. A file is
written to a temporary name and renamed, so concurrent runs never read half a
clip; a damaged entry is treated as a miss.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

import hashlib
import json
import os
import struct
import tempfile
from pathlib import Path

from ..cachedir import default_dir
from .clip import Boundary, Clip

FORMAT = 1


def key(engine: str, params: dict, text: str) -> str:
    blob = json.dumps([FORMAT, engine, params, text], ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class ClipCache:
    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder else default_dir()

    def _path(self, k: str) -> Path:
        return self.folder / k[:2] / f"{k}.clip"

    def get(self, k: str) -> Clip | None:
        try:
            data = self._path(k).read_bytes()
            (n,) = struct.unpack("<I", data[:4])
            meta = json.loads(data[4:4 + n])
            pcm = data[4 + n:]
            if len(pcm) != meta["bytes"]:
                return None
            return Clip(pcm, meta["rate"], tuple(Boundary(*b) for b in meta["boundaries"]))
        except (OSError, ValueError, KeyError, TypeError, struct.error):
            return None

    def put(self, k: str, clip: Clip) -> None:
        path = self._path(k)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            meta = json.dumps({"rate": clip.sample_rate, "bytes": len(clip.pcm),
                               "boundaries": [[b.kind, b.offset_ms, b.text_offset, b.text_length]
                                              for b in clip.boundaries]}).encode()
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".clip.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(struct.pack("<I", len(meta)) + meta + clip.pcm)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def encoded(self, samples: np.ndarray, rate: int, fmt: str, encode: Callable[[np.ndarray, int, str], bytes]) -> bytes:
        """An encoded preview of these samples, from the cache when the audio is unchanged."""
        digest = hashlib.sha256(samples.tobytes() + f"|{rate}|{fmt}|{FORMAT}".encode()).hexdigest()
        path = self.folder / "previews" / digest[:2] / f"{digest}.{fmt}"
        try:
            return path.read_bytes()
        except OSError:
            pass
        data = encode(samples, rate, fmt)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".preview.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            pass
        return data
