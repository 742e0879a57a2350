#!/usr/bin/env python3
"""A synthetic studio recording of a transcript, with ground truth, for testing the aligner.

Not the reference voice: another espeak-ng variant and pitch per speaker, the
speaking rate varied ±25% sentence by sentence, pauses of 0.2–1.5 s, pink
noise at 20 dB SNR, a music bed at −25 dB, optionally a music lead-in, and
faults: a missing turn, an ad-lib not in the script, two swapped turns.
Ground truth (each turn's and phrase's start, word times inside phrases) comes
from the synthesis events and is written as JSON beside the wav.

    python scripts/make_test_recording.py ../shared/transcripts/000_acc2b6e70409d00d.txt -o rec.wav \
        --lead-in 30 --missing 4 --ad-lib 7 --swap 10

Turn numbers count the turns of the selection from 1. `evaluate()` compares a
subtitle track with the truth (cue start errors, turn start errors).
"""
from __future__ import annotations

import argparse
import json
import sys
import wave
from bisect import bisect_right
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from broadcaster.speech import espeak  # noqa: E402
from broadcaster.read import parse_file  # noqa: E402
from broadcaster.spoken import spoken_form  # noqa: E402
from broadcaster.timing import estimate  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "transcripts" / "000_acc2b6e70409d00d.txt"
VOICES = [("cmn+f3", 72), ("cmn+m3", 30), ("cmn+f2", 60), ("cmn+m1", 42)]  # reference: plain cmn
AD_LIB = "说到这里我想再补充一点，这件事情大家都很关心，我们也一直在认真研究。"
SENTENCE_END = set("。！？!?…")
SR = 22050


def _onset(pcm: np.ndarray, from_sample: int, limit: int) -> int:
    """First 5 ms frame from `from_sample` whose level is speech (events can precede the sound)."""
    hop = SR // 200
    seg = pcm[from_sample:from_sample + limit].astype(np.float64)
    n = len(seg) // hop
    if n == 0:
        return from_sample
    rms = np.sqrt((seg[:n * hop].reshape(n, hop) ** 2).mean(axis=1))
    n_all = len(pcm) // hop
    loud = np.sqrt((pcm[:n_all * hop].astype(np.float64).reshape(n_all, hop) ** 2).mean(axis=1)).max()
    on = np.nonzero(rms > 0.02 * loud)[0]
    return from_sample + int(on[0]) * hop if len(on) else from_sample


def _trim(pcm: np.ndarray) -> tuple[int, int]:
    hop = SR // 200
    n = len(pcm) // hop
    rms = np.sqrt((pcm[:n * hop].astype(np.float64).reshape(n, hop) ** 2).mean(axis=1))
    on = np.nonzero(rms > 0.02 * rms.max())[0]
    return int(on[0] * hop), int((on[-1] + 1) * hop)


def _sentences(turn):
    """Groups of phrase indices read in one breath (up to a sentence end or a paragraph's end)."""
    groups, cur = [], []
    for k, ph in enumerate(turn.phrases):
        cur.append(k)
        last = k == len(turn.phrases) - 1 or turn.phrases[k + 1].paragraph != ph.paragraph
        if last or ph.text.rstrip(" ”’」』）)\"'")[-1:] in SENTENCE_END:
            groups.append(cur)
            cur = []
    return groups


def _speak(text: str, voice, rate: int):
    clip = espeak.synthesize(text, voice[0], rate, voice[1])
    return np.frombuffer(clip.pcm, dtype="<i2").astype(np.float32) / 32768.0, clip.boundaries


def _pink(n: int, rng) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spec))
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0
    x = np.fft.irfft(spec, n)
    return (x / (np.sqrt((x ** 2).mean()) + 1e-12)).astype(np.float32)


def _music(n: int, rate: int, rng) -> np.ndarray:
    """A chord progression with a soft pulse: stands in for a music bed."""
    t = np.arange(n) / rate
    out = np.zeros(n, dtype=np.float64)
    chords = [(220.0, 261.6, 329.6), (174.6, 220.0, 261.6), (196.0, 246.9, 293.7), (164.8, 207.7, 246.9)]
    bar = 2.0
    for i in range(int(np.ceil(n / rate / bar))):
        a, b = int(i * bar * rate), min(n, int((i + 1) * bar * rate))
        tt = t[a:b]
        env = np.minimum(1.0, (tt - tt[0]) * 20) * np.exp(-(tt - tt[0]) * 0.6)
        for f in chords[i % len(chords)]:
            out[a:b] += env * (np.sin(2 * np.pi * f * tt) + 0.3 * np.sin(4 * np.pi * f * tt))
        beat = (np.sin(2 * np.pi * 2 * tt) > 0.95) * rng.standard_normal(len(tt)) * 0.3
        out[a:b] += beat
    return (out / (np.sqrt((out ** 2).mean()) + 1e-12)).astype(np.float32)


