"""A synthesized clip: mono 16-bit PCM plus where each word falls in it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Boundary:
    """A word (or sentence) event: `text_offset` indexes the text the engine was given."""

    kind: str  # "word" or "sentence"
    offset_ms: int
    text_offset: int
    text_length: int = 0


def samples_per_frame(rate: int) -> int:
    """Samples in one mp3 frame at this sample rate (MPEG-2 Layer III below 32 kHz: 576): the
    rehearsal audio is encoded in such frames, and the audio-timed timeline fills whole ones."""
    return 576 if rate < 32000 else 1152


@dataclass(frozen=True)
class Clip:
    pcm: bytes  # mono, signed 16-bit little-endian
    sample_rate: int
    boundaries: tuple[Boundary, ...] = ()

    @property
    def duration_ms(self) -> int:
        return round(len(self.pcm) / 2 * 1000 / self.sample_rate)


@dataclass(frozen=True)
class Voice:
    """How one speaker sounds, per engine."""

    speaker: str
    role: str
    edge_voice: str
    edge_rate: str = "+0%"
    edge_pitch: str = "+0Hz"
    edge_volume: str = "+0%"
    espeak_voice: str = "cmn"
    espeak_rate: int = 220
    espeak_pitch: int = 50
    chars_per_second: float = 4.0

    def params(self, engine: str) -> dict:
        """The parameters that change the engine's audio (the cache key uses them)."""
        if engine == "edge":
            return {"voice": self.edge_voice, "rate": self.edge_rate, "pitch": self.edge_pitch,
                    "volume": self.edge_volume}
        return {"voice": self.espeak_voice, "rate": self.espeak_rate, "pitch": self.espeak_pitch}
