"""One transcript in, every output out: parse → timeline → renderers → atomic write.

`programme.build()` decides once what the render holds (tracks, supers, ends, conversion);
`plan()` is pure (the programme in, {file name: bytes} and QC reports out); `render_episode()`
adds the timing sources (synthesis, a recording), the audio and video renderers and the atomic
write, `render_file()` the reading.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import timelines
from .errors import OutputError
from .model import Episode
from .options import RenderOptions
from .output import write_set
from .programme import Programme, build
from .prompter import html as prompter_html, text as prompter_text
from .prompter.context import build_context
from .prompter.rundown import to_markdown
from .subtitles import cuelist, qc
from .subtitles.formats import FORMATS as SUBTITLE_FORMATS, get as get_format
from .subtitles.qc import QCReport
from .subtitles.supers import dumps as dump_supers
from .timing import Timeline, estimate

if TYPE_CHECKING:
    from .timing.recording.run import Alignment


@dataclass(frozen=True)
class RenderResult:
    episode: Episode
    timeline: Timeline
    folder: Path
    files: tuple[Path, ...]
    qc: tuple[QCReport, ...] = ()  # per subtitle track, the programme's dialogue first
    alignment: Alignment | None = None  # with --recording
    summary: tuple[str, ...] = ()  # extra terminal lines (the alignment's)
    programme: Programme | None = None  # what the render decided: tracks as written (converted when asked)


def encode_text(text: str, options: RenderOptions) -> bytes:
    if options.crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode(options.encoding)


def plan(programme: Programme) -> tuple[dict[str, bytes], list[QCReport]]:
    """Every text output of the programme by file name, and the QC report of each subtitle track
    (the programme's dialogue first)."""
    options, episode, timeline, stem = programme.options, programme.episode, programme.timeline, programme.stem
    files: dict[str, bytes] = {}
    made = [(p.stem, p.dialogue) for p in programme.pieces]
    graphics = [(f"{p.stem}.supers", p.supers) for p in programme.pieces if p.supers is not None]
    for fmt_name in options.formats:
        if fmt_name not in SUBTITLE_FORMATS:
            continue  # timelines (fcpxml, xml) below
        fmt = get_format(fmt_name)
        for name, track in made:
            files[f"{name}.{fmt.EXTENSION}"] = encode_text(fmt.dumps(track, options), options)
        for name, track in graphics:
            files[f"{name}.{fmt.EXTENSION}"] = encode_text(dump_supers(fmt_name, track, options), options)
    files.update(timelines.render(programme))
    reports = []
    for name, track in made + graphics:
        report = qc.check_track(name, track)
        files[f"{name}.qc.md"] = qc.to_markdown(report).encode("utf-8")
        reports.append(report)
    files[f"{stem}.cues.txt"] = encode_text(cuelist.dumps(programme.dialogue), options)
    files[f"{stem}.prompter.txt"] = prompter_text.render(episode, timeline, options.template_dir).encode("utf-8")
    files[f"{stem}.prompter.html"] = prompter_html.render(
        episode, timeline, template_dir=options.template_dir, hard_out_ms=options.hard_out_ms,
        pinyin=options.pinyin, spoken_numbers=options.spoken_numbers,
        audio_file=f"{stem}.{options.audio_format}" if options.audio else None,
        lang=programme.language).encode("utf-8")
    files[f"{stem}.rundown.md"] = to_markdown(build_context(episode, timeline, options.hard_out_ms)).encode("utf-8")
    return files, reports


def render_episode(episode: Episode, options: RenderOptions) -> RenderResult:
    timeline = estimate(episode, options.rates)
    font = None
    if options.video:  # no font, or a bad size: said before any synthesis or encoding
        from .video.fonts import find_font

        options.size  # noqa: B018  (a bad size is refused here, before anything is made)
        script = {"s2hk": "zh-HK", "s2t": "zh-Hant", "s2tw": "zh-Hant"}.get(options.convert or "", "zh-Hans")
        font = find_font(options.font, chinese=episode.language.startswith("zh"), script=script)
    synthesis = None
    if options.audio:
        from .timing.synthesized import synthesize  # heavy: only when audio is asked for

        synthesis = synthesize(episode, timeline, options)
        timeline = synthesis.timeline
    alignment = None
    if options.recordings:
        from .timing.recording import align  # heavy: numpy, scipy, ffmpeg, espeak

        timeline, alignment = align(episode, timeline, options.recordings, options.channel, options.voices,
                                    options.progress)
    programme = build(episode, timeline, options)
    files, reports = plan(programme)
    audio_files: dict[str, bytes] = {}
    if synthesis is not None:
        from .audio.rehearsal import render_audio

        audio_files = render_audio(programme, synthesis)
        files.update(audio_files)
    if font is not None:
        from .video.preview import render_preview

        programme_audio = audio_files.get(f"{programme.stem}.{options.audio_format}")
        files[f"{programme.stem}.preview.mp4"] = render_preview(programme, font, programme_audio)
    summary: tuple = ()
    if alignment is not None:
        from .timing.recording import report as align_report

        track = programme.source_dialogue
        files[f"{programme.stem}.align.md"] = align_report.to_markdown(
            episode, timeline, alignment, track).encode("utf-8")
        summary = tuple(align_report.summary(alignment, track, timeline))
    folder = Path(options.out_dir) / programme.stem
    source = Path(episode.source)
    if source.is_file() and any((folder / name).resolve() == source.resolve() for name in files):
        raise OutputError(f"would overwrite the transcript itself in {folder}; choose another -o",
                          path=episode.source, line=1)
    written = write_set(folder, files, complete=True)
    return RenderResult(episode, timeline, folder, tuple(written), tuple(reports), alignment, summary, programme)


def render_file(path: str | Path, options: RenderOptions) -> RenderResult:
    from .read import parse_file

    return render_episode(parse_file(path), options)
