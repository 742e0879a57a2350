"""Acoustic features for aligning a recording to the synthetic reference.

Per 10 ms frame: an energy value scaled between the file's noise floor and its
speech level, and 7 cepstral coefficients (c1..c7, c0 dropped: loudness is the
energy feature's job), normalised per file, gated to zero in pauses and
smoothed over ~50 ms. ALIGNMENT.md measured this against 13 raw MFCCs on real
Mandarin: espeak's voice is far from a human one, so the alignment leans on
the speech/pause structure, and a few smoothed cepstra do better than many.

Library: numpy and scipy (scipy.fft for the DCT, scipy.ndimage for the
smoothing). librosa would give the same MFCCs but brings numba and llvmlite
(≈150 MB, seconds of import) for what is a mel matrix and a DCT here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

HOP_SAMPLES = 220  # at 22,050 Hz: a frame every 9.977 ms ("10 ms" in the comments)
HOP_S = HOP_SAMPLES / 22050
WIN_S = 0.025
N_MELS = 26
N_CEPS = 7
FMIN, FMAX = 80.0, 7600.0
ENERGY_WEIGHT = 2.0
CEPS_WEIGHT = 1.0
MOD_WEIGHT = 1.5


def _mel_matrix(rate: int, n_fft: int) -> np.ndarray:
    import numpy as np

    def mel(f: float) -> float:
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(FMIN), mel(min(FMAX, rate / 2)), N_MELS + 2))
    freqs = np.fft.rfftfreq(n_fft, 1.0 / rate)
    fb = np.zeros((len(freqs), N_MELS), dtype=np.float32)
    for k in range(N_MELS):
        lo, mid, hi = edges[k], edges[k + 1], edges[k + 2]
        up = (freqs - lo) / (mid - lo)
        down = (hi - freqs) / (hi - mid)
        fb[:, k] = np.maximum(0.0, np.minimum(up, down))
    return fb


def raw(samples: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(energy in dB per frame, log-mel cepstra c1..c7 per frame), frames every 10 ms."""
    import numpy as np
    from scipy.fft import dct, rfft

    x = np.asarray(samples, dtype=np.float32)
    win = int(round(WIN_S * rate))
    hop = int(round(HOP_S * rate))
    if abs(hop / rate - HOP_S) > 1e-9:
        raise ValueError(f"features need a rate with a whole number of samples per {HOP_S * 1000:.3f} ms hop")
    n_fft = 1 << (win - 1).bit_length()
    n = max(1, 1 + (len(x) - win) // hop) if len(x) >= win else 1
    window = np.hamming(win).astype(np.float32)
    fb = _mel_matrix(rate, n_fft)
    energy = np.empty(n, dtype=np.float32)
    ceps = np.empty((n, N_CEPS), dtype=np.float32)
    block = 8192  # frames per block: memory is the block, never a copy of the whole recording
    for a in range(0, n, block):
        b = min(n, a + block)
        s0, s1 = a * hop, (b - 1) * hop + win
        seg = x[max(0, s0 - 1):s1]
        seg = np.pad(seg, (0, max(0, s1 - max(0, s0 - 1) - len(seg))))
        pre = seg[1:] - 0.97 * seg[:-1] if s0 > 0 else np.append(seg[:1], seg[1:] - 0.97 * seg[:-1])  # pre-emphasis
        view = np.lib.stride_tricks.sliding_window_view(pre, win)[::hop][:b - a]
        power = np.abs(rfft(view * window, n=n_fft, axis=1)) ** 2
        energy[a:b] = 10 * np.log10(power.sum(axis=1) + 1e-10)
        logmel = np.log(power @ fb + 1e-10)
        ceps[a:b] = dct(logmel, type=2, norm="ortho", axis=1)[:, 1:N_CEPS + 1]
    return energy, ceps


def speech_level(energy: np.ndarray) -> float:
    import numpy as np

    return float(np.percentile(energy, 95))


def noise_floor(energy: np.ndarray) -> float:
    import numpy as np

    return float(np.percentile(energy, 10))


LEVEL_WINDOW_S = 2.0  # a speaker's level: the loud end of the frames within this of each frame
FLOOR_WINDOW_S = 8.0  # the noise floor: the quiet end within this
MIN_SPAN_DB = 15.0  # speech is at least this far above the floor (a long pause is not "speech at the floor")
CMVN_WINDOW_S = 3.0  # cepstral mean and variance normalised over the speech within this of each frame


def local_levels(energy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(speech level, noise floor) in dB per frame, each measured around the frame, not over the file.

    A quiet speaker (-44 dBFS in a file whose other speakers are at -20) is scaled against their own
    level, not called "no speech" because the file is loud elsewhere (ALIGNMENT.md). The levels are
    percentiles of 100 ms block maxima (level) and minima (floor) over sliding windows."""
    import numpy as np
    from scipy.ndimage import maximum_filter1d, percentile_filter

    e = np.asarray(energy, dtype=np.float32)
    n = len(e)
    block = max(1, int(round(0.1 / HOP_S)))
    nb = -(-n // block)
    padded = np.pad(e, (0, nb * block - n), mode="edge").reshape(nb, block)
    hi, lo = padded.max(axis=1), padded.min(axis=1)
    floor_b = percentile_filter(lo, 10, size=2 * int(FLOOR_WINDOW_S / 0.1) + 1, mode="nearest")
    level_b = percentile_filter(hi, 90, size=2 * int(LEVEL_WINDOW_S / 0.1) + 1, mode="nearest")
    # the file's quietest floor is a lower bound for every local floor (music over a pause is not its floor)
    floor_b = np.maximum(floor_b, float(np.percentile(lo, 5)))
    level_b = maximum_filter1d(level_b, 5, mode="nearest")
    level_b = np.maximum(level_b, floor_b + MIN_SPAN_DB)
    idx = np.minimum(np.arange(n) // block, nb - 1)
    return level_b[idx], floor_b[idx]


def finish(energy: np.ndarray, ceps: np.ndarray, level: float | np.ndarray, floor: float | np.ndarray) -> np.ndarray:
    """Feature matrix (frames × 9): scaled energy, syllable rhythm, gated normalised cepstra, smoothed.

    level, floor: dB, one value for the file or one per frame (local_levels)."""
    import numpy as np
    from scipy.ndimage import uniform_filter1d

    span = np.maximum(np.asarray(level, dtype=np.float32) - floor, 6.0)
    e = np.clip((energy - floor) / span, 0.0, 1.0).astype(np.float32)
    e = uniform_filter1d(e, 3, axis=0)
    gate = np.clip((e - 0.15) / 0.3, 0.0, 1.0)
    active = e > 0.5
    if np.ndim(level) == 0:
        ref = ceps[active] if active.sum() > 50 else ceps
        mean = ref.mean(axis=0)
        std = ref.std(axis=0) + 1e-6
    else:  # per speaker stretch: mean and variance of the active frames around each frame
        w = active.astype(np.float32)[:, None] + 1e-3
        size = 2 * int(CMVN_WINDOW_S / HOP_S) + 1
        cnt = uniform_filter1d(w, size, axis=0)
        mean = uniform_filter1d(ceps * w, size, axis=0) / cnt
        var = uniform_filter1d(ceps * ceps * w, size, axis=0) / cnt - mean * mean
        std = np.sqrt(np.maximum(var, 1e-3))
    c = (ceps - mean) / std * gate[:, None]
    c = uniform_filter1d(c, 5, axis=0)
    # syllable rhythm: the energy's spread over ±100 ms; speech rises and falls 4-6 times a second,
    # a music bed or a held chord does not (pooled coarse frames keep it, unlike the energy itself)
    m1 = uniform_filter1d(e, 21, axis=0)
    m2 = uniform_filter1d(e * e, 21, axis=0)
    mod = np.sqrt(np.maximum(m2 - m1 * m1, 0.0)) / 0.35
    out = np.empty((len(e), 2 + N_CEPS), dtype=np.float32)
    out[:, 0] = ENERGY_WEIGHT * e
    out[:, 1] = MOD_WEIGHT * np.clip(mod, 0.0, 1.5)
    out[:, 2:] = CEPS_WEIGHT * c / np.sqrt(N_CEPS)
    return out


def pool(feats: np.ndarray, factor: int) -> np.ndarray:
    """Average `factor` consecutive frames: the coarse levels of the alignment."""
    import numpy as np

    if factor <= 1:
        return feats
    n = len(feats) // factor * factor
    head = feats[:n].reshape(-1, factor, feats.shape[1]).mean(axis=1)
    if n < len(feats):
        head = np.vstack([head, feats[n:].mean(axis=0, keepdims=True)])
    return head.astype(np.float32)
