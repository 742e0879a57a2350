"""What names a prompter page a remote or a follower connects to: the episode id and the page's file
name, checked before any connection is kept, and the episode's current page (the remote and follow
voice both use them, so neither imports the other for them)."""
from __future__ import annotations

import re

from starlette.requests import Request

PAGE_RE = re.compile(r"^[^/\\\x00-\x1f]{1,200}\.prompter\.html$")
CODE_RE = re.compile(r"^[0-9a-f]{4,12}$")


def _episode_exists(store, episode_id: str) -> bool:
    if store is None:  # the relay on its own (tests): any well-formed id
        return bool(CODE_RE.match(episode_id))
    try:
        store.folder(episode_id)
        return True
    except Exception:  # noqa: BLE001 - NotFound, or an id the store refuses
        return False


def _latest_page(request: Request, episode_id: str) -> str | None:
    from .outputs import list_files

    names = [f["name"] for f in list_files(request.app.state.store, episode_id)]
    return next((n for n in names if n.endswith(".prompter.html")), None)
