"""The programme, built once: what a render has decided, for every renderer to read.

`build(episode, timeline, options)` converts the text when asked (OpenCC, once), takes the
subtitle profile, cuts the dialogue track of the programme and of each segment with speech
(once each), places the supers and cards, and says where each piece ends. Subtitles, the
prompter, rundown, cue list, timelines, the preview video, the rehearsal audio's assembly,
the alignment report and the studio's preview data all read the `Programme`; none cuts a
track or converts text again. File names keep the transcript's own titles whatever the
conversion (the audio's match them).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .convert import LANGUAGE_TAGS, convert
from .model import Episode
from .naming import segment_stem, stem_of, subtitle_profile
from .options import RenderOptions
from .subtitles import Profile, Track, build_track
from .subtitles.supers import build_supers
from .timing import Timeline


@dataclass(frozen=True)
class Piece:
    """The programme, or one segment as it airs on its own (its times from 0)."""

    stem: str  # its files' stem: <stem>, or <stem>.NN-<segment title>
    segment: int | None  # None: the whole programme
    dialogue: Track
    supers: Track | None  # name supers and title cards, when asked for
    end_ms: int  # it runs to its last word or last subtitle, whichever is later


@dataclass(frozen=True)
class Programme:
    source: Episode  # as read: voices, alignment and file names come from it
    source_timeline: Timeline
    episode: Episode  # as shown: converted when asked
    timeline: Timeline  # as shown (the same times)
    options: RenderOptions
    profile: Profile
    stem: str
    pieces: tuple[Piece, ...]  # the programme, then each segment with speech in order

    @property
    def whole(self) -> Piece:
        return self.pieces[0]

    @property
    def dialogue(self) -> Track:
        return self.whole.dialogue

    @property
    def supers(self) -> Track | None:
        return self.whole.supers

    @property
    def end_ms(self) -> int:
        return self.whole.end_ms

    @property
    def segments(self) -> tuple[Piece, ...]:
        return self.pieces[1:]

    def segment(self, index: int) -> Piece | None:
        return next((p for p in self.segments if p.segment == index), None)

    @property
    def language(self) -> str | None:
        """The converted text's BCP 47 tag, or None when the text is as written."""
        return LANGUAGE_TAGS.get(self.options.convert) if self.options.convert else None

    @cached_property
    def source_dialogue(self) -> Track:
        """The programme's dialogue as written in the transcript: the alignment report's cues.
        Without a conversion this is `dialogue` itself; with one, a track of its own."""
        if self.episode is self.source:
            return self.dialogue
        return tracks(self.source, self.source_timeline, self.options)[0][1]


def build(episode: Episode, timeline: Timeline, options: RenderOptions) -> Programme:
    shown, shown_timeline = convert(episode, timeline, options.convert)
    profile = subtitle_profile(shown, options)
    titles = [seg.title for seg in episode.segments]
    made = tracks(shown, shown_timeline, options, titles, profile)
    with_speech = [i for i, seg in enumerate(shown.segments) if seg.turns]
    pieces = []
    for (name, track), index in zip(made, [None, *with_speech], strict=True):
        if index is None:
            end = programme_end_ms(shown_timeline, track)
        else:
            end = max(shown_timeline.segments[index].duration_ms, track.cues[-1].end_ms if track.cues else 0)
        supers = None
        if options.supers != "off" or options.cards:
            supers = build_supers(shown, shown_timeline, profile, options.supers, options.cards,
                                  options.supers_duration_ms, end, index)
        pieces.append(Piece(name, index, track, supers, end))
    return Programme(episode, timeline, shown, shown_timeline, options, profile, stem_of(episode), tuple(pieces))


def tracks(episode: Episode, timeline: Timeline, options: RenderOptions, titles: list[str] | None = None,
           profile: Profile | None = None) -> list[tuple[str, Track]]:
    """(file stem, Track) for the programme and for each segment with speech: the one place a
    dialogue track is cut. titles: the segment titles files are named after (default the episode's)."""
    stem = stem_of(episode)
    titles = titles or [seg.title for seg in episode.segments]
    profile = profile or subtitle_profile(episode, options)
    speakers = tuple((s.key, s.name, s.role) for s in episode.speakers)
    names, dual = options.speaker_names, options.dual_speaker
    out = [(stem, build_track(timeline, profile, None, episode.title, speakers=speakers, names=names, dual=dual))]
    for i, seg in enumerate(episode.segments):
        if seg.turns:
            out.append((segment_stem(stem, i, titles[i]),
                        build_track(timeline, profile, i, speakers=speakers, names=names, dual=dual)))
    return out


def programme_end_ms(timeline: Timeline, dialogue: Track) -> int:
    """The programme runs to its last word or last subtitle, whichever is later."""
    return max(timeline.total_ms, dialogue.cues[-1].end_ms if dialogue.cues else 0)
