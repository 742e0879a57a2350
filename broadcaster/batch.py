"""Rendering many transcripts, as `broadcaster render FILE...` does: one per process.

Each transcript's outcome is its summary lines or its located error message, so
one bad file is reported while the others are still rendered.
"""
from __future__ import annotations

from .errors import BroadcasterError


def resolve_speaker_rates(episode, rates, voices=None):
    """--rate accepts a speaker's name or label; map them to keys, refusing unknown ones.
    The voice profile's per-speaker chars_per_second applies to the speakers it names."""
    from .speech.voices import load_profile
    from .timing import Rates

    by_speaker = {}
    for name, settings in load_profile(voices).get("speakers", {}).items():
        if "chars_per_second" in settings:
            by_speaker.update({s.key: float(settings["chars_per_second"])
                               for s in episode.speakers if name in (s.key, s.name)})
    for name, value in rates.by_speaker.items():
        keys = [s.key for s in episode.speakers if name in (s.key, s.name)]
        if not keys:
            known = ", ".join(s.name for s in episode.speakers)
            raise BroadcasterError(f"--rate: no speaker {name!r} in {episode.source} (speakers: {known})")
        by_speaker.update({k: value for k in keys})
    return Rates(rates.by_role, by_speaker)


def render_one(path, options, rates, voices, results: list | None = None) -> tuple[list[str], str | None]:
    """Render one transcript: (summary lines, None) or ([], the located error message).
    results, when given, receives the RenderResult."""
    from .read import parse_file
    from .render import render_episode

    try:
        episode = parse_file(path)
        result = render_episode(episode, with_rates(options, resolve_speaker_rates(episode, rates, voices)))
    except BroadcasterError as exc:
        exc.located(str(path))
        return [], str(exc)
    lines = [str(d) for d in episode.diagnostics if d.level == "error"]
    warnings = sum(1 for d in episode.diagnostics if d.level == "warning")
    note = f" ({warnings} warnings: see `broadcaster check {path}`)" if warnings else ""
    lines.append(f"{path}: {len(result.files)} files in {result.folder}{note}")
    lines += [f"  {f}" for f in result.files]
    if result.qc:
        violations = sum(len(r.violations) for r in result.qc)
        lines.append(f"  subtitle QC: {result.qc[0].summary()}; {violations} violations in all {len(result.qc)} tracks")
    lines += list(result.summary)
    if results is not None:
        results.append(result)
    return lines, None


def render_batch(files, options, rates, voices, workers):
    """Many transcripts over processes (both cores); results in input order.

    The renderers, the word segmenter's dictionary and the templates are loaded once,
    here, before the workers fork (they share it copy-on-write) rather than once in
    each worker; transcripts go out a few at a time to spare round trips.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    _preload(options)
    one = partial(render_one, options=options, rates=rates, voices=voices)
    chunk = max(1, min(8, len(files) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from zip(files, pool.map(one, files, chunksize=chunk), strict=True)


def _preload(options) -> None:
    from .prompter import html, rundown, text  # noqa: F401  (imported for the workers)
    from .prompter.templating import environment
    from .read import parse_file  # noqa: F401
    from .render import render_episode  # noqa: F401
    from .subtitles import formats, qc  # noqa: F401
    from .subtitles.wordbreak import preload

    preload()
    env = environment(options.template_dir)
    for name in ("prompter.html", "prompter.txt"):
        try:
            env.get_template(name)
        except Exception:  # a broken user template is reported by each render, with its place
            pass


def with_rates(options, rates):
    from dataclasses import replace

    return replace(options, rates=rates)
