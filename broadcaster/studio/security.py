"""Safe to leave running on a newsroom network: one ASGI middleware in front of every route.

- Loopback by default; with `--host` only with an access token. The token comes as
  `Authorization: Bearer TOKEN` (scripts), or once in the URL (`/?token=…`, as printed at
  start-up), which sets an HttpOnly SameSite=Strict cookie and redirects to the clean URL.
- Bound to loopback without a token, only loopback Host names are answered (DNS rebinding).
- POST/PUT/PATCH/DELETE (and WebSocket handshakes) must come from the studio's own origin:
  a browser's `Origin` header must be this server (no cross-site request forgery).
- Request bodies are capped (default 20 MiB): 413 with a clear message, before or while reading.
- A request body must arrive within `body_timeout` seconds of the last piece (408 otherwise): a body
  shorter than its Content-Length does not hold a connection open. A NUL byte in a path or query,
  and a token that is not ASCII, are refused with a 400/401, never a crash.
- The operator's phone pairs through a short-lived code (`Pairing`): the talent page's QR code
  carries that code, never the access token; `/r/…?pair=CODE` exchanges it for the token cookie.
- Every response carries a strict Content-Security-Policy (only the studio's own scripts and
  styles; a response may set a stricter one of its own), nosniff, no referrer, no framing by others.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import time
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

COOKIE = "studio_token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
       "connect-src 'self'; frame-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'self'")


class TooLarge(Exception):
    """A body grew past the cap while being read (app.py answers it with a 413)."""

    def __init__(self, limit: int):
        super().__init__(f"the upload is larger than this studio accepts ({limit / 1048576:g} MiB)")


class BodyTimeout(Exception):
    """The client stopped sending a body it announced (app.py answers it with a 408)."""


class Pairing:
    """Short-lived pairing codes for the operator's phone (10 minutes), kept in memory."""

    LIFETIME = 600.0

    def __init__(self):
        self.codes: dict[str, float] = {}

    def new(self) -> str:
        now = time.monotonic()
        self.codes = {c: t for c, t in self.codes.items() if t > now}
        if len(self.codes) >= 200:  # the oldest make room
            for code in sorted(self.codes, key=self.codes.__getitem__)[:100]:
                del self.codes[code]
        code = secrets.token_urlsafe(9)
        self.codes[code] = now + self.LIFETIME
        return code

    def valid(self, code: str) -> bool:
        expires = self.codes.get(code)
        return expires is not None and expires > time.monotonic()


