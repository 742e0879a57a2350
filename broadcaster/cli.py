"""The command line: a thin layer that turns domain errors into one-line messages.

Exit codes: 0 ok (warnings allowed), 2 bad input or usage, 130 interrupted (Ctrl-C),
143 terminated (kill).
Heavy modules load inside the commands that need them, so `--help` is fast.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import BroadcasterError, OptionsError

EXIT_BAD_INPUT = 2


def _parse_rates(host_rate, guest_rate, rate_items, voices=None):
    """Rates: the voice profile's chars_per_second per role, then the command line's."""
    from .speech.voices import load_profile
    from .timing import Rates
    from .timing.rates import LIMITS, role_rates

    by_role = role_rates(load_profile(voices), host_rate, guest_rate)
    by_speaker = {}
    for item in rate_items:
        name, sep, value = item.rpartition("=")
        try:
            rate = float(value)
        except ValueError:
            rate = 0.0
        if not sep or not name or not LIMITS[0] <= rate <= LIMITS[1]:
            raise click.BadParameter(f"{item!r}: use SPEAKER=RATE with a rate from 0.5 to 20 syllables/s",
                                     param_hint="--rate")
        by_speaker[name] = rate
    return Rates(by_role, by_speaker)


# the flag that sets each RenderOptions field, where it is not the field's own name
FLAGS = {"hard_out_ms": "--hard-out", "supers_duration_ms": "--supers-duration", "template_dir": "--templates",
         "rates": "--rate", "recordings": "--recording", "max_lines": "--max-lines"}


def _flag(option: str) -> str:
    return FLAGS.get(option, "--" + option.replace("_", "-"))


def describe(exc: BroadcasterError) -> str:
    """The one line the CLI prints for a library error: an option is named by its flag."""
    if isinstance(exc, OptionsError):
        where = f"{exc.path}:{exc.line if exc.line is not None else 1}: " if exc.path is not None else ""
        return where + exc.said(_flag(exc.option))
    return str(exc)


def _usage_error(exc: OptionsError, formats: str) -> click.BadParameter:
    """A refused RenderOptions, as the usage error of the flag that set it."""
    from .options import formats_known

    if exc.option == "formats":
        return click.BadParameter(f"{formats!r}: choose from {', '.join(formats_known())}", param_hint="--formats")
    if exc.option == "recordings":
        return click.BadParameter("--recording times one transcript to its recording: give one FILE, "
                                  "without --audio", param_hint="--recording")
    if exc.option == "channel":
        return click.BadParameter("--channel and --strict go with --recording", param_hint="--recording")
    return click.BadParameter(exc.detail, param_hint=_flag(exc.option))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="broadcaster")
def cli():
    """broadcaster: prompter scripts, broadcast subtitles and rehearsal audio
    from one TV column transcript."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Output folder; each transcript gets DIR/<stem>/.")
@click.option("--host-rate", type=click.FloatRange(0.5, 20), help="Host speaking rate, syllables/s [4.5].")
@click.option("--guest-rate", type=click.FloatRange(0.5, 20), help="Guest speaking rate, syllables/s [4.0].")
@click.option("--rate", "rate_items", multiple=True, metavar="SPEAKER=RATE",
              help="Rate for one speaker (name or label); repeatable.")
@click.option("--profile", type=click.Choice(["zh-Hans", "zh-Hant", "en"]),
              help="Subtitle profile [from the transcript's language].")
@click.option("--two-line", is_flag=True, help="Netflix-style cues of up to two lines.")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True),
              help="Folder of templates overriding the shipped ones.")
@click.option("--hard-out", help="Programme length to back-time against, as mm:ss or h:mm:ss.")
@click.option("--audio", is_flag=True, help="Synthesize rehearsal audio and time subtitles to it.")
@click.option("--engine", type=click.Choice(["auto", "edge", "espeak"]), default="auto", show_default=True)
@click.option("--voices", type=click.Path(dir_okay=False, exists=True), help="Voice profile TOML.")
@click.option("--audio-format", type=click.Choice(["mp3", "wav"]), default="mp3", show_default=True,
              help="Rehearsal preview format.")
@click.option("--recording", "recordings", multiple=True, type=click.Path(dir_okay=False, exists=True),
              metavar="MEDIA", help="Time everything to the real recording (any media ffmpeg decodes): one for "
              "the programme, or repeat it once per segment, in order. Writes <stem>.align.md.")
@click.option("--channel", type=click.IntRange(1, 64), help="With --recording: align this channel (1-based) "
              "[all channels mixed].")
@click.option("--strict", is_flag=True, help="With --recording: exit 1 on any finding (missing turn, ad-lib, "
              "order, another programme).")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Clip cache folder [$BROADCASTER_CACHE or ~/.cache/broadcaster/clips].")