def make(transcript, out: Path, segment=None, max_turns=None, lead_in=0.0, missing=None, ad_lib=None, swap=None,
         seed=1, rate=48000, channels=1, speech_channel=1, snr_db=20.0, bed_db=-25.0, base_rate=180, repeat=1):
    rng = np.random.default_rng(seed)
    episode = parse_file(transcript)
    timeline = estimate(episode)
    turns = [t for s in timeline.segments for t in s.turns
             if t.phrases and (segment is None or s.index == segment - 1)]
    if max_turns:
        turns = turns[:max_turns]
    voice_of: dict = {}
    for t in turns:
        voice_of.setdefault(t.speaker, VOICES[len(voice_of) % len(VOICES)])
    order = list(range(len(turns))) * repeat
    faults = []
    if swap:
        i = swap - 1
        order[i], order[i + 1] = order[i + 1], order[i]
        faults.append({"kind": "order", "turns": [i + 1, i + 2],
                       "segment": turns[i].segment, "turn": turns[i].index, "line": turns[i].line,
                       "other": {"segment": turns[i + 1].segment, "turn": turns[i + 1].index,
                                 "line": turns[i + 1].line}})
    if missing:
        order.remove(missing - 1)
        t = turns[missing - 1]
        faults.append({"kind": "missing", "turn_number": missing, "segment": t.segment, "turn": t.index,
                       "line": t.line})
    pieces: list = []
    pos = int(lead_in * SR)
    truth_turns = []
    for n, i in enumerate(order):
        turn = turns[i]
        voice = voice_of[turn.speaker]
        if n:
            pos += int(rng.uniform(0.2, 1.5) * SR)
        rec = {"segment": turn.segment, "turn": turn.index, "line": turn.line, "phrases": {}}
        groups = _sentences(turn)
        for group in groups:
            texts = [spoken_form(turn.phrases[k].text, turn.language) for k in group]
            if not any(ch.isalnum() for ch in "".join(texts)):
                for k in group:
                    rec["phrases"][k] = {"start_ms": round(pos / SR * 1000), "len": len(turn.phrases[k].text),
                                         "spoken": "", "words": []}
                continue
            r = int(base_rate * rng.uniform(0.75, 1.25))
            pcm, events = _speak("".join(texts), voice, r)
            a, b = _trim(pcm)
            pcm = pcm[a:b]
            words = sorted((e.text_offset, e.offset_ms) for e in events if e.kind == "word")
            offs = [w[0] for w in words]
            cum = 0
            for k, text in zip(group, texts, strict=False):
                j = bisect_right(offs, cum) - 1
                ev = max(0, int(words[j][1] * SR / 1000) - a) if j >= 0 else 0
                onset = _onset(pcm, ev, SR // 2) if cum else 0
                # words inside the phrase: (offset within the spoken phrase, recording ms)
                inner = [(o - cum, round((pos + max(0, int(ms * SR / 1000) - a)) / SR * 1000))
                         for o, ms in words if cum <= o < cum + len(text)]
                rec["phrases"][k] = {"start_ms": round((pos + onset) / SR * 1000), "len": len(turn.phrases[k].text),
                                     "spoken": text, "words": inner}
                cum += len(text)
            pieces.append((pos, pcm))
            pos += len(pcm)
            if group is not groups[-1]:
                pos += int(rng.uniform(0.2, 1.5) * SR)
        rec["phrases"] = [rec["phrases"][k] for k in range(len(turn.phrases))]
        rec["start_ms"] = rec["phrases"][0]["start_ms"]
        rec["end_ms"] = round(pos / SR * 1000)
        if ad_lib and i == ad_lib - 1 and n == order.index(i):
            pos += int(rng.uniform(0.3, 0.8) * SR)
            pcm, _ = _speak(AD_LIB, voice, base_rate)
            a, b = _trim(pcm)
            pieces.append((pos, pcm[a:b]))
            faults.append({"kind": "ad-lib", "turn_number": ad_lib, "segment": turn.segment, "turn": turn.index,
                           "line": turn.line, "start_ms": round(pos / SR * 1000),
                           "end_ms": round((pos + b - a) / SR * 1000)})
            pos += b - a
        truth_turns.append(rec)
    total = pos + int(1.0 * SR)
    speech = np.zeros(total, dtype=np.float32)
    for p, pcm in pieces:
        speech[p:p + len(pcm)] += pcm
    # to the output rate, then noise and music relative to the speech level
    from scipy.signal import resample_poly
    from math import gcd

    g = gcd(rate, SR)
    speech = resample_poly(speech, rate // g, SR // g).astype(np.float32)
    active = np.abs(speech) > 0.01
    level = float(np.sqrt((speech[active] ** 2).mean())) if active.any() else 0.1
    n = len(speech)
    noise = _pink(n, rng) * level * 10 ** (-snr_db / 20)
    music = _music(n, rate, rng) * level * 10 ** (bed_db / 20)
    lead = int(lead_in * rate)
    if lead:
        ramp = np.ones(lead, dtype=np.float32)
        fade = min(lead, int(2 * rate))
        ramp[-fade:] = np.linspace(1, 10 ** (bed_db / 20), fade)
        music[:lead] = _music(lead, rate, rng) * level * 0.7 * ramp
    mix = speech + noise + music
    peak = float(np.abs(mix).max())
    scale = 0.9 / peak if peak > 0.9 else 1.0
    pcm = (mix * scale * 32767).astype("<i2")
    data = np.zeros((n, channels), dtype="<i2")
    for c in range(channels):
        data[:, c] = pcm if c == speech_channel - 1 else ((noise + music) * scale * 32767).astype("<i2")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    truth = {"transcript": str(transcript), "media": out.name, "lead_in_s": lead_in, "seed": seed,
             "voices": {k: list(v) for k, v in voice_of.items()}, "faults": faults, "turns": truth_turns,
             "duration_s": n / rate}
    out.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def cue_truth(track, truth) -> list[tuple]:
    """((segment, turn), aligned start ms, true start ms) for each cue of a programme track whose turn was recorded once."""
    where: dict = {}
    for rec in truth["turns"]:
        key = (rec["segment"], rec["turn"])
        where[key] = None if key in where else rec  # recorded twice (repeat): ambiguous
    out = []
    offset: dict = {}
    for cue in track.cues:
        key = (cue.segment, cue.turn)
        pos = offset.get(key, 0)
        offset[key] = pos + len(cue.source)
        rec = where.get(key)
        if rec is None:
            continue
        lead = len(cue.source) - len(cue.source.lstrip(" ，。、；：！？,.;:!?…—”’」』）)\"'"))
        out.append((key, cue.start_ms, _time_at(rec, pos + lead)))
    return out


def _time_at(rec, char: int) -> int:
    """True time of the character at offset `char` of the turn's text (its phrases joined)."""
    cum = 0
    for k, ph in enumerate(rec["phrases"]):
        n = ph["len"]
        if char < cum + n or k == len(rec["phrases"]) - 1:
            inside = char - cum
            if inside <= 0 or not ph["words"]:
                return ph["start_ms"]
            spoken_pos = inside * len(ph["spoken"]) / max(1, n)  # digits are read longer than written
            best = ph["start_ms"]
            for o, ms in ph["words"]:
                if o <= spoken_pos + 1e-9:
                    best = max(best, ms)
            return best
        cum += n
    return rec["start_ms"]


def evaluate(track, truth) -> dict:
    """Cue start errors (ms: median, p95, max) and turn start errors of a programme track."""
    pairs = cue_truth(track, truth)
    err = np.array([abs(a - b) for _, a, b in pairs], dtype=float)
    firsts: dict = {}
    for key, a, b in pairs:
        firsts.setdefault(key, abs(a - b))
    turn_err = np.array(list(firsts.values()), dtype=float)
    return {"cues": len(err), "median_ms": float(np.median(err)) if len(err) else 0.0,
            "p95_ms": float(np.percentile(err, 95)) if len(err) else 0.0, "max_ms": float(err.max()) if len(err) else 0.0,
            "turns": len(turn_err), "turn_max_ms": float(turn_err.max()) if len(turn_err) else 0.0}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("transcript", nargs="?", default=str(DEFAULT))
    ap.add_argument("-o", "--out", required=True, help="the wav to write; the truth goes beside it as .json")
    ap.add_argument("--segment", type=int, help="only this segment (1-based)")
    ap.add_argument("--max-turns", type=int, help="only the first N turns of the selection")
    ap.add_argument("--lead-in", type=float, default=0.0, help="seconds of music before the programme")
    ap.add_argument("--missing", type=int, help="leave out turn N of the selection (1-based)")
    ap.add_argument("--ad-lib", type=int, help="an unscripted sentence after turn N")
    ap.add_argument("--swap", type=int, help="record turns N and N+1 in the other order")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=int, default=48000, help="sample rate of the wav")
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--speech-channel", type=int, default=1, help="the channel with the programme (others: bed only)")
    ap.add_argument("--base-rate", type=int, default=180, help="espeak rate the ±25%% per sentence varies around "
                    "(the reference reads at the voice profile's 186-199)")
    ap.add_argument("--repeat", type=int, default=1, help="read the selection N times (a long recording for benchmarks)")
    a = ap.parse_args(argv)
    truth = make(a.transcript, Path(a.out), a.segment, a.max_turns, a.lead_in, a.missing, a.ad_lib, a.swap, a.seed,
                 a.rate, a.channels, a.speech_channel, base_rate=a.base_rate, repeat=a.repeat)
    print(f"{a.out}: {truth['duration_s']:.1f} s, {len(truth['turns'])} turns, faults: "
          f"{', '.join(f['kind'] for f in truth['faults']) or 'none'}")


if __name__ == "__main__":
    main()
