"""One transcript in, every output out: parse → timeline → renderers → atomic write.

`programme.build()` decides once what the render holds (tracks, supers, ends, conversion);
`plan()` is pure (the programme in, {file name: bytes} and QC reports out); `render_episode()`
adds the timing sources (synthesis, a recording), the audio and video renderers and the atomic
write, `render_file()` the reading.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import OutputError
from .model import Episode
from .options import RenderOptions
from .output import write_set
from .programme import Programme, build
from .progress import SILENT, Reporter
from .prompter import html as prompter_html, text as prompter_text
from .prompter.context import build_context
from .prompter.rundown import to_markdown
from .read import parse_file
from .subtitles import cuelist, qc
from .subtitles.formats import FORMATS as SUBTITLE_FORMATS, get as get_format
from .subtitles.qc import QCReport
from .subtitles.supers import dumps as dump_supers
from .timelines.files import render as timeline_files
from .timing import Timeline, estimate

if TYPE_CHECKING:
    from .timing.recording.run import Alignment


# what a written file is, in RenderResult.manifest
ROLES = ("subtitles", "supers", "qc", "cue list", "prompter script", "prompter page", "rundown", "timeline",
         "audio", "preview video", "align report")


@dataclass(frozen=True)
class Output:
    """One file a render wrote, and what it is."""

    path: Path
    role: str  # one of ROLES
    segment: int | None = None  # the segment it is of (its own piece, timed from 0); None: the programme


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
    manifest: tuple[Output, ...] = ()  # every file written, in order, with its role


class Plan(NamedTuple):
    files: dict[str, bytes]  # every text output by file name
    reports: list[QCReport]  # QC of each subtitle track, the programme's dialogue first
    roles: dict[str, tuple[str, int | None]]  # file name → (role, segment)


def encode_text(text: str, options: RenderOptions) -> bytes:
    if options.crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode(options.encoding)


def plan(programme: Programme) -> Plan:
    """Every text output of the programme, the QC reports, and what each file is."""
    options, episode, timeline, stem = programme.options, programme.episode, programme.timeline, programme.stem
    files: dict[str, bytes] = {}
    roles: dict[str, tuple[str, int | None]] = {}

    def put(name: str, data: bytes, role: str, segment: int | None = None) -> None:
        files[name] = data
        roles[name] = (role, segment)

    made = [(p.stem, p.dialogue, p.segment, "subtitles") for p in programme.pieces]
    graphics = [(f"{p.stem}.supers", p.supers, p.segment, "supers") for p in programme.pieces
                if p.supers is not None]
    for fmt_name in options.formats:
        if fmt_name not in SUBTITLE_FORMATS:
            continue  # timelines (fcpxml, xml) below
        fmt = get_format(fmt_name)
        for name, track, segment, role in made:
            put(f"{name}.{fmt.EXTENSION}", encode_text(fmt.dumps(track, options), options), role, segment)
        for name, track, segment, role in graphics:
            put(f"{name}.{fmt.EXTENSION}", encode_text(dump_supers(fmt_name, track, options), options), role,
                segment)
    for name, data in timeline_files(programme).items():
        put(name, data, "timeline")
    reports = []
    for name, track, segment, _ in made + graphics:
        report = qc.check_track(name, track)
        put(f"{name}.qc.md", qc.to_markdown(report).encode("utf-8"), "qc", segment)
        reports.append(report)
    put(f"{stem}.cues.txt", encode_text(cuelist.dumps(programme.dialogue), options), "cue list")
    put(f"{stem}.prompter.txt", prompter_text.render(episode, timeline, options.template_dir).encode("utf-8"),
        "prompter script")
    put(f"{stem}.prompter.html", prompter_html.render(
        episode, timeline, template_dir=options.template_dir, hard_out_ms=options.hard_out_ms,
        pinyin=options.pinyin, spoken_numbers=options.spoken_numbers,
        audio_file=f"{stem}.{options.audio_format}" if options.audio else None,
        lang=programme.language).encode("utf-8"), "prompter page")
    put(f"{stem}.rundown.md", to_markdown(build_context(episode, timeline, options.hard_out_ms)).encode("utf-8"),
        "rundown")
    return Plan(files, reports, roles)


def render_episode(episode: Episode, options: RenderOptions, reporter: Reporter = SILENT) -> RenderResult:
    """Render and write every output. Progress goes to `reporter` when options.progress (the
    engine synthesis chose is noted either way)."""
    progress = reporter if options.progress else SILENT
    timeline = estimate(episode, options.rates)
    font = None
    if options.video:  # no font, or a bad size: said before any synthesis or encoding
        options.size  # noqa: B018  (a bad size is refused here, before anything is made)
        script = {"s2hk": "zh-HK", "s2t": "zh-Hant", "s2tw": "zh-Hant"}.get(options.convert or "", "zh-Hans")
        from .video.fonts import find_font  # subprocess and fontconfig lookups: with --video only

        font = find_font(options.font, chinese=episode.language.startswith("zh"), script=script)
    synthesis = None
    if options.audio:
        # asyncio, the engines and the clip cache (~0.1 s to import, python -X importtime): with --audio only
        from .timing.synthesized import synthesize

        synthesis = synthesize(episode, timeline, options, reporter)
        timeline = synthesis.timeline
    alignment = None
    if options.recordings:
        # the aligner, its findings and the process pool (~15 ms of imports): with --recording only
        from .timing.recording import align

        timeline, alignment = align(episode, timeline, options.recordings, options.channel, options.voices,
                                    progress)
    programme = build(episode, timeline, options)
    files, reports, roles = plan(programme)
    audio_files: dict[str, bytes] = {}
    if synthesis is not None:
        from .audio.rehearsal import render_audio  # numpy and pydub (~0.3 s): with --audio only

        audio_files = render_audio(programme, synthesis, progress)
        files.update(audio_files)
        pieces = {f"{p.stem}.{options.audio_format}": p.segment for p in programme.pieces}
        roles.update({name: ("audio", pieces[name]) for name in audio_files})
    if font is not None:
        from .video.preview import render_preview  # pysubs2 and imageio-ffmpeg (~0.3 s): with --video only

        programme_audio = audio_files.get(f"{programme.stem}.{options.audio_format}")
        files[f"{programme.stem}.preview.mp4"] = render_preview(programme, font, programme_audio, progress)
        roles[f"{programme.stem}.preview.mp4"] = ("preview video", None)
    summary: tuple = ()
    if alignment is not None:
        from .timing.recording import report as align_report

        track = programme.source_dialogue
        files[f"{programme.stem}.align.md"] = align_report.to_markdown(
            episode, timeline, alignment, track).encode("utf-8")
        roles[f"{programme.stem}.align.md"] = ("align report", None)
        summary = tuple(align_report.summary(alignment, track, timeline))
    folder = Path(options.out_dir) / programme.stem
    source = Path(episode.source)
    if source.is_file() and any((folder / name).resolve() == source.resolve() for name in files):
        raise OutputError(f"would overwrite the transcript itself in {folder}; choose another -o",
                          path=episode.source, line=1)
    written = write_set(folder, files, complete=True)
    manifest = tuple(Output(path, *roles[path.name]) for path in written)
    return RenderResult(episode, timeline, folder, tuple(written), tuple(reports), alignment, summary, programme,
                        manifest)


def render_file(path: str | Path, options: RenderOptions, reporter: Reporter = SILENT) -> RenderResult:
    return render_episode(parse_file(path), options, reporter)
