#!/usr/bin/env python3
"""A real-speech programme for the voice follower: a transcript, its recording and the truth.

Turns are made of real recordings from ../shared/speech (speech.json gives each file's text and
its measured speech onset and offset). The transcript has a host and a guest taking turns; the
recording plays the turns in order with short gaps, 16 kHz mono, like a microphone. Faults, for
the follower's safety targets:

- `skip`: turns (0-based) in the script that the recording leaves out (the host skips them);
- `ad_lib`: {after turn: file}: a recording not in the script, spoken after that turn;
- `stop`: {after turn: seconds}: the host stops that long after the turn.

Truth (JSON beside the wav): per utterance as recorded, its programme onset and offset and the
script characters it speaks ([c0, c1) over the whole script's spoken text, turns joined in order);
per fault, where it is. Deterministic: the same arguments give the same bytes.

    python scripts/make_follow_programme.py dev -o /tmp/prog      # dev.txt, dev.wav, dev.json
"""
from __future__ import annotations

import argparse
import json
import sys
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SPEECH = ROOT.parent / "shared" / "speech"
RATE = 16000
TURN_GAP_S = 0.6
ROOM_DBFS = -62.0  # white noise between the recordings, as a microphone hears a room

# (role, files): the tuning programme and a held-out one (other speakers, other sentences)
PROGRAMMES = {
    "dev": [
        ("host", ["zh_funasr_asr_example_zh.wav"]),
        ("guest", ["zh_mindaudio_BAC009S0002W0122.wav", "zh_mindaudio_BAC009S0002W0123.wav",
                   "zh_mindaudio_BAC009S0002W0124.wav"]),
        ("host", ["zh_wenet_BAC009S0724W0121.wav"]),
        ("guest", ["zh_paddlespeech_zh.wav"]),
        ("host", ["zh_ming-uniaudio_BAC009S0915W0292.wav"]),
        ("guest", ["zh_sherpa-funasrnano_far_4.wav"]),
        ("host", ["zh_sherpa-funasrnano_far_3.wav"]),
    ],
    "blind": [
        ("host", ["zh_sherpa-sensevoice_zh.wav"]),
        ("guest", ["zh_sherpa-funasrnano_far_5.wav"]),
        ("host", ["zh_ming-uniaudio_10002287-00000094.wav"]),
        ("guest", ["zh_sherpa-funasrnano_rag_history.wav", "zh_sherpa-funasrnano_far_2.wav"]),
        ("host", ["zh_wenet_toy-nihao.wav"]),
        ("guest", ["zh_sherpa-qwen3asr_noise2.wav"]),
        ("host", ["zh_sherpa-qwen3asr_raokouling.wav"]),
    ],
}
NAMES = {"host": "主持人陈静", "guest": "嘉宾王磊"}


def catalogue() -> dict:
    data = json.loads((SPEECH / "speech.json").read_text(encoding="utf-8"))
    return {f["file"]: f for f in data["files"]}


