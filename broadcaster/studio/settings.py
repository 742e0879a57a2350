"""The settings form, built from `RenderOptions`, and settings (JSON) → RenderOptions.

Every RenderOptions field is offered unless listed in HIDDEN; FIELDS gives the known
ones a label, a group and their choices. A bool, int or float field another engineer adds
to RenderOptions appears on the page by itself (a checkbox or a number); a str or tuple
field only once it is listed in FIELDS with its choices, since free text could name a
path on the server (`recordings` is set by uploading a recording, never typed).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import InputError

# managed by the studio itself, never from the form
HIDDEN = {"out_dir", "rates", "template_dir", "progress", "cache_dir", "voices", "audio", "recordings", "strict",
          "font"}

FPS = ["24", "25", "29.97", "30", "50"]

# name: (group, label, widget, choices or None, help)
FIELDS: dict[str, tuple] = {
    "profile": ("Subtitles", "Profile", "select", [["", "from the transcript"], ["zh-Hans", "zh-Hans"],
                                                    ["zh-Hant", "zh-Hant"], ["en", "en"]], ""),
    "formats": ("Subtitles", "Formats", "multi", None, "subtitle and timeline files to write"),
    "fps": ("Subtitles", "Frame rate", "select", [[f, f"{f} fps"] for f in FPS], "cue times snap to frames"),
    "max_lines": ("Subtitles", "Lines per cue", "select", [["", "profile default"], ["1", "1 (broadcast)"],
                                                          ["2", "2 (two-line)"], ["3", "3"]], ""),
    "max_line": ("Subtitles", "Line width", "number", [4, 80, 0.5], "characters; full-width 1, half-width ½"),
    "max_cps": ("Subtitles", "Characters/s", "number", [3, 40, 0.5], "reading speed limit"),
    "encoding": ("Subtitles", "Encoding", "select", [["utf-8", "UTF-8"], ["utf-8-sig", "UTF-8 with BOM"],
                                                     ["gb18030", "GB18030 (older Windows tools)"]], ""),
    "crlf": ("Subtitles", "Windows line ends", "bool", None, ""),
    "speaker_names": ("Subtitles", "Speaker names on first cue", "bool", None, "李薇：…"),
    "dual_speaker": ("Subtitles", "Short replies share a cue", "bool", None, "two lines opened by dashes"),
    "supers": ("Edit suite", "Name supers", "select", [["off", "off"], ["first", "first turn in each segment"],
                                                      ["every", "every turn"]], "name and title lower thirds"),
    "supers_duration_ms": ("Edit suite", "Super duration", "seconds", [2, 7, 0.5], "seconds on screen"),
    "cards": ("Edit suite", "Title cards", "bool", None, "the segment's headline at its start"),
    "convert": ("Edit suite", "Characters", "select", [["", "as written"], ["s2t", "Traditional (s2t)"],
                                                      ["s2hk", "Traditional, Hong Kong (s2hk)"],
                                                      ["s2tw", "Traditional, Taiwan (s2tw)"],
                                                      ["t2s", "Simplified (t2s)"]], "OpenCC conversion"),
    "video": ("Edit suite", "Preview video", "bool", None, "<name>.preview.mp4 with subtitles, supers and cards "
                                                         "burned in (takes minutes)"),
    "video_size": ("Edit suite", "Video size", "select", [["1280x720", "1280×720"], ["1920x1080", "1920×1080"],
                                                          ["960x540", "960×540"], ["640x360", "640×360"]], ""),
    "channel": ("Recording", "Channel to align", "int", [1, 64, 1], "with a recording; empty: all channels mixed"),
    "hard_out_ms": ("Prompter", "Hard out", "duration", None, "mm:ss, for back-timing"),
    "pinyin": ("Prompter", "Pinyin aids", "bool", None, "over unusual readings and rare characters"),
    "spoken_numbers": ("Prompter", "Spoken numbers", "bool", None, "2022年 with 二零二二年 above it"),
    "engine": ("Audio", "Speech engine", "select", [["auto", "auto (online voices when reachable)"],
                                                   ["espeak", "offline (espeak-ng)"], ["edge", "online (edge-tts)"]], ""),
    "audio_format": ("Audio", "Audio format", "select", [["mp3", "MP3"], ["wav", "WAV"]], ""),
}


def _fields():
    from ..render import RenderOptions

    return [f for f in dataclasses.fields(RenderOptions) if f.name not in HIDDEN]


def _default(f):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _widget(f) -> str:
    kind = str(f.type)
    if kind == "bool":
        return "bool"
    if kind.startswith("tuple"):
        return "list"
    if kind.startswith("int"):
        return "int"
    if kind.startswith("float"):
        return "number"
    return ""  # free text: not offered until FIELDS says what it takes


def schema() -> list[dict]:
    """The form: one entry per option, in RenderOptions order, grouped."""
    from ..subtitles.formats import FORMATS

    out = []
    for f in _fields():
        group, label, widget, choices, hint = FIELDS.get(
            f.name, ("More", f.name.replace("_", " ").capitalize(), _widget(f), None, ""))
        if not widget:
            continue
        if f.name == "formats":
            choices = [[name, name.upper()] for name in FORMATS]
            try:
                from ..timelines import TIMELINES

                choices += [[name, {"fcpxml": "FCPXML (Final Cut, Resolve)", "xml": "FCP7 XML (Premiere)"}.get(
                    name, name.upper())] for name in TIMELINES]
            except ImportError:
                pass
        default = _default(f)
        if isinstance(default, tuple):
            default = list(default)
        if f.name == "fps" and default is None:
            default = "25"
        if widget == "seconds" and isinstance(default, (int, float)):
            default = default / 1000
        out.append({"name": f.name, "group": group, "label": label, "widget": widget, "choices": choices,
                    "hint": hint, "default": default})
    return out


def _duration_ms(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    parts = str(value).strip().split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        nums = []
    if not 1 <= len(nums) <= 3 or any(n < 0 for n in nums):
        raise InputError(f"hard out {value!r}: use mm:ss or h:mm:ss")
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return round(seconds * 1000)


def _coerce(spec: dict, value):
    name, widget, choices = spec["name"], spec["widget"], spec["choices"]
    if value in (None, "") and widget not in ("bool", "multi", "list"):
        if spec["default"] is None or widget != "seconds":
            return spec["default"]
        value = spec["default"]  # a seconds field's default is in seconds, as shown: kept in ms below
    if widget == "bool":
        return bool(value)
    if widget == "duration":
        return _duration_ms(value)
    if widget == "seconds":  # shown in seconds, kept in ms
        seconds = _coerce({**spec, "widget": "number"}, value)
        return None if seconds is None else round(seconds * 1000)
    if widget in ("multi", "list"):
        items = value if isinstance(value, list) else [v.strip() for v in str(value).split(",")]
        items = [str(v) for v in items if str(v)]
        if choices and any(v not in [c[0] for c in choices] for v in items):
            raise InputError(f"{spec['label']}: choose from {', '.join(c[0] for c in choices)}")
        if name == "formats" and not items:
            raise InputError("Formats: choose at least one subtitle format")
        return tuple(items)
    if widget == "select":
        value = str(value)
        if value not in [c[0] for c in choices]:
            raise InputError(f"{spec['label']}: {value!r} is not one of {', '.join(c[0] for c in choices if c[0])}")
        if name in ("fps",):
            return float(value)
        if name == "max_lines":
            return int(value)
        return value
    try:
        number = float(value) if widget == "number" else int(value) if widget == "int" else None
    except (TypeError, ValueError):
        raise InputError(f"{spec['label']}: {value!r} is not a number") from None
    if number is None:
        return str(value)
    if choices and not choices[0] <= number <= choices[1]:
        raise InputError(f"{spec['label']}: {value!r} is outside {choices[0]:g}–{choices[1]:g}")
    return number


def options_kwargs(settings: dict) -> dict:
    """RenderOptions keyword arguments from the page's settings (validated; InputError names the field)."""
    given = settings.get("options", {}) if isinstance(settings, dict) else {}
    if not isinstance(given, dict):
        raise InputError("settings.options must be an object")
    out = {}
    known = {spec["name"]: spec for spec in schema()}
    for name, value in given.items():
        if name not in known:
            raise InputError(f"unknown setting {name!r}")
        out[name] = _coerce(known[name], value)
    return out


