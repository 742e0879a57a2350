"""What was understood, as `broadcaster check` shows it, as JSON for the page and the API."""
from __future__ import annotations


def summarize(episode, episode_id: str | None = None, rates=None) -> dict:
    from ..timing import estimate

    timeline = estimate(episode, rates) if rates is not None else estimate(episode)
    colour: dict[str, int] = {}  # the n-th speaker of a role: a shade of the role's colour
    per_role: dict[str, int] = {}
    for s in episode.speakers:
        colour[s.key] = per_role.get(s.role, 0)
        per_role[s.role] = colour[s.key] + 1
    turns_of: dict[str, int] = {}
    outline = []
    for seg, tseg in zip(episode.segments, timeline.segments, strict=False):
        turns = []
        for turn, tturn in zip(seg.turns, tseg.turns, strict=False):
            sp = episode.speaker(turn.speaker)
            turns_of[sp.key] = turns_of.get(sp.key, 0) + 1
            speech = turn.speech
            turns.append({"speaker": sp.key, "name": sp.name, "role": sp.role, "colour": colour[sp.key],
                          "line": turn.line, "characters": len(speech), "read_ms": tturn.end_ms - tturn.start_ms,
                          "start_ms": tturn.start_ms,
                          "opening": speech[:60] + ("…" if len(speech) > 60 else "")})
        outline.append({"number": tseg.index + 1, "title": seg.title, "section": seg.section, "line": seg.line,
                        "credits": [f"{c.role} {' '.join(c.names)}" for c in seg.credits],
                        "start_ms": tseg.start_ms, "read_ms": tseg.duration_ms, "turns": turns})
    speakers = [{"key": s.key, "name": s.name, "role": s.role, "title": s.title, "line": s.line,
                 "turns": turns_of.get(s.key, 0), "colour": colour[s.key]} for s in episode.speakers]
    warnings = [{"line": d.line, "level": d.level, "message": d.message} for d in episode.diagnostics]
    out = {"title": episode.title, "language": episode.language,
           "segments": len(episode.segments), "turns": sum(len(s["turns"]) for s in outline),
           "warnings": warnings, "speakers": speakers, "outline": outline, "estimated_ms": timeline.total_ms}
    if episode_id is not None:
        out = {"id": episode_id, **out}
    return out
