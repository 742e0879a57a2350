"""One transcript in, every output out: parse → timeline → renderers → atomic write.

`plan()` is pure (episode and options in, {file name: bytes} out); `render_file()`
adds reading and writing. Renderers only read the episode and the timeline.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .model import Episode
from .naming import stem_of
from .options import RenderOptions
from .output import write_set
from .programme import programme_end_ms, supers_track, tracks
from .timing import Timeline, estimate


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

        options.size  # noqa: B018  (a bad size is refused here, before anything is made)
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
