"""One transcript in, every output out: parse → timeline → renderers → atomic write.

`plan()` is pure (episode and options in, {file name: bytes} out); `render_file()`
adds reading and writing. Renderers only read the episode and the timeline.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import Episode
from .errors import OutputError
from .naming import segment_stem, stem_of, subtitle_profile
from .output import write_set
from .timing import Rates, Timeline, estimate


@dataclass(frozen=True)
class RenderOptions:
    out_dir: Path = Path("output")
    rates: Rates = field(default_factory=Rates)
    profile: str | None = None  # zh-Hans, zh-Hant, en; default from the transcript's language
    formats: tuple[str, ...] = ("srt",)
    max_lines: int | None = None
    max_line: float | None = None
    max_cps: float | None = None
    fps: float | None = None
    encoding: str = "utf-8"
    crlf: bool = False
    template_dir: str | None = None
    hard_out_ms: int | None = None
    audio: bool = False
    engine: str = "auto"
    voices: str | None = None
    cache_dir: str | None = None
    audio_format: str = "mp3"
    progress: bool = True
    pinyin: bool = False  # prompter page: pinyin over polyphones read unusually and rare characters
    spoken_numbers: bool = False  # prompter page: numbers with their spoken form above them
    speaker_names: bool = False  # the speaker's name in front of a turn's first cue
    dual_speaker: bool = False  # a short reply may share a two-line cue, with dashes
    # edit suite (subtitles/supers.py, timelines/, video/, convert.py)
    supers: str = "off"  # name supers: off, first (each person's first turn in each segment), every (each turn)
    supers_duration_ms: int = 4000  # how long a super or title card stays up
    cards: bool = False  # the segment's headline as a title card at its start
    convert: str | None = None  # OpenCC: s2t, s2hk, s2tw (s2twp), t2s
    recordings: tuple[str, ...] = ()  # time everything to these recordings (one, or one per segment)
    channel: int | None = None  # the recordings' channel to align (1-based); default: all mixed
    strict: bool = False  # the CLI exits 1 on any alignment finding
    video: bool = False  # <stem>.preview.mp4: subtitles, supers and cards burned in over a plain background
    video_size: str = "1280x720"  # WxH of the preview video
    font: str | None = None  # a font file with the hanzi for the preview video [found through fontconfig]


@dataclass(frozen=True)
class RenderResult:
    episode: Episode
    timeline: Timeline
    folder: Path
    files: tuple[Path, ...]
    qc: tuple = ()  # QCReport per subtitle track
    alignment: object = None  # timing.recording.run.Alignment, with --recording
    summary: tuple = ()  # extra terminal lines (the alignment's)
    programme: object = None  # the programme's dialogue Track as written (converted when asked); its QC is qc[0]


def encode_text(text: str, options: RenderOptions) -> bytes:
    if options.crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode(options.encoding)


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


def _converted_language(options: RenderOptions) -> str | None:
    if not options.convert:
        return None
    from .convert import LANGUAGE_TAGS

    return LANGUAGE_TAGS.get(options.convert)


def plan(episode: Episode, timeline: Timeline, options: RenderOptions, reports: list | None = None,
         kept: dict | None = None) -> dict[str, bytes]:
    """Every text output for one episode, by file name (QC reports appended to `reports`; the
    programme's title, dialogue track and supers as written put in `kept`, for the preview video)."""
    from .prompter import text as prompter_text
    from .subtitles import cuelist, qc
    from .subtitles.formats import FORMATS as SUBTITLE_FORMATS, get as get_format

    stem = stem_of(episode)
    files: dict[str, bytes] = {}
    # files keep the transcript's own segment names whatever the conversion (the audio's match them)
    titles = [seg.title for seg in episode.segments]
    if options.convert:
        from .convert import convert

        episode, timeline = convert(episode, timeline, options.convert)
    made = tracks(episode, timeline, options, titles)
    supers = supers_track(episode, timeline, options, made[0][1])
    if kept is not None:
        kept.update(title=episode.title, dialogue=made[0][1], supers=supers)
    graphics = []  # (file stem, track): the programme's supers, and each segment's as it airs on its own
    if supers is not None:
        graphics.append((f"{stem}.supers", supers))
        for (name, track), index in zip(made[1:], [i for i, seg in enumerate(episode.segments) if seg.turns],
                                        strict=True):
            graphics.append((f"{name}.supers", supers_track(episode, timeline, options, track, index)))
    for fmt_name in options.formats:
        if fmt_name not in SUBTITLE_FORMATS:
            continue  # timelines (fcpxml, xml) below
        fmt = get_format(fmt_name)
        for name, track in made:
            files[f"{name}.{fmt.EXTENSION}"] = encode_text(fmt.dumps(track, options), options)
        if supers is not None:
            from .subtitles.supers import dumps as dump_supers

            for name, track in graphics:
                files[f"{name}.{fmt.EXTENSION}"] = encode_text(dump_supers(fmt_name, track, options), options)
    from . import timelines

    files.update(timelines.render(episode, timeline, made[0][1], supers, options,
                                  programme_end_ms(timeline, made[0][1])))
    checked = made + graphics
    for name, track in checked:
        report = qc.check_track(name, track)
        files[f"{name}.qc.md"] = qc.to_markdown(report).encode("utf-8")
        if reports is not None:
            reports.append(report)
    files[f"{stem}.cues.txt"] = encode_text(cuelist.dumps(made[0][1]), options)
    files[f"{stem}.prompter.txt"] = prompter_text.render(episode, timeline, options.template_dir).encode("utf-8")
    from .prompter import html as prompter_html
    from .prompter.context import build_context
    from .prompter.rundown import to_markdown

    files[f"{stem}.prompter.html"] = prompter_html.render(
        episode, timeline, template_dir=options.template_dir, hard_out_ms=options.hard_out_ms,
        pinyin=options.pinyin, spoken_numbers=options.spoken_numbers,
        audio_file=f"{stem}.{options.audio_format}" if options.audio else None,
        lang=_converted_language(options)).encode("utf-8")
    files[f"{stem}.rundown.md"] = to_markdown(build_context(episode, timeline, options.hard_out_ms)).encode("utf-8")
    return files


def render_episode(episode: Episode, options: RenderOptions) -> RenderResult:
    timeline = estimate(episode, options.rates)
    font = None
    if options.video:  # no font, or a bad size: said before any synthesis or encoding
        from .video.fonts import find_font
        from .video.preview import parse_size

        parse_size(options.video_size)
        script = {"s2hk": "zh-HK", "s2t": "zh-Hant", "s2tw": "zh-Hant"}.get(options.convert or "", "zh-Hans")
        font = find_font(options.font, chinese=episode.language.startswith("zh"), script=script)
    audio_files: dict[str, bytes] = {}
    if options.audio:
        from .audio import render_audio  # heavy: only when audio is asked for

        timeline, audio_files = render_audio(episode, timeline, options)
    alignment = None
    if options.recordings:
        from .timing.recording import align  # heavy: numpy, scipy, ffmpeg, espeak

        timeline, alignment = align(episode, timeline, options.recordings, options.channel, options.voices,
                                    options.progress)
    reports: list = []
    kept: dict = {}
    files = plan(episode, timeline, options, reports, kept)
    files.update(audio_files)
    if font is not None:
        from .video.preview import render_preview

        programme_audio = audio_files.get(f"{stem_of(episode)}.{options.audio_format}")
        files[f"{stem_of(episode)}.preview.mp4"] = render_preview(kept["title"], timeline, kept["dialogue"],
                                                                  kept["supers"], options, font, programme_audio)
    summary: tuple = ()
    if alignment is not None:
        from .timing.recording import report as align_report

        programme = tracks(episode, timeline, options)[0][1]
        files[f"{stem_of(episode)}.align.md"] = align_report.to_markdown(
            episode, timeline, alignment, programme).encode("utf-8")
        summary = tuple(align_report.summary(alignment, programme, timeline))
    folder = Path(options.out_dir) / stem_of(episode)
    source = Path(episode.source)
    if source.is_file() and any((folder / name).resolve() == source.resolve() for name in files):
        raise OutputError(f"would overwrite the transcript itself in {folder}; choose another -o",
                          path=episode.source, line=1)
    written = write_set(folder, files, complete=True)
    return RenderResult(episode, timeline, folder, tuple(written), tuple(reports), alignment, summary,
                        kept["dialogue"])


def render_file(path: str | Path, options: RenderOptions) -> RenderResult:
    from .read import parse_file

    return render_episode(parse_file(path), options)
