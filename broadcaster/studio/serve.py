"""`broadcaster serve`: bind, say where the studio is, open the browser, run uvicorn."""
from __future__ import annotations

import socket
import sys
from pathlib import Path


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        from ..errors import BroadcasterError

        hint = " (is the studio already running? try --port)" if exc.errno == 98 else ""
        raise BroadcasterError(f"cannot listen on {host}:{port}: {exc.strerror}{hint}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(*, data_dir: str, host: str, port: int, token: str | None, max_upload: int, workers: int | None,
        browser: bool, body_timeout: float = 30.0) -> None:
    import uvicorn

    from .app import StudioConfig, create_app
    from .remote import lan_address

    config = StudioConfig(data_dir=Path(data_dir).expanduser(), host=host, port=port, token=token,
                          max_upload=max_upload, workers=workers, body_timeout=body_timeout).with_token()
    sock = bind(host, port)
    config.port = sock.getsockname()[1]
    app = create_app(config)
    url = config.url()
    print(f"broadcaster studio: {url}", flush=True)
    print(f"  episodes are kept in {config.data_dir}; Ctrl-C stops the studio", flush=True)
    if not config.loopback:
        lan = lan_address() if config.host in ("0.0.0.0", "::") else None
        if lan:
            print(f"  on the newsroom network: {config.url(lan)}", flush=True)
        print("  listening on the network: share the link (it carries the access token) only with your team",
              flush=True)
    if browser:
        import threading
        import webbrowser

        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, ws="auto",
                                           timeout_graceful_shutdown=3))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("broadcaster studio stopped", file=sys.stderr, flush=True)

