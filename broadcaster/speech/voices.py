"""Casting: voice profiles (TOML) per role, with per-speaker overrides.

Bad profiles fail naming the file and the key. Speakers of one role take the
role's voices (and offline pitches) in turn, so two guests never sound alike
while the engine has enough voices.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ..errors import InputError
from ..model import Episode
from .clip import Voice

DEFAULT_PROFILE = Path(__file__).resolve().parent.parent.parent / "voices" / "default.toml"
_RATE_RE = re.compile(r"^[+-]\d+%$")
_PITCH_RE = re.compile(r"^[+-]\d+Hz$")
_KEYS = {"chars_per_second", "edge_voices", "edge_voice", "edge_rate", "edge_pitch", "edge_volume",
         "espeak_voice", "espeak_rate", "espeak_pitch", "espeak_pitches"}


def default_profile_path() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "data" / "default.toml"
    return DEFAULT_PROFILE if DEFAULT_PROFILE.exists() else packaged


def load_profile(path: str | Path | None = None) -> dict:
    path = Path(path) if path else default_profile_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read voice profile: {exc.strerror}", path=str(path), line=1) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_of(str(exc))
        raise InputError(f"voice profile is not valid TOML: {exc}", path=str(path), line=line) from None
    _validate(data, path)
    data["_path"] = str(path)
    return data


def _line_of(message: str) -> int:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 1


def _validate(data: dict, path: Path) -> None:
    def bad(key: str, why: str) -> InputError:
        return InputError(f"{key}: {why}", path=str(path), line=_find_line(path, key.split(".")[-1]), value=key)

    roles = data.get("roles")
    if not isinstance(roles, dict) or not {"host", "guest"} <= set(roles):
        raise bad("roles", "the profile needs [roles.host] and [roles.guest]")
    sections = [(f"roles.{r}", v) for r, v in roles.items()]
    sections += [(f"english.{r}", v) for r, v in data.get("english", {}).items()]
    sections += [(f"speakers.{s}", v) for s, v in data.get("speakers", {}).items()]
    for name, section in sections:
        if not isinstance(section, dict):
            raise bad(name, "must be a table")
        for key, value in section.items():
            where = f"{name}.{key}"
            if key not in _KEYS:
                raise bad(where, f"unknown key (known: {', '.join(sorted(_KEYS))})")
            if key == "chars_per_second" and not (isinstance(value, (int, float)) and 0.5 <= value <= 20):
                raise bad(where, f"must be a number from 0.5 to 20, not {value!r}")
            if key in ("edge_rate", "edge_volume") and not (isinstance(value, str) and _RATE_RE.match(value)):
                raise bad(where, f"must look like '+10%' or '-5%', not {value!r}")
            if key == "edge_pitch" and not (isinstance(value, str) and _PITCH_RE.match(value)):
                raise bad(where, f"must look like '+0Hz' or '-10Hz', not {value!r}")
            if key == "espeak_rate" and not (isinstance(value, int) and 80 <= value <= 450):
                raise bad(where, f"must be a whole number of words per minute from 80 to 450, not {value!r}")
            if key == "espeak_pitch" and not (isinstance(value, int) and 0 <= value <= 100):
                raise bad(where, f"must be a whole number from 0 to 100, not {value!r}")
            if key in ("edge_voices", "espeak_pitches") and not (isinstance(value, list) and value):
                raise bad(where, "must be a non-empty list")


def _find_line(path: Path, key: str) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip().startswith((key, f"[{key}", f'"{key}"')) or f".{key}]" in line or f'"{key}"' in line:
                return number
    except OSError:
        pass
    return 1


def cast(episode: Episode, profile: dict) -> dict[str, Voice]:
    """Each speaker's voice; speakers of a role take the role's voices in turn."""
    counters: dict[tuple[str, str], int] = {}
    voices = {}
    for sp in episode.speakers:
        language = _speaker_language(episode, sp.key)
        base = dict(profile["roles"].get(sp.role) or profile["roles"]["guest"])
        if language == "en":
            base.update(profile.get("english", {}).get(sp.role) or profile.get("english", {}).get("guest", {}))
        override = profile.get("speakers", {}).get(sp.name) or profile.get("speakers", {}).get(sp.key) or {}
        n = counters.get((sp.role, language), 0)
        counters[(sp.role, language)] = n + 1
        edge_voices = base.get("edge_voices") or [base.get("edge_voice", "zh-CN-YunxiNeural")]
        pitches = base.get("espeak_pitches") or [base.get("espeak_pitch", 50)]
        settings = {
            "edge_voice": edge_voices[n % len(edge_voices)],
            "espeak_pitch": pitches[n % len(pitches)],
            **{k: v for k, v in base.items() if k in ("edge_rate", "edge_pitch", "edge_volume", "espeak_voice",
                                                     "espeak_rate", "chars_per_second")},
        }
        settings.update({k: v for k, v in override.items() if k not in ("edge_voices", "espeak_pitches")})
        voices[sp.key] = Voice(speaker=sp.key, role=sp.role, **settings)
    return voices


def _speaker_language(episode: Episode, key: str) -> str:
    for seg in episode.segments:
        for turn in seg.turns:
            if turn.speaker == key:
                return turn.language
    return episode.language
