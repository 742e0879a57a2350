"""Loaded by a studio under test (tests/studio_server.py puts this folder on its PYTHONPATH when
BROADCASTER_STUDIO_TEST_CRASH is set): a render of an episode whose title holds that text kills
its worker process outright, as a crash would. The hook lives here, not in the studio's code."""
import os

MARK = os.environ.get("BROADCASTER_STUDIO_TEST_CRASH")

if MARK:
    from broadcaster.studio import worker

    _render = worker.render

    def render(episode, *args, **kwargs):
        if MARK in episode.title:
            os._exit(70)
        return _render(episode, *args, **kwargs)

    worker.render = render
