"""Speaking rates for a render: the voice profile's, per role and per speaker, then the caller's.

One resolver for the CLI (--host-rate, --guest-rate, --rate), batch runs and the studio's
settings: `role_rates` once per run, `speaker_rates` per transcript (names become keys).
"""
from __future__ import annotations

from ..errors import OptionsError
from ..model import Episode
from .estimate import DEFAULT_RATES, Rates

LIMITS = (0.5, 20.0)  # syllables per second a rate may be set to


def role_rates(profile: dict, host: float | None = None, guest: float | None = None,
               narrator: float | None = None) -> dict[str, float]:
    """Per role: the defaults, the profile's chars_per_second, then those given (a narrator
    reads at the host's rate unless given one)."""
    by_role = dict(DEFAULT_RATES)
    for role, settings in profile["roles"].items():
        if role in by_role and "chars_per_second" in settings:
            by_role[role] = float(settings["chars_per_second"])
    if host:
        by_role["host"] = host
    if guest:
        by_role["guest"] = guest
    narrator = narrator or host
    if narrator:
        by_role["narrator"] = narrator
    return by_role


def speaker_rates(episode: Episode, rates: Rates, profile: dict) -> Rates:
    """`rates` with its per-speaker rates keyed by speaker: the profile's [speakers.NAME]
    chars_per_second first, then those of `rates` (by name or key); a name no speaker has
    is refused."""
    by_speaker = {}
    for name, settings in profile.get("speakers", {}).items():
        if "chars_per_second" in settings:
            by_speaker.update({s.key: float(settings["chars_per_second"])
                               for s in episode.speakers if name in (s.key, s.name)})
    for name, value in rates.by_speaker.items():
        keys = [s.key for s in episode.speakers if name in (s.key, s.name)]
        if not keys:
            known = ", ".join(s.name for s in episode.speakers)
            raise OptionsError(f"{{flag}}: no speaker {name!r} in {episode.source} (speakers: {known})", option="rates",
                               value=name)
        by_speaker.update({k: value for k in keys})
    return Rates(rates.by_role, by_speaker)