@click.option("--formats", default="srt", show_default=True, metavar="LIST",
              help="Subtitle formats, comma-separated: srt, vtt, ass; and timelines: fcpxml (Final Cut Pro, "
                   "DaVinci Resolve), xml (FCP7 XML for Premiere).")
@click.option("--fps", type=click.Choice(["24", "25", "29.97", "30", "50"]), default="25", show_default=True,
              help="Frame rate cue times snap to.")
@click.option("--encoding", type=click.Choice(["utf-8", "utf-8-sig", "gb18030"]), default="utf-8", show_default=True,
              help="Subtitle file encoding (utf-8-sig adds a BOM; gb18030 for Windows-era tools).")
@click.option("--crlf", is_flag=True, help="Windows line ends in subtitle files.")
@click.option("--max-line", type=click.FloatRange(4, 80), help="Line width limit [16 zh, 42 en].")
@click.option("--max-lines", type=click.IntRange(1, 3), help="Lines per cue [1 zh, 2 en].")
@click.option("--max-cps", type=click.FloatRange(3, 40), help="Reading speed limit, characters/s [9 zh, 20 en].")
@click.option("--pinyin", is_flag=True, help="Prompter page: pinyin over unusual readings and rare characters.")
@click.option("--spoken-numbers", is_flag=True, help="Prompter page: numbers shown with their spoken form.")
@click.option("--speaker-names", is_flag=True, help="Put the speaker's name in front of each turn's first cue.")
@click.option("--dual-speaker", is_flag=True, help="Let a short reply share a two-line cue, lines opened by dashes.")
@click.option("--supers", type=click.Choice(["off", "first", "every"]), default="off", show_default=True,
              is_flag=False, flag_value="first",
              help="Name supers (name and title lower thirds) in <stem>.supers.*: at each person's first turn "
                   "in each segment, or every turn; --supers alone means first.")
@click.option("--supers-duration", type=click.FloatRange(2, 7), default=4, show_default=True,
              help="Seconds a super or title card stays up.")
@click.option("--cards", is_flag=True, help="A title card with the segment's headline at each segment start (in the supers track).")
@click.option("--convert", type=click.Choice(["s2t", "s2hk", "s2tw", "t2s"]),
              help="Convert every text output with OpenCC: s2t, s2hk (Hong Kong), s2tw (Taiwan phrases, "
                   "OpenCC s2twp: 软件→軟體), t2s.")
@click.option("--video", is_flag=True,
              help="Write <stem>.preview.mp4: subtitles, supers and cards burned in (H.264 + AAC; the rehearsal "
                   "audio with --audio, else silence).")
@click.option("--video-size", default="1280x720", show_default=True, metavar="WxH", help="Preview video size.")
@click.option("--font", "font_file", type=click.Path(dir_okay=False, exists=True),
              help="Font file for the preview video [a Chinese font found through fontconfig].")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Transcripts rendered at once [number of cores].")
