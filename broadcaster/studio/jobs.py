"""Render jobs in worker processes, so the server stays responsive and survives a crashing render.

A job is queued on a process pool (`forkserver`: workers start from a clean process,
never a fork of the server's threads). Its progress is a small JSON file the worker
rewrites (clips synthesized of all); the server reads it for polling and server-sent
events. A worker that dies outright breaks the pool: a fresh pool takes the next jobs, each
job the broken pool held runs once more in a process of its own (so a neighbour's
crash costs only time), a job that crashes that one too is reported with that reason,
and the server carries on.

Render processes cannot outlive the server: each is the leader of its own process group (the
ffmpeg and espeak it starts belong to it) and asks the kernel for a signal when its parent dies
(PR_SET_PDEATHSIG); on that signal, or when the studio stops, the whole group is killed. Every job
is recorded in DATA/jobs/<id>.job.json: a job the server never saw finish (a crash, kill -9, a
restart) is reported as interrupted by the next server, with a retry.
"""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BroadcasterError
from .security import scrub

CRASHED = ("the render process stopped unexpectedly (it crashed or was killed); the server and your "
           "episode are fine, earlier outputs are untouched — try again, and report the transcript if it repeats")
INTERRUPTED = ("the studio stopped while this render ran (a restart, a crash or a power cut); nothing it wrote "
               "was kept and the files shown are those of the last finished render — render again")
FINAL = ("done", "failed", "interrupted")


@dataclass
class Job:
    id: str
    episode: str
    audio: bool
    progress_path: Path
    status: str = "queued"  # queued, running, done, failed, interrupted
    version: int = 0  # the text version it renders
    created: float = field(default_factory=time.time)
    finished: float | None = None
    result: dict | None = None
    error: str | None = None
    future: Future | None = None
    args: tuple = ()
    attempts: int = 0
    on_finish: object = None  # called (job, status) in the pool's thread once the outcome is known

    def progress(self) -> tuple[str, dict]:
        """(the status as shown, the progress the worker last wrote). The status is read once and
        never written here: the pool's thread sets the final one."""
        status = self.status
        try:
            data = json.loads(self.progress_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {"phase": "queued", "done": 0, "total": 0}
        if status in FINAL:
            data["phase"] = status
        elif data.get("phase") != "queued":
            status = "running"
        return status, data

    def to_dict(self) -> dict:
        result = {k: v for k, v in self.result.items() if k != "folder"} if self.result else None  # no server paths
        status, progress = self.progress()
        out = {"id": self.id, "episode": self.episode, "audio": self.audio, "version": self.version,
               "status": status, "attempts": self.attempts, "progress": progress, "result": result,
               "error": scrub(self.error, self.progress_path.parent.parent) if self.error else None,
               "seconds": round((self.finished or time.time()) - self.created, 2)}
        if status in ("failed", "interrupted"):
            out["retry"] = f"/api/jobs/{self.id}/retry"
        return out

    def record(self) -> dict:
        return {"id": self.id, "episode": self.episode, "audio": self.audio, "version": self.version,
                "status": self.status, "created": self.created, "finished": self.finished, "error": self.error}


PR_SET_PDEATHSIG = 1


def _kill_group(*_args) -> None:
    os.killpg(os.getpgid(0), signal.SIGKILL)


def die_with_parent() -> None:
    """Pool initializer, in each render process: a process group of its own, killed as one when the
    parent (the forkserver, which ends with the server) dies or when the studio stops."""
    import ctypes
    from multiprocessing import forkserver

    # a forkserver child inherits the server's "alive" pipe, which keeps the forkserver (its parent)
    # running for as long as the child lives: closed here, the forkserver ends with the server
    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)
    if alive is not None:
        os.close(alive)
        forkserver._forkserver._forkserver_alive_fd = None  # type: ignore[attr-defined]
    parent = os.getppid()
    os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, _kill_group)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        _kill_group()


def _new_pool(workers: int) -> ProcessPoolExecutor:
    """Render processes started from a clean server process (forkserver: never a fork of the
    server's threads)."""
    import multiprocessing

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=die_with_parent)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    for pid in list((getattr(pool, "_processes", None) or {}).keys()):
        try:
            os.killpg(pid, signal.SIGKILL)  # the worker and what it started (ffmpeg, espeak)
        except OSError:
            pass


