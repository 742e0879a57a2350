"""Test hooks, loaded by a broadcaster process under test (this folder on its PYTHONPATH), never by
the product: tests/studio_server.py and tests/runs.py add it when they set one of these.

BROADCASTER_STUDIO_TEST_CRASH=TEXT  a studio render of an episode whose title holds TEXT kills its
                                    worker process outright, as a crash would.
BROADCASTER_TEST_SLOW_WRITE=SECONDS each temporary file a render writes is held that long before the
                                    next (and before the set is renamed into place), so a test can
                                    interrupt a real run in the middle of writing.
"""
import contextlib
import os
import time

CRASH = os.environ.get("BROADCASTER_STUDIO_TEST_CRASH")
SLOW = os.environ.get("BROADCASTER_TEST_SLOW_WRITE")

if CRASH:
    from broadcaster.studio import worker

    _render = worker.render

    def render(episode, *args, **kwargs):
        if CRASH in episode.title:
            os._exit(70)
        return _render(episode, *args, **kwargs)

    worker.render = render

if SLOW:
    from broadcaster import output

    _write_set, _temp_for, _locked = output.write_set, output._temp_for, output._locked
    _written = [0]

    def write_set(*args, **kwargs):
        _written[0] = 0
        return _write_set(*args, **kwargs)

    def temp_for(target):
        if _written[0]:
            time.sleep(float(SLOW))  # the file before this one is written: held
        _written[0] += 1
        return _temp_for(target)

    @contextlib.contextmanager
    def locked(folder):
        if _written[0]:
            time.sleep(float(SLOW))  # the last one too
        _written[0] = 0  # the set's own bookkeeping under the lock is not held
        with _locked(folder):
            yield

    output.write_set, output._temp_for, output._locked = write_set, temp_for, locked