@click.option("--quiet", is_flag=True, help="No progress, no summary.")
def render(files, out_dir, host_rate, guest_rate, rate_items, profile, two_line, template_dir, hard_out,
           audio, engine, voices, audio_format, recordings, channel, strict, cache_dir, formats, fps, encoding, crlf, max_line, max_lines, max_cps, pinyin, spoken_numbers,
           speaker_names, dual_speaker, supers, supers_duration, cards, convert, video, video_size, font_file, jobs, quiet):
    """Render prompter script and subtitles for each transcript FILE (or episode JSON)."""
    from .batch import render_batch, render_one
    from .options import RenderOptions, parse_duration
    from .terminal import TerminalReporter

    rates = _parse_rates(host_rate, guest_rate, rate_items, voices)
    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    try:
        hard_out_ms, bad_hard_out = parse_duration(hard_out), None
    except OptionsError as exc:  # said after the formats, as before
        hard_out_ms, bad_hard_out = None, exc
    try:
        options = RenderOptions(out_dir=out_dir, profile=profile, max_lines=max_lines or (2 if two_line else None),
                                formats=chosen, fps=float(fps), encoding=encoding, crlf=crlf, max_line=max_line,
                                max_cps=max_cps, speaker_names=speaker_names, dual_speaker=dual_speaker,
                                pinyin=pinyin, spoken_numbers=spoken_numbers,
                                template_dir=template_dir, hard_out_ms=hard_out_ms, audio=audio,
                                engine=engine, voices=voices, audio_format=audio_format, cache_dir=cache_dir,
                                supers=supers, supers_duration_ms=round(supers_duration * 1000), cards=cards,
                                convert=convert, video=video, video_size=video_size, font=font_file,
                                progress=not quiet, recordings=tuple(str(r) for r in recordings), channel=channel,
                                strict=strict)
        if bad_hard_out is not None:
            raise bad_hard_out
    except OptionsError as exc:
        raise _usage_error(exc, formats) from None
    if recordings and len(files) != 1:
        raise _usage_error(OptionsError("one transcript", option="recordings"), formats)
    seen: dict = {}
    refused: dict = {}  # two inputs with one stem would write one folder: the later one is refused
    for path in files:
        stem = Path(path).stem
        if stem in seen and not str(path).endswith(".json"):
            refused[path] = (f"{path}:1: has the same name as {seen[stem]}: both would be written to "
                             f"{Path(out_dir) / stem}; rename one of them")
        seen.setdefault(stem, path)
    todo = [p for p in files if p not in refused]
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    reporter = TerminalReporter()
    if workers > 1 and not audio and not video:  # one synthesis or encode at a time: each uses every core
        rendered = dict(render_batch(todo, options, rates, voices, workers, describe, reporter))
    else:
        rendered = None
    results: list = []
    outcomes = ((path, ([], refused[path]) if path in refused else
                 rendered[path] if rendered is not None else render_one(path, options, rates, voices, results,
                                                                        describe, reporter))
                for path in files)
    failed = 0
    for _path, (lines, error) in outcomes:
        if error:
            failed += 1
            click.echo(error, err=True)
        elif not quiet:
            click.echo("\n".join(lines))
    if failed:
        if len(files) > 1:
            click.echo(f"{failed} of {len(files)} transcripts could not be rendered; the others were.", err=True)
        raise click.exceptions.Exit(EXIT_BAD_INPUT)
    if strict and any(r.alignment is not None and r.alignment.findings for r in results):
        click.echo("--strict: the alignment has findings (see the .align.md report)", err=True)
        raise click.exceptions.Exit(1)


def _check_subtitles(files, profile_name, fps) -> int:
    from .read.text import _language
    from .subtitles import profile_for
    from .subtitles.qc import check as qc_check, load_cues

    worst = 0
    for path in files:
        cues = load_cues(path)
        language = _language("".join(line for c in cues for line in c.lines))
        prof = profile_for(language, profile_name).with_options(fps=fps)
        tolerance = 5.0 if Path(path).suffix.lower() in (".ass", ".ssa") else 1.0  # centiseconds
        report = qc_check(str(path), cues, prof, tolerance)
        click.echo(report.summary())
        for v in report.violations:
            click.echo(f"{path}:cue {v.cue}: {v.reason}")
        if report.violations:
            worst = max(worst, 1)
    return worst


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--subtitles", is_flag=True, help="FILEs are SRT/VTT/ASS subtitles: run the QC checks on them.")
@click.option("--profile", type=click.Choice(["zh-Hans", "zh-Hant", "en"]), help="QC profile [from the text].")
@click.option("--fps", type=click.Choice(["24", "25", "29.97", "30", "50"]), default="25", show_default=True)
def check(files, subtitles, profile, fps):
    """Report what was understood in each FILE, and every guess or problem as file:line: message.

    With --subtitles: QC of subtitle files (also other tools'); exit 1 when a cue breaks a rule."""
    if subtitles:
        raise click.exceptions.Exit(_check_subtitles(files, profile, float(fps)))
    from .read import parse_file
    from .prompter.context import clock
    from .subtitles.runs import long_runs
    from .timing import estimate

    for path in files:
        episode = parse_file(path)
        timeline = estimate(episode)
        click.echo(f"{path}: {episode.title!r}, language {episode.language}, "
                   f"{len(episode.segments)} segments, {sum(len(s.turns) for s in episode.segments)} turns, "
                   f"estimated {clock(timeline.total_ms)}")
        for seg, tseg in zip(episode.segments, timeline.segments, strict=True):
            section = f"{seg.section} / " if seg.section else ""
            click.echo(f"  segment {tseg.index + 1} ({episode.where(seg.line)}): {section}{seg.title} — "
                       f"{len(seg.turns)} turns, {clock(tseg.duration_ms)}")
            for c in seg.credits:
                click.echo(f"    credits: {c.role} {' '.join(c.names)}")
        for sp in episode.speakers:
            turns = sum(1 for s in episode.segments for t in s.turns if t.speaker == sp.key)
            title = f", {sp.title}" if sp.title else ""
            click.echo(f"  speaker {sp.name} ({sp.role}{title}): {turns} turns, first at {episode.where(sp.line)}")
        for seg in episode.segments:
            for turn in seg.turns:
                for p in turn.paragraphs:
                    for span in p.spans:
                        if span.kind == "furniture":
                            click.echo(f"  furniture, not read ({episode.where(p.line)}): {span.text}")
        for d in (*episode.diagnostics, *long_runs(episode)):  # long unpunctuated runs: subtitles/runs.py
            click.echo(str(d))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, required=True, help="Write the episode model as JSON.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
