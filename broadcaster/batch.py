"""Rendering many transcripts, as `broadcaster render FILE...` does: one per process.

Each transcript's outcome is its summary lines or its located error message, so
one bad file is reported while the others are still rendered.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BroadcasterError
from .progress import SILENT, Reporter
from .read import parse_file
from .render import render_episode
from .speech.voices import load_profile
from .timing.rates import speaker_rates

if TYPE_CHECKING:
    from .options import RenderOptions
    from .render import RenderResult
    from .timing import Rates


def render_one(path: str | Path, options: RenderOptions, rates: Rates, voices: str | None,
               results: list[RenderResult] | None = None,
               describe: Callable[[BroadcasterError], str] = str,
               reporter: Reporter = SILENT) -> tuple[list[str], str | None]:
    """Render one transcript: (summary lines, None) or ([], the located error, as `describe` says it).
    results, when given, receives the RenderResult; progress goes to `reporter`."""
    try:
        episode = parse_file(path)
        result = render_episode(episode, replace(options, rates=speaker_rates(episode, rates, load_profile(voices))),
                                reporter)
    except BroadcasterError as exc:
        exc.located(str(path))
        return [], describe(exc)
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


def render_batch(files: list, options: RenderOptions, rates: Rates, voices: str | None, workers: int,
                 describe: Callable[[BroadcasterError], str] = str,
                 reporter: Reporter = SILENT) -> Iterator[tuple[Any, tuple[list[str], str | None]]]:
    """Many transcripts over processes (both cores); results in input order.

    The renderers, the word segmenter's dictionary and the templates are loaded once,
    here, before the workers fork (they share it copy-on-write) rather than once in
    each worker; transcripts go out a few at a time to spare round trips.
    """
    _preload(options)
    one = partial(render_one, options=options, rates=rates, voices=voices, describe=describe, reporter=reporter)
    chunk = max(1, min(8, len(files) // (workers * 4)))
    # process pools (multiprocessing, concurrent.futures, sockets: ~15 ms to import): only for many files
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from zip(files, pool.map(one, files, chunksize=chunk), strict=True)


def _preload(options: RenderOptions) -> None:
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
