"""The settings form, built from `RenderOptions`' own field metadata, and settings (JSON) → RenderOptions.

Each field's `form` metadata (options.Form) says how it is offered: a section, a label, a
widget and its choices; a field whose form is None is set by the studio itself. A bool, int
or float field another engineer adds without a form appears on the page by itself (a
checkbox or a number); a str or tuple field only once it has a form with its choices, since
free text could name a path on the server (`recordings` is set by uploading a recording,
never typed).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..errors import InputError, OptionsError
from ..options import RenderOptions, formats_known, parse_duration

FORMAT_LABELS = {"fcpxml": "FCPXML (Final Cut, Resolve)", "xml": "FCP7 XML (Premiere)"}
_UNSAID = object()  # a field with no form metadata at all: offered by its type


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
    return ""  # free text: not offered until its form says what it takes


def schema() -> list[dict]:
    """The form: one entry per option, in RenderOptions order, grouped."""
    out = []
    for f in dataclasses.fields(RenderOptions):
        form = f.metadata.get("form", _UNSAID)
        if form is None:
            continue  # the studio sets it
        if form is _UNSAID:
            group, label, widget, choices, hint = ("More", f.name.replace("_", " ").capitalize(), _widget(f),
                                                   None, "")
        else:
            group, label, widget, choices, hint = form.section, form.label, form.widget, form.choices, form.hint
        if not widget:
            continue
        if f.name == "formats":  # the registries' names
            choices = [[name, FORMAT_LABELS.get(name, name.upper())] for name in formats_known()]
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


def _coerce(spec: dict, value):
    name, widget, choices = spec["name"], spec["widget"], spec["choices"]
    if value in (None, "") and widget not in ("bool", "multi", "list"):
        if spec["default"] is None or widget != "seconds":
            return spec["default"]
        value = spec["default"]  # a seconds field's default is in seconds, as shown: kept in ms below
    if widget == "bool":
        return bool(value)
    if widget == "duration":
        try:
            return parse_duration(value)
        except OptionsError as exc:  # "hard out '…': use mm:ss or h:mm:ss"
            raise InputError(exc.message) from None
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
    from ..model import ROLES
    from ..speech.voices import load_profile
    from ..timing import Rates
    from ..timing.rates import role_rates, speaker_rates

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
    rates_conf = settings.get("rates", {}) if isinstance(settings, dict) else {}
    by_role = role_rates(profile, **{role: _rate(rates_conf[role], role) for role in ("host", "guest", "narrator")
                                     if rates_conf.get(role)})
    rates = speaker_rates(episode, Rates(by_role, {}), profile)
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
    from ..timing.rates import LIMITS

    try:
        rate = float(value)
    except (TypeError, ValueError):
        rate = 0.0
    if not LIMITS[0] <= rate <= LIMITS[1]:
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
