"""The programme's tracks: the dialogue, cut into cues per the render's profile, and its supers and cards."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Episode
from .naming import segment_stem, stem_of, subtitle_profile
from .timing import Timeline

if TYPE_CHECKING:
    from .options import RenderOptions


def tracks(episode: Episode, timeline: Timeline, options: RenderOptions, titles=None) -> list:
    """(file stem, Track) for the programme and for each segment with speech.
    titles: the segment titles files are named after (default the episode's)."""
    from .subtitles import build_track

    stem = stem_of(episode)
    titles = titles or [seg.title for seg in episode.segments]
    profile = subtitle_profile(episode, options)
    speakers = tuple((s.key, s.name, s.role) for s in episode.speakers)
    names, dual = options.speaker_names, options.dual_speaker
    out = [(stem, build_track(timeline, profile, None, episode.title, speakers=speakers, names=names, dual=dual))]
    for i, seg in enumerate(episode.segments):
        if seg.turns:
            out.append((segment_stem(stem, i, titles[i]), build_track(timeline, profile, i, speakers=speakers, names=names, dual=dual)))
    return out


def programme_end_ms(timeline: Timeline, dialogue) -> int:
    """The programme runs to its last word or last subtitle, whichever is later."""
    return max(timeline.total_ms, dialogue.cues[-1].end_ms if dialogue.cues else 0)


def supers_track(episode: Episode, timeline: Timeline, options: RenderOptions, dialogue, segment: int | None = None):
    """The name supers and title cards track (of the programme, or of one segment as it airs on its
    own, `dialogue` then being that segment's track), or None when neither is asked for."""
    if options.supers == "off" and not options.cards:
        return None
    from .subtitles.supers import build_supers

    if segment is None:
        end = programme_end_ms(timeline, dialogue)
    else:
        end = max(timeline.segments[segment].duration_ms, dialogue.cues[-1].end_ms if dialogue.cues else 0)
    return build_supers(episode, timeline, subtitle_profile(episode, options), options.supers, options.cards,
                        options.supers_duration_ms, end, segment)
