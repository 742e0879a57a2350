#!/usr/bin/env python3
"""A programme of real human speech, with its script and ground truth, for measuring alignment.

Utterances of ../shared/speech (real recordings with exact transcripts, speech.json) become
the turns of a script (one turn per utterance, one name per real speaker) and are joined
into a recording: each clip cut 0.1 s outside its speech, pauses of 0.2-1.5 s between
speech, optionally a music lead-in, a music bed, room tone (pink noise 20-25 dB under the
quietest turn), the clips at their raw levels (-14 to -44 dBFS) or levelled, one file for
the programme or one per segment, repeated and shuffled to any length, and the faults a
studio makes: a turn missing, an ad-lib (another real utterance of >= 3 s the script does
not have), a retake (a turn said twice in full), two turns swapped, or the recording of
another programme. Deterministic: the same arguments give the same bytes.

Ground truth (JSON beside the script): every take of every turn with its speech onset and
offset in programme seconds (the files' durations added up, as `render --recording` does),
and the faults with their turns and time ranges. `evaluate()` scores an alignment against it.

    python scripts/make_speech_programme.py -o /tmp/p --lang zh --half tuning --minutes 2 --room-tone 22

The split (docs/alignment.md): TUNING utterances are the only ones thresholds were tuned on;
BLIND ones (other speakers, other sources) are for the blind figures.
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
MARGIN_S = 0.1  # each clip is cut this far outside its measured speech
# the tuning/blind split, fixed before any tuning (by speaker and source, hard cases on both sides)
TUNING = {
    "zh_wenet_BAC009S0724W0121", "zh_mindaudio_BAC009S0002W0122", "zh_mindaudio_BAC009S0002W0123",
    "zh_mindaudio_BAC009S0002W0124", "zh_funasr_asr_example_zh", "zh_sherpa-funasrnano_far_2",
    "zh_sherpa-funasrnano_far_3", "zh_sherpa-qwen3asr_raokouling", "zh_wenet_toy-nihao",
    "en_wenet_librispeech-1995-1837-0001", "en_sherpa_librispeech-1221-135766-0001",
    "en_sherpa_librispeech-1221-135766-0002", "en_valle_libritts-8463_294825_000043_000000",
    "en_sherpa-sensevoice_en",
}
ZH_NAMES = ["主持人王悦", "嘉宾陈立", "记者周敏", "嘉宾林涛", "主持人李然", "嘉宾赵敏", "记者孙海", "嘉宾郑雨", "嘉宾何平",
            "记者钱多", "嘉宾吴桐", "嘉宾冯远", "记者韩雪", "嘉宾朱琳", "嘉宾秦川", "嘉宾许诺", "记者吕明"]
EN_NAMES = ["Host Anna Reed", "Guest Tom Hale", "Reporter Mia Stone", "Guest Ben Cole", "Guest Ivy Lang",
            "Guest Sam Ortiz", "Reporter Zoe Park", "Guest Leo Grant", "Guest Ada Fox"]


def utterances(lang: str | None = None, half: str | None = None) -> list[dict]:
    """speech.json entries (plus `id`, `half`), optionally one language and one half of the split."""
    data = json.loads((SPEECH / "speech.json").read_text(encoding="utf-8"))
    out = []
    for f in data["files"]:
        uid = f["file"][:-4]
        f = {**f, "id": uid, "half": "tuning" if uid in TUNING else "blind"}
        if (lang is None or f["language"] == lang) and (half is None or f["half"] == half):
            out.append(f)
    return out


def speaker_of(u: dict) -> str:
    """One key per real speaker: the corpus speaker id where there is one, else the file."""
    for tag in ("BAC009S0002", "1221-135766"):
        if tag in u["id"]:
            return tag
    return u["id"]


def _read(u: dict) -> np.ndarray:
    with wave.open(str(SPEECH / u["file"]), "rb") as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0


def _clip(u: dict, level_db: float | None, lead: float, trail: float) -> tuple[np.ndarray, float, float]:
    """(samples, onset s, offset s inside them): the speech with up to lead/trail seconds of the file's
    own sound around it (an editor's cut keeps the take's room noise), 20 ms fades."""
    x = _read(u)
    a = max(0, int((u["speech_onset_s"] - lead) * RATE))
    b = min(len(x), int((u["speech_offset_s"] + trail) * RATE))
    x = x[a:b].copy()
    fade = min(len(x) // 2, RATE // 50)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    x[:fade] *= ramp
    x[len(x) - fade:] *= ramp[::-1]
    if level_db is not None:
        x *= np.float32(10 ** ((level_db - u["speech_rms_dbfs"]) / 20))
    return x, u["speech_onset_s"] - a / RATE, u["speech_offset_s"] - a / RATE


def _pink(n: int, rng) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    spec[1:] /= np.sqrt(np.arange(1, len(spec)))
    spec[0] = 0
    x = np.fft.irfft(spec, n)
    return (x / (np.sqrt((x ** 2).mean()) + 1e-12)).astype(np.float32)


def _music(n: int, rng) -> np.ndarray:
    """Chords with a pulse and a bass line, unit RMS: stands in for a programme's music."""
    t = np.arange(n) / RATE
    out = np.zeros(n, dtype=np.float64)
    chords = [(220.0, 261.6, 329.6), (174.6, 220.0, 261.6), (196.0, 246.9, 293.7), (164.8, 207.7, 246.9)]
    beat_s = 0.5
    for i in range(int(np.ceil(n / RATE / 2.0))):
        a, b = int(i * 2.0 * RATE), min(n, int((i + 1) * 2.0 * RATE))
        tt = t[a:b] - t[a]
        env = np.minimum(1.0, tt * 20) * np.exp(-tt * 0.6)
        for f in chords[i % 4]:
            out[a:b] += env * (np.sin(2 * np.pi * f * t[a:b]) + 0.3 * np.sin(4 * np.pi * f * t[a:b]))
        out[a:b] += 0.8 * np.sin(2 * np.pi * chords[i % 4][0] / 2 * t[a:b]) * np.exp(-(tt % beat_s) * 6)
    hits = (t % beat_s) < 0.03
    out[hits] += rng.standard_normal(int(hits.sum())) * 1.2
    return (out / (np.sqrt((out ** 2).mean()) + 1e-12)).astype(np.float32)


