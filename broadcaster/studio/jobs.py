"""Render jobs in worker processes, so the server stays responsive and survives a crashing render.

A job is queued on a process pool (`forkserver`: workers start from a clean process,
never a fork of the server's threads). Its progress is a small JSON file the worker
rewrites (clips synthesized of all); the server reads it for polling and server-sent
events. A worker that dies outright breaks the pool: a fresh pool takes the next jobs, each
job the broken pool held runs once more in a process of its own (so a neighbour's
crash costs only time), a job that crashes that one too is reported with that reason,
and the server carries on.
"""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BroadcasterError

CRASHED = ("the render process stopped unexpectedly (it crashed or was killed); the server and your "
           "episode are fine, earlier outputs are untouched — try again, and report the transcript if it repeats")


@dataclass
class Job:
    id: str
    episode: str
    audio: bool
    progress_path: Path
    status: str = "queued"  # queued, running, done, failed
    created: float = field(default_factory=time.time)
    finished: float | None = None
    result: dict | None = None
    error: str | None = None
    future: Future | None = None
    args: tuple = ()
    attempts: int = 0

    def progress(self) -> dict:
        try:
            data = json.loads(self.progress_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {"phase": "queued", "done": 0, "total": 0}
        if self.status in ("done", "failed"):
            data["phase"] = self.status
        elif self.status == "queued" and data.get("phase") == "queued":
            pass
        else:
            self.status = "running"
        return data

    def to_dict(self) -> dict:
        return {"id": self.id, "episode": self.episode, "audio": self.audio, "status": self.status, "attempts": self.attempts,
                "progress": self.progress(), "result": self.result, "error": self.error,
                "seconds": round((self.finished or time.time()) - self.created, 2)}


def _new_pool(workers: int) -> ProcessPoolExecutor:
    """Render processes started from a clean server process (forkserver: never a fork of the
    server's threads)."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"))


class Jobs:
    def __init__(self, folder: Path, workers: int | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.jobs: dict[str, Job] = {}

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = _new_pool(self.workers)
            return self._pool

    def _replace_broken(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def submit(self, episode_id: str, episode, options, preview_path: Path) -> Job:
        job_id = secrets.token_hex(8)
        job = Job(job_id, episode_id, bool(options.audio), self.folder / f"{job_id}.json")
        job.args = (episode, options, str(job.progress_path), str(preview_path))
        self.jobs[job_id] = job
        self._prune()
        self._start(job)
        return job

    def _start(self, job: Job, alone: bool = False) -> None:
        """On the shared pool; or, for a job whose pool broke under it, in a process of its own, so a
        render that crashes every time takes down only itself the second time, not its neighbours."""
        from . import worker

        if alone:
            pool = _new_pool(1)
        else:
            pool = self._executor()
        try:
            future = pool.submit(worker.render, *job.args)
        except (BrokenProcessPool, RuntimeError):  # broken (or shut down) between lookup and submit
            self._replace_broken(pool)
            pool = self._executor()
            future = pool.submit(worker.render, *job.args)
        job.attempts += 1
        job.future = future
        future.add_done_callback(lambda f: self._finished(job, f, pool, alone))

    def _finished(self, job: Job, future: Future, pool: ProcessPoolExecutor, alone: bool) -> None:
        try:
            job.result = future.result()
            job.status = "done"
        except BrokenProcessPool:
            self._replace_broken(pool)
            if job.attempts < 2:
                self._start(job, alone=True)  # maybe another render crashed the pool: once more, alone
                return
            job.status, job.error = "failed", CRASHED
        except BroadcasterError as exc:
            job.status, job.error = "failed", str(exc)
        except Exception as exc:  # a bug in a renderer: reported on the page, the server carries on
            job.status, job.error = "failed", f"the render failed: {type(exc).__name__}: {exc}"
        finally:
            if alone:
                pool.shutdown(wait=False)
        job.finished = time.time()

    async def wait(self, job: Job) -> Job:
        """Until the job is done or failed (across a retry, which replaces its future)."""
        while job.finished is None:
            future = job.future
            assert future is not None
            try:
                await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                raise  # the client went away: the render itself carries on and stays in the job list
            except Exception:  # noqa: BLE001 - the outcome is in the job (set by _finished)
                pass
            while job.finished is None and job.future is future:  # the done-callback runs in the pool's thread
                await asyncio.sleep(0.005)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id) if isinstance(job_id, str) else None

    def _prune(self, keep: int = 500) -> None:
        done = [j for j in self.jobs.values() if j.finished]
        for job in sorted(done, key=lambda j: j.created)[:-keep] if len(done) > keep else []:
            self.jobs.pop(job.id, None)
            job.progress_path.unlink(missing_ok=True)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