def _read(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def _text(entry: dict) -> str:
    text = entry["text"].strip().rstrip("。.，, ")
    return text + "。"


def build(name: str, out: Path, skip=(), ad_lib=None, stop=None, turns=None) -> dict:
    """Writes out/<name>.txt, .wav, .json; returns the truth."""
    cat = catalogue()
    turns = turns or PROGRAMMES[name]
    ad_lib, stop = dict(ad_lib or {}), dict(stop or {})
    lines = ["《跟读测试》节目", "", "# 第一部分", ""]
    chars = 0
    spans = []  # per turn: (c0 of each utterance)
    for role, files in turns:
        body = "".join(_text(cat[f]) for f in files)
        lines += [f"**{NAMES[role]}：**{body}", ""]
        starts = []
        for f in files:
            starts.append((chars, chars + len(_text(cat[f]))))
            chars += len(_text(cat[f]))
        spans.append(starts)
    rng = np.random.default_rng(len(turns))
    noise = rng.standard_normal(int(60 * RATE)) * 10 ** (ROOM_DBFS / 20) * 32768  # room tone in the gaps

    def quiet(n):
        reps = -(-n // len(noise)) if n else 0
        return np.tile(noise, max(reps, 1))[:n].astype("<i2")

    pieces = [quiet(int(1.0 * RATE))]
    t = 1.0
    truth: dict = {"name": name, "utterances": [], "skipped": [], "ad_libs": [], "stops": [], "chars": chars}

    def put(samples, gap):
        nonlocal t
        pieces.append(samples)
        t += len(samples) / RATE
        pieces.append(quiet(int(gap * RATE)))
        t += int(gap * RATE) / RATE

    for k, (_role, files) in enumerate(turns):
        if k in skip:
            truth["skipped"].append({"turn": k, "c0": spans[k][0][0], "c1": spans[k][-1][1], "at": t})
        else:
            for f, (c0, c1) in zip(files, spans[k], strict=True):
                e = cat[f]
                truth["utterances"].append({"file": f, "turn": k, "c0": c0, "c1": c1, "start": t,
                                            "onset": t + e["speech_onset_s"], "offset": t + e["speech_offset_s"]})
                put(_read(SPEECH / f), 0.2)
            pieces.append(quiet(int(TURN_GAP_S * RATE)))
            t += int(TURN_GAP_S * RATE) / RATE
        if k in ad_lib:
            e = cat[ad_lib[k]]
            truth["ad_libs"].append({"file": ad_lib[k], "after_turn": k, "onset": t + e["speech_onset_s"],
                                     "offset": t + e["speech_offset_s"]})
            put(_read(SPEECH / ad_lib[k]), TURN_GAP_S)
        if k in stop:
            truth["stops"].append({"after_turn": k, "start": t, "seconds": stop[k]})
            put(quiet(0), stop[k])
    pieces.append(quiet(int(1.5 * RATE)))
    # the room under everything, as one microphone hears it (the recordings' own floors differ by 40 dB)
    audio = np.concatenate(pieces).astype(np.int32)
    audio = np.clip(audio + quiet(len(audio)).astype(np.int32), -32768, 32767).astype("<i2")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with wave.open(str(out / f"{name}.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(audio.tobytes())
    truth["duration"] = len(audio) / RATE
    (out / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def spoken_at(truth: dict, t: float) -> float | None:
    """The script character being spoken at programme time t (linear within an utterance), or None."""
    for u in truth["utterances"]:
        if u["onset"] <= t <= u["offset"]:
            return u["c0"] + (u["c1"] - u["c0"]) * (t - u["onset"]) / max(1e-6, u["offset"] - u["onset"])
    return None


def time_of(truth: dict, c: float) -> float | None:
    """When script character c was spoken (None: not spoken, a skipped turn)."""
    for u in truth["utterances"]:
        if u["c0"] <= c < u["c1"]:
            return u["onset"] + (u["offset"] - u["onset"]) * (c - u["c0"]) / max(1, u["c1"] - u["c0"])
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("name", choices=sorted(PROGRAMMES))
    ap.add_argument("-o", "--out", default=".")
    ap.add_argument("--skip", type=int, action="append", default=[])
    ap.add_argument("--stop", action="append", default=[], help="TURN:SECONDS")
    ap.add_argument("--ad-lib", action="append", default=[], help="TURN:FILE")
    a = ap.parse_args(argv)
    stop = {int(s.split(":")[0]): float(s.split(":")[1]) for s in a.stop}
    ad = {int(s.split(":")[0]): s.split(":", 1)[1] for s in a.ad_lib}
    truth = build(a.name, Path(a.out), a.skip, ad, stop)
    print(f"{a.out}/{a.name}.wav: {truth['duration']:.1f} s, {len(truth['utterances'])} utterances")
    return 0


if __name__ == "__main__":
    sys.exit(main())