def _db(x: float) -> float:
    return 10 ** (x / 20)


def _script(title: str, segments: list[list[tuple[str, str]]]) -> str:
    out = [f"《{title}》", ""]
    for s, turns in enumerate(segments, 1):
        out += [f"# 第{s}部分 Part {s}", ""]
        for name, text in turns:
            sep = "：" if any("\u4e00" <= ch <= "\u9fff" for ch in name) else ":"
            out += [f"**{name}{sep}**{' ' if sep == ':' else ''}{text}", ""]
    return "\n".join(out)


def make(out_dir: Path, name: str, utts: list[dict], *, seed: int = 1, minutes: float | None = None,
         lead_in: float = 0.0, bed_db: float | None = None, room_tone: float | None = None, levelled: bool = False,
         segments: int = 1, faults: tuple = (), spare: list[dict] | None = None,
         recorded: list[dict] | None = None) -> dict:
    """Write NAME.txt, NAME[.N].wav and NAME.json in out_dir; return the truth.

    faults: ("missing", i) / ("ad-lib", i) after turn i / ("retake", i) / ("order", i) swaps turns i and i+1
    (0-based turn numbers within the programme; None: the turn nearest the middle that is 3 s or more); spare: utterances for ad-libs (not in the script);
    recorded: another programme's utterances recorded instead of the script's (the "another programme" fault)."""
    rng = np.random.default_rng(seed)
    pool = list(utts)
    turns: list[dict] = []
    total = 0.0
    while True:  # shuffled rounds until the programme is long enough (one round without `minutes`)
        order = [pool[i] for i in rng.permutation(len(pool))]
        for u in order:
            turns.append(u)
            total += u["speech_offset_s"] - u["speech_onset_s"] + 0.85
        if minutes is None or total >= minutes * 60:
            break
    names: dict = {}
    count = {"zh": 0, "en": 0}
    for u in turns:
        key = speaker_of(u)
        if key not in names:
            lst = ZH_NAMES if u["language"] == "zh" else EN_NAMES
            names[key] = lst[count[u["language"]] % len(lst)]
            count[u["language"]] += 1
    n_seg = max(1, segments)
    bounds = [round(i * len(turns) / n_seg) for i in range(n_seg + 1)]
    seg_of = [next(s for s in range(n_seg) if bounds[s] <= i < bounds[s + 1]) for i in range(len(turns))]
    script_segments = [[(names[speaker_of(turns[i])], turns[i]["text"]) for i in range(bounds[s], bounds[s + 1])]
                       for s in range(n_seg)]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.txt").write_text(_script(name, script_segments), encoding="utf-8")
    # what is recorded, in order: (kind, turn index or None, utterance)
    plan = [("turn", i, u) for i, u in enumerate(turns)]
    expected = []

    def speech(u):
        return u["speech_offset_s"] - u["speech_onset_s"]

    def auto(kind):  # the turn nearest the middle that is a sentence (>= 3 s; for a swap, its next one too)
        ok = [i for i in range(1, len(turns) - 1) if speech(turns[i]) >= 3.0
              and (kind != "order" or speech(turns[i + 1]) >= 3.0)]
        return min(ok or [len(turns) // 2], key=lambda i: abs(i - len(turns) // 2))

    faults = tuple((kind, auto(kind) if i is None else i) for kind, i in faults)
    for kind, i in faults:
        if kind == "missing":
            plan = [p for p in plan if not (p[0] == "turn" and p[1] == i)]
        elif kind == "order":
            a = next(k for k, p in enumerate(plan) if p[1] == i)
            b = next(k for k, p in enumerate(plan) if p[1] == i + 1)
            plan[a], plan[b] = plan[b], plan[a]
        elif kind == "retake":
            a = next(k for k, p in enumerate(plan) if p[1] == i)
            plan.insert(a + 1, ("retake", i, turns[i]))
        elif kind == "ad-lib":
            a = next(k for k, p in enumerate(plan) if p[1] == i)
            extra = next(u for u in (spare or []) if u["speech_offset_s"] - u["speech_onset_s"] >= 3.0)  # >= 3 s
            plan.insert(a + 1, ("ad-lib", i, extra))
        expected.append({"kind": kind, "turn": i, "segment": seg_of[i]})
    if recorded is not None:
        plan = [("other", None, u) for u in recorded]
        expected.append({"kind": "mismatch", "turn": None, "segment": None})
    level = -23.0 if levelled else None
    speech_rms = [level if levelled else u["speech_rms_dbfs"] for _, _, u in plan]
    files = []
    takes: dict = {}  # turn index -> [(onset, offset)] programme seconds
    extras = []  # (kind, turn, onset, offset)
    offset = 0.0
    for s in range(n_seg):
        items = [p for p in plan if p[1] is None or seg_of[p[1]] == s] if n_seg > 1 else plan
        start0 = lead_in + 0.6 if (lead_in and s == 0) else 0.6
        pauses = [float(rng.uniform(0.2, 1.5)) for _ in items]
        pieces = []
        t = start0  # where the next speech starts (file seconds)
        for k, (kind, i, u) in enumerate(items):
            gap_before = start0 if k == 0 else pauses[k]
            gap_after = pauses[k + 1] if k + 1 < len(items) else 0.8
            x, on, off = _clip(u, level, min(gap_before / 2 + 0.02, start0), gap_after / 2 + 0.02)
            if kind == "retake":  # said again: 4% faster and 2 dB softer, not a copy of the first take
                idx = np.arange(0, len(x) - 1, 1.04)
                x = (np.interp(idx, np.arange(len(x)), x) * _db(-2.0)).astype(np.float32)
                on, off = on / 1.04, off / 1.04
            p0 = int(round((t - on) * RATE))
            pieces.append((p0, x))
            t_on, t_off = offset + t, offset + t + (off - on)
            if kind in ("turn", "retake"):
                takes.setdefault(i, []).append((round(t_on, 3), round(t_off, 3)))
            else:
                extras.append((kind, i, round(t_on, 3), round(t_off, 3)))
            t += (off - on) + gap_after
        pos = max(p + len(x) for p, x in pieces)
        n = pos + int(float(rng.uniform(0.6, 1.2)) * RATE)
        mix = np.zeros(n, dtype=np.float32)
        for p, x in pieces:
            mix[p:p + len(x)] += x
        ref_db = float(np.median(speech_rms))
        if lead_in and s == 0:
            m = int(lead_in * RATE)
            music = _music(m, rng) * np.float32(_db(ref_db + 3))
            music[-RATE:] *= np.linspace(1.0, 0.0, RATE, dtype=np.float32)
            mix[:m] += music
        if bed_db is not None:
            mix += _music(n, rng) * np.float32(_db(ref_db + bed_db))
        # room tone: always some (a studio is never digital silence between takes), 35 dB under the quietest turn
        mix += _pink(n, rng) * np.float32(_db(min(speech_rms) - (room_tone if room_tone is not None else 35.0)))
        peak = float(np.abs(mix).max())
        if peak > 0.99:
            mix *= np.float32(0.99 / peak)
        fname = f"{name}.wav" if n_seg == 1 else f"{name}.{s + 1}.wav"
        with wave.open(str(out_dir / fname), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes((np.clip(mix, -1, 1) * 32767).astype("<i2").tobytes())
        files.append(fname)
        offset += n / RATE
    truth_turns = []
    for i, u in enumerate(turns):
        truth_turns.append({"segment": seg_of[i], "turn": i - bounds[seg_of[i]],
                            "utterance": u["id"], "half": u["half"], "language": u["language"],
                            "text": u["text"], "takes": takes.get(i, [])})
    for f in expected:
        if f["turn"] is not None:
            i = f["turn"]
            f["turn"] = truth_turns[i]["turn"]
            tk = takes.get(i, [])
            if f["kind"] == "retake":
                f["range"] = tk[1] if len(tk) > 1 else None
            elif f["kind"] == "ad-lib":
                f["range"] = next([a, b] for k, t, a, b in extras if k == "ad-lib" and t == i)
            elif f["kind"] == "order":
                f["other"] = truth_turns[i + 1]["turn"]
    truth = {"name": name, "script": f"{name}.txt", "files": files, "duration_s": round(offset, 3),
             "seed": seed, "lead_in_s": lead_in, "bed_db": bed_db, "room_tone_db": room_tone, "levelled": levelled,
             "faults": expected, "turns": truth_turns}
    (out_dir / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", required=True, help="folder for NAME.txt, NAME.wav and NAME.json")
    ap.add_argument("--name", default="programme")
    ap.add_argument("--lang", choices=["zh", "en"], help="one language (default both)")
    ap.add_argument("--half", choices=["tuning", "blind"], help="one half of the split (default both)")
    ap.add_argument("--minutes", type=float, help="repeat the utterances, shuffled, to this length")
    ap.add_argument("--lead-in", type=float, default=0.0, help="seconds of music before the first turn")
    ap.add_argument("--bed", type=float, help="a music bed under everything, dB relative to the median speech")
    ap.add_argument("--room-tone", type=float, help="room tone (pink noise) this many dB under the quietest turn")
    ap.add_argument("--levelled", action="store_true", help="every turn's speech at -23 dBFS RMS (default: raw)")
    ap.add_argument("--segments", type=int, default=1, help="one recording per segment")
    ap.add_argument("--seed", type=int, default=1)
    for kind in ("missing", "ad-lib", "retake", "order"):
        ap.add_argument(f"--{kind}", type=int, help=f"{kind} fault at turn N (1-based)")
    a = ap.parse_args(argv)
    utts = utterances(a.lang, a.half)
    faults = tuple((k, getattr(a, k.replace("-", "_")) - 1) for k in ("missing", "ad-lib", "retake", "order")
                   if getattr(a, k.replace("-", "_")))
    spare = None
    if any(k == "ad-lib" for k, _ in faults):  # the utterance nearest 5 s is kept out of the script as the ad-lib
        spare = [min(utts, key=lambda u: (u["speech_offset_s"] - u["speech_onset_s"] < 3.0,
                                          abs(u["speech_offset_s"] - u["speech_onset_s"] - 5.0)))]
        utts = [u for u in utts if u is not spare[0]]
    truth = make(Path(a.out), a.name, utts, seed=a.seed, minutes=a.minutes, lead_in=a.lead_in, bed_db=a.bed,
                 room_tone=a.room_tone, levelled=a.levelled, segments=a.segments, faults=faults, spare=spare)
    print(f"{a.out}/{a.name}: {truth['duration_s']:.1f} s in {len(truth['files'])} file(s), "
          f"{len(truth['turns'])} turns, faults: {', '.join(f['kind'] for f in truth['faults']) or 'none'}")


if __name__ == "__main__":
    sys.exit(main())
