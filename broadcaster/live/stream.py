"""The microphone's features as the audio arrives: the offline features, computed incrementally.

16 kHz PCM (what the page sends) is brought to the reference's 22,050 Hz by linear interpolation
(the features stop at 7.6 kHz; interpolation's images lie above 8 kHz), cut into the same 10 ms
frames (features.raw), and finished (features.finish: energy scaled between the noise floor and
the speech level, normalised cepstra) over the last HISTORY_S of audio, so the scaling follows
the room and the speaker. A frame is final once FINISH_LAG frames follow it (the smoothing looks
ahead by that much): features lag the audio by about 0.1 s.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

HISTORY_S = 30.0
FINISH_LAG = 11  # frames: features.finish smooths over ±10 frames
MIN_SPAN_DB = 12.0
FLOOR_FRAMES = 1000  # the noise floor follows the last 10 s (a far-field guest in a noisy room)
LEVEL_FRAMES = 500  # the speech level follows the last 5 s (an automatic gain)
PRIOR_FLOOR_DB = -75.0  # before a pause has been heard: a quiet room at the features' scale


class FeatureStream:
    def __init__(self, in_rate: int = 16000) -> None:
        import numpy as np

        from ..timing.recording import features as feat

        self.feat = feat
        self.in_rate = in_rate
        self.rate = 22050
        self.hop = feat.HOP_SAMPLES
        self.win = int(round(feat.WIN_S * self.rate))
        self.t_in = 0  # input samples received
        self.t_out = 0  # output samples produced
        self.buf = np.zeros(0, dtype=np.float32)  # output-rate samples not yet fully framed
        self.last_in = 0.0
        self.energy = np.zeros(0, dtype=np.float32)  # raw history (dB), from frame `first`
        self.ceps = np.zeros((0, feat.N_CEPS), dtype=np.float32)
        self.first = 0  # frame number of energy[0]
        self.done = 0  # frames finished and handed out
        self.level = self.floor = 0.0

    def feed(self, pcm: np.ndarray) -> np.ndarray:
        """Samples (int16 or float in [-1, 1]) in; new finished feature frames (k × d) out."""
        import numpy as np

        x = np.asarray(pcm)
        x = x.astype(np.float32) / 32768.0 if x.dtype.kind == "i" else x.astype(np.float32)
        if len(x) == 0:
            return np.zeros((0, 2 + self.feat.N_CEPS), dtype=np.float32)
        # linear interpolation onto the 22,050 Hz grid, continuous across calls
        src = np.concatenate([[self.last_in], x])
        end_in = self.t_in + len(x)
        n_out = int(end_in * self.rate // self.in_rate) - self.t_out
        pos = (self.t_out + np.arange(n_out)) * (self.in_rate / self.rate) - (self.t_in - 1)
        out = np.interp(pos, np.arange(len(src)), src).astype(np.float32)
        self.t_in, self.t_out, self.last_in = end_in, self.t_out + n_out, float(x[-1])
        self.buf = np.concatenate([self.buf, out])
        k = (len(self.buf) - self.win) // self.hop + 1 if len(self.buf) >= self.win else 0
        if k > 0:
            e, c = self.feat.raw(self.buf[:(k - 1) * self.hop + self.win], self.rate)
            self.buf = self.buf[k * self.hop:]
            self.energy = np.concatenate([self.energy, e[:k]])
            self.ceps = np.vstack([self.ceps, c[:k]])
            keep = int(HISTORY_S * 100)
            if len(self.energy) > keep:
                cut = len(self.energy) - keep
                self.energy, self.ceps, self.first = self.energy[cut:], self.ceps[cut:], self.first + cut
        return self._finish()

    def _finish(self) -> np.ndarray:
        import numpy as np

        from ..timing.recording.aligner import _speech_level

        d = 2 + self.feat.N_CEPS
        total = self.first + len(self.energy)
        upto = total - FINISH_LAG
        if upto <= self.done or len(self.energy) < 2 * FINISH_LAG:
            return np.zeros((0, d), dtype=np.float32)
        e = self.energy
        recent = e[-FLOOR_FRAMES:]
        floor = min(self.feat.noise_floor(recent), PRIOR_FLOOR_DB) if len(e) < 300 else self.feat.noise_floor(recent)
        # the speech level of the last few seconds: a quiet guest after a loud host is still speech
        recent = e[-LEVEL_FRAMES:]
        if (recent > floor + 6).sum() > 100 or not self.level:
            level = _speech_level(recent, floor)
        else:  # a pause: the speech level is the last one heard (room noise is not scaled up to speech)
            level = self.level
        level = max(level, floor + MIN_SPAN_DB)
        self.level, self.floor = level, floor
        # finished over the whole history: the cepstra are normalised by its statistics (≈1 ms)
        out = self.feat.finish(e, self.ceps, level, floor)
        a = self.done - self.first
        b = upto - self.first
        self.done = upto
        return out[a:b]