def speaker_settings(settings: dict) -> dict:
    speakers = settings.get("speakers", {}) if isinstance(settings, dict) else {}
    if not isinstance(speakers, dict):
        raise InputError("settings.speakers must be an object: {speaker key: {role, voice, pitch, rate}}")
    return speakers


def prepare(episode, settings: dict, folder: Path | None):
    """(episode with roles applied, rates, voices profile path or None) for a render.
    The voice overrides are written as `voices.toml` in `folder`; with folder None nothing is
    written and the profile itself (a dict) comes back in place of the path."""
    from ..speech.voices import load_profile
    from ..batch import resolve_speaker_rates
    from ..model import ROLES
    from ..timing import DEFAULT_RATES, Rates

    speakers = speaker_settings(settings)
    keys = {s.key for s in episode.speakers}
    roles = {}
    for key, conf in speakers.items():
        if key not in keys or not isinstance(conf, dict):
            continue  # a speaker the current text no longer has
        if conf.get("role"):
            if conf["role"] not in ROLES:
                raise InputError(f"{key}: role must be one of {', '.join(ROLES)}")
            roles[key] = conf["role"]
    if roles:
        episode = dataclasses.replace(episode, speakers=tuple(
            dataclasses.replace(s, role=roles.get(s.key, s.role)) for s in episode.speakers))
    profile = load_profile(None)
    by_role = dict(DEFAULT_RATES)
    for role, conf in profile["roles"].items():
        if role in by_role and "chars_per_second" in conf:
            by_role[role] = float(conf["chars_per_second"])
    rates_conf = settings.get("rates", {}) if isinstance(settings, dict) else {}
    for role in ("host", "guest", "narrator"):
        if rates_conf.get(role):
            by_role[role] = _rate(rates_conf[role], role)
    if rates_conf.get("host") and not rates_conf.get("narrator"):
        by_role["narrator"] = by_role["host"]
    rates = resolve_speaker_rates(episode, Rates(by_role, {}), None)
    per_speaker = dict(rates.by_speaker)
    overrides: dict = {}
    for key, conf in speakers.items():
        if key not in keys or not isinstance(conf, dict):
            continue
        if conf.get("rate"):
            per_speaker[key] = _rate(conf["rate"], key)
        voice: dict[str, object] = {}
        if conf.get("voice"):
            voice["edge_voice"] = str(conf["voice"])
        if conf.get("pitch") not in (None, ""):
            try:
                pitch = int(conf["pitch"])
            except (TypeError, ValueError):
                pitch = -1
            if not 0 <= pitch <= 100:
                raise InputError(f"{key}: offline pitch must be 0–100")
            voice["espeak_pitch"] = pitch
        if voice:
            overrides[key] = voice
    data = {k: v for k, v in profile.items() if k != "_path"}
    data["speakers"] = {**data.get("speakers", {}), **overrides}
    if folder is None:
        return episode, Rates(by_role, per_speaker), data
    if not overrides:
        return episode, Rates(by_role, per_speaker), None
    import tomli_w

    from ..output import write_set

    write_set(folder, {"voices.toml": tomli_w.dumps(data).encode("utf-8")})
    return episode, Rates(by_role, per_speaker), str(folder / "voices.toml")


def _rate(value, who: str) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        rate = 0.0
    if not 0.5 <= rate <= 20:
        raise InputError(f"{who}: a speaking rate is 0.5–20 syllables/s, not {value!r}")
    return rate


def voice_choices(episode, settings: dict) -> dict:
    """Each speaker's voice as cast (with the overrides), and every voice the profile knows (nothing written)."""
    from ..speech.voices import cast

    prepared, _, profile = prepare(episode, settings, None)
    voices = cast(prepared, profile)
    names = []
    for section in ("roles", "english"):
        for conf in profile.get(section, {}).values():
            for v in conf.get("edge_voices", []):
                if v not in names:
                    names.append(v)
    return {"voices": names,
            "cast": {k: {"voice": v.edge_voice, "pitch": v.espeak_pitch, "rate": v.chars_per_second,
                         "role": v.role} for k, v in voices.items()}}