class Jobs:
    def __init__(self, folder: Path, workers: int | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.jobs: dict[str, Job] = {}
        self._alone: set[ProcessPoolExecutor] = set()
        self._closing = False
        self.interrupted = self._load()  # jobs a previous server never saw finish

    def _load(self) -> list[Job]:
        interrupted = []
        records = []
        for path in self.folder.glob("*.job.json"):
            try:
                records.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        for rec in sorted(records, key=lambda r: r.get("created", 0))[-500:]:
            try:
                job = Job(str(rec["id"]), str(rec["episode"]), bool(rec["audio"]), self.folder / f"{rec['id']}.json",
                          status=str(rec["status"]), version=int(rec.get("version", 0)),
                          created=float(rec["created"]), finished=rec.get("finished"), error=rec.get("error"))
            except (KeyError, TypeError, ValueError):
                continue
            if job.status not in FINAL:
                job.status, job.error, job.finished = "interrupted", INTERRUPTED, time.time()
                self._save(job)
                interrupted.append(job)
            self.jobs[job.id] = job
        return interrupted

    def _save(self, job: Job) -> None:
        path = self.folder / f"{job.id}.job.json"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(job.record(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

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

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(8)

    def submit(self, job_id: str, episode_id: str, episode, options, preview_path: Path, version: int = 0,
               on_finish=None) -> Job:
        job = Job(job_id, episode_id, bool(options.audio), self.folder / f"{job_id}.json", version=version,
                  on_finish=on_finish)
        job.args = (episode, options, str(job.progress_path), str(preview_path))
        self.jobs[job_id] = job
        self._save(job)
        self._prune()
        self._start(job)
        return job

    def in_flight(self, episode_id: str) -> set[str]:
        return {j.id for j in list(self.jobs.values()) if j.episode == episode_id and j.finished is None}

    def latest(self, episode_id: str) -> Job | None:
        mine = [j for j in list(self.jobs.values()) if j.episode == episode_id]
        return max(mine, key=lambda j: j.created) if mine else None

    def _start(self, job: Job, alone: bool = False) -> None:
        """On the shared pool; or, for a job whose pool broke under it, in a process of its own, so a
        render that crashes every time takes down only itself the second time, not its neighbours."""
        from . import worker

        if alone:
            pool = _new_pool(1)
            self._alone.add(pool)
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
        """The outcome, made known only once the set is promoted (or dropped): a client that sees
        "done" finds the files it made."""
        error = None
        try:
            job.result = future.result()
            status = "done"
        except BrokenProcessPool:
            self._replace_broken(pool)
            if self._closing:  # the studio is stopping and took its render processes with it
                status, error = "interrupted", INTERRUPTED
            elif job.attempts < 2:
                self._start(job, alone=True)  # maybe another render crashed the pool: once more, alone
                return
            else:
                status, error = "failed", CRASHED
        except BroadcasterError as exc:
            status, error = "failed", str(exc)
        except Exception as exc:  # a bug in a renderer: reported on the page, the server carries on
            status, error = "failed", f"the render failed: {type(exc).__name__}: {exc}"
        finally:
            if alone:
                self._alone.discard(pool)
                pool.shutdown(wait=False)
        if self._closing and status != "done":  # cut off (or never started) by the studio stopping
            status, error = "interrupted", INTERRUPTED
        if job.on_finish is not None:
            try:
                job.on_finish(job, status)  # type: ignore[operator]
            except Exception as exc:  # noqa: BLE001 - keeping the outputs failed: said on the job
                status, error = "failed", f"the render's files could not be kept: {exc}"
        job.error = error
        job.finished = time.time()
        job.status = status
        try:
            self._save(job)
        except OSError:
            pass

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
            (self.folder / f"{job.id}.job.json").unlink(missing_ok=True)

    def shutdown(self) -> None:
        self._closing = True
        with self._lock:
            pool, self._pool = self._pool, None
        for one in [p for p in (pool, *self._alone) if p is not None]:
            _kill_workers(one)
            one.shutdown(wait=False, cancel_futures=True)