def _same(given: str, token: str) -> bool:
    """Constant-time comparison that takes any text (a non-ASCII guess is simply wrong)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def scrub(text: str, *roots) -> str:
    """A message as the browser may see it: a path under one of `roots` (the data folder, the temporary
    folder) is cut to its file name, the root itself to a word — no server paths reach a page."""
    import re
    import tempfile
    from pathlib import Path

    if not isinstance(text, str):
        return text
    seen: set[str] = set()
    for root in (*roots, tempfile.gettempdir()):
        for form in {str(root), str(Path(root).expanduser().resolve())}:
            if form in seen or len(form) < 2:
                continue
            seen.add(form)
            text = re.sub(re.escape(form) + r"(?:/[^/\s:'\"]+)*/", "", text)
            text = text.replace(form, "the studio's data folder")
    return text


def _language(headers: dict, is_api: bool) -> str:
    from .i18n import COOKIE, DEFAULT, LANGS

    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header names no language
        pass
    chosen = cookie[COOKIE].value if COOKIE in cookie else None
    return chosen if chosen in LANGS else ("en" if is_api else DEFAULT)


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class Security:
    def __init__(self, app, *, token: str | None, max_upload: int, loopback_only: bool, body_timeout: float = 30.0,
                 pairing: Pairing | None = None):
        self.app = app
        self.token = token
        self.max_upload = max_upload
        self.loopback_only = loopback_only
        self.body_timeout = body_timeout
        self.pairing = pairing or Pairing()

    # -- checks ----------------------------------------------------------------
    def _token_ok(self, headers: dict, query: dict) -> tuple[bool, bool]:
        """(authorised, by bearer header)."""
        if not self.token:
            return True, False
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and _same(auth[7:].strip(), self.token):
            return True, True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no token
            pass
        if COOKIE in cookie and _same(cookie[COOKIE].value, self.token):
            return True, False
        if "token" in query and _same(query["token"], self.token):
            return True, False
        return False, False

    def _same_origin(self, scope, headers: dict) -> bool:
        origin = headers.get("origin")
        host = headers.get("host", "")
        if origin is None:
            site = headers.get("sec-fetch-site")
            return site in (None, "same-origin", "none")
        scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
        return origin == f"{scheme}://{host}"

    def _host_ok(self, headers: dict) -> bool:
        if not self.loopback_only or self.token:
            return True
        host = headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in LOOPBACK_NAMES

    # -- ASGI ------------------------------------------------------------------
    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        raw_query = scope.get("query_string", b"").decode("latin-1")
        query = dict(parse_qsl(raw_query))
        is_api = scope["path"].startswith("/api/")
        lang = _language(headers, is_api)
        if "\x00" in scope["path"] or "%00" in raw_query or "\x00" in raw_query:
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await _error(self._with_headers(send), 400, "the address holds a NUL byte: no such page", is_api, lang)
        if scope["type"] == "websocket":
            authorised, _ = self._token_ok(headers, query)
            if not (authorised and self._host_ok(headers) and self._same_origin(scope, headers)):
                return await send({"type": "websocket.close", "code": 1008})
            return await self.app(scope, receive, send)
        send = self._with_headers(send)
        if not self._host_ok(headers):
            return await _error(send, 403, "this studio answers only on 127.0.0.1/localhost", is_api, lang)
        authorised, bearer = self._token_ok(headers, query)
        pair = query.get("pair")
        if self.token and pair and scope["method"] == "GET" and scope["path"].startswith("/r/"):
            if self.pairing.valid(pair):  # the operator's phone, from the QR code: the token goes in its cookie
                return await _redirect(send, scope["path"], self.token)
            if not authorised:
                return await _error(send, 401, "this pairing code has expired: scan the QR code on the prompter "
                                               "page again", is_api, lang)
        if not authorised:
            return await _error(send, 401, "this studio needs its access token: open the link printed when it "
                                           "started (…/?token=…), or send Authorization: Bearer TOKEN", is_api, lang)
        method = scope["method"]
        if method in UNSAFE and not bearer and not self._same_origin(scope, headers):
            return await _error(send, 403, "refused: this request did not come from the studio's own page", is_api, lang)
        if self.token and "token" in query and method == "GET" and not bearer:
            rest = urlencode([(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
                              if k != "token"])
            location = scope["path"] + (f"?{rest}" if rest else "")
            return await _redirect(send, location, self.token)
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_upload:
            await _drain(receive)  # first: a response sent mid-body closes the connection under the client
            return await _error(send, 413, self._too_large(), is_api, lang)
        app_receive = self._timed(self._capped(receive) if method in UNSAFE else receive)
        started = False

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, app_receive, tracking_send)
        except TooLarge:
            if not started:
                await _error(send, 413, self._too_large(), is_api, lang)
        except BodyTimeout:
            if not started:
                await _error(send, 408, f"the request body stopped arriving (nothing for {self.body_timeout:g} s): "
                                        "send it again", is_api, lang)

    def _timed(self, receive):
        """Each piece of the body within body_timeout; after the last piece, receive as it is (a
        streaming response waits on it for the client to go away)."""
        complete = False

        async def timed():
            nonlocal complete
            if complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout)
            except TimeoutError:
                raise BodyTimeout() from None
            if message["type"] != "http.request" or not message.get("more_body"):
                complete = True
            return message

        return timed

    def _too_large(self) -> str:
        return str(TooLarge(self.max_upload))

    def _capped(self, receive):
        seen = 0

        async def capped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_upload:
                    if message.get("more_body"):
                        await _drain(receive)  # read the rest first, so the client gets to read the 413
                    raise TooLarge(self.max_upload)
            return message

        return capped

    def _with_headers(self, send):
        async def wrapped(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"x-frame-options", b"SAMEORIGIN"), (b"cross-origin-opener-policy", b"same-origin"),
                         (b"cross-origin-resource-policy", b"same-origin")]
                if b"content-security-policy" not in have:
                    extra.append((b"content-security-policy", CSP.encode()))
                if b"cache-control" not in have:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return wrapped


async def _error(send, status: int, message: str, as_json: bool, lang: str = "en") -> None:
    from .i18n import translate

    message = translate(lang, message)
    if as_json:
        body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
        kind = b"application/json"
    else:
        from markupsafe import escape

        body = (f"<!doctype html><meta charset=utf-8><title>broadcaster studio</title>"
                f"<body style='font:16px system-ui;margin:3em'><h1>{status}</h1><p>{escape(message)}</p>").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _drain(receive, limit: int = 64 * 1048576) -> None:
    """Read (and drop) the rest of a refused body before answering, so the client gets to read the
    413 rather than a broken pipe; bounded: beyond `limit` the answer comes at once and the
    connection closes."""
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body"):
            return


async def _redirect(send, location: str, token: str) -> None:
    cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1", "replace")), (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


def output_csp(html: bytes) -> str:
    """The CSP for a rendered output served inline: the page's own (hash-pinned) policy, framed by us only."""
    import re

    m = re.search(rb'http-equiv="Content-Security-Policy" content="([^"]+)"', html[:4096])
    own = m.group(1).decode("utf-8", "replace") if m else "default-src 'none'"
    own = own.replace(" file:", "")
    return f"{own}; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