def parse(file, as_json, out):
    """Parse FILE and write its episode model as JSON (which `render` reads back)."""
    import json

    from .read import parse_file

    episode = parse_file(file)
    text = json.dumps(episode.to_dict(), ensure_ascii=False, indent=1) + "\n"
    if out:
        from .output import write_set

        write_set(out.parent if str(out.parent) else Path("."), {out.name: text.encode("utf-8")})
    else:
        click.echo(text, nl=False)


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a plain `kill`): unwind like Ctrl-C, so no temporary file is left."""


def _on_sigterm(signum, frame):
    raise _Terminated()


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(dir_okay=False, exists=True), help="Voice profile TOML [voices/default.toml].")
def voices(file, voices):
    """Show who speaks with which voice in FILE."""
    from .speech.voices import cast, load_profile
    from .read import parse_file

    episode = parse_file(file)
    profile = load_profile(voices)
    click.echo(f"{file}: voices from {profile['_path']}")
    for key, v in cast(episode, profile).items():
        sp = episode.speaker(key)
        click.echo(f"  {sp.name} ({sp.role}): edge {v.edge_voice} {v.edge_rate} {v.edge_pitch}; "
                   f"espeak {v.espeak_voice} rate {v.espeak_rate} pitch {v.espeak_pitch}; "
                   f"{v.chars_per_second:g} syllables/s")


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(dir_okay=False, exists=True), help="Voice profile TOML to tune [voices/default.toml].")
@click.option("--dry-run", is_flag=True, help="Measure and report; do not write the profile.")
def calibrate(file, voices, dry_run):
    """Tune each voice's offline rate so its audio runs at the speaking rate the timeline assumes.

    Measures on FILE's turns (default: the shipped example) and writes the rates into the profile."""
    from .audio.calibrate import calibrate as run, write_rates
    from .speech.voices import default_profile_path

    results = run(str(file) if file else None, voices)
    for r in results:
        click.echo(f"{r.section}: {r.syllables} syllables, timeline {r.target_s:.1f} s; espeak rate "
                   f"{r.before_rate} → {r.after_rate}: audio {r.before_s:.1f} s ({r.error(r.before_s):+.1%}) → "
                   f"{r.after_s:.1f} s ({r.error(r.after_s):+.1%})")
    target = voices or default_profile_path()
    if not dry_run:
        write_rates(target, results)
        click.echo(f"wrote the rates into {target}")


@cli.command()
@click.option("--data", "data_dir", default="~/broadcaster-studio", show_default=True,
              type=click.Path(file_okay=False), help="Folder the studio keeps its episodes in.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs the access token.")
@click.option("--port", default=8321, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", help="Access token [generated when --host is not loopback].")
@click.option("--max-upload", default=20, show_default=True, type=click.FloatRange(0.1, 1024),
              help="Largest upload, MiB.")
@click.option("--workers", type=click.IntRange(1, 64), help="Render processes [number of cores].")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option("--body-timeout", default=30.0, show_default=True, type=click.FloatRange(0.5, 3600),
              help="Seconds a request body may pause before the studio gives up on it (408).")
def serve(data_dir, host, port, token, max_upload, workers, no_browser, body_timeout):
    """Start the studio: the whole job in a browser page (http://127.0.0.1:8321/)."""
    from .studio.serve import run

    run(data_dir=data_dir, host=host, port=port, token=token, max_upload=int(max_upload * 1048576),
        workers=workers, browser=not no_browser, body_timeout=body_timeout)


def main(argv=None) -> int:
    """Entry point: never a traceback for bad input; exit 2 with file:line: message."""
    import signal
    import threading

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    try:
        return _main(argv)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _main(argv) -> int:
    try:
        code = cli.main(args=argv, prog_name="broadcaster", standalone_mode=False)
        if isinstance(code, int):
            return code  # a command's own exit status (check --subtitles: 1 on violations)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT
    except click.exceptions.Abort as exc:
        click.echo("interrupted: earlier outputs are untouched", err=True)
        return 143 if isinstance(exc.__cause__, _Terminated) else 130
    except BroadcasterError as exc:
        click.echo(describe(exc) if exc.path else f"error: {describe(exc)}", err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        click.echo("interrupted: earlier outputs are untouched", err=True)
        return 143 if isinstance(exc, _Terminated) else 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
