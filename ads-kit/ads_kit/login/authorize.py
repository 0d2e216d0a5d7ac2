"""The user's side of an authorization-code sign-in, as for native apps (RFC 8252): a random
`state`, the authorization URL opened in a browser (or printed, with the redirected URL pasted
back), and a loopback redirect on 127.0.0.1 that accepts one request and closes."""

from __future__ import annotations

import base64
import hashlib
import http.server
import secrets
import socket
import typing as t
import webbrowser
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl, urlsplit

LOOPBACK = "127.0.0.1"
DEFAULT_WAIT_SECONDS = 300.0

_DONE_PAGE = b"<!doctype html><title>Signed in</title><p>Sign-in received. You can close this tab."
_REFUSED_PAGE = b"<!doctype html><title>Refused</title><p>This redirect is not the one expected."


class LoginError(Exception):
    """Sign-in failed; the message says what to do."""


def new_state() -> str:
    return secrets.token_urlsafe(32)


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier (RFC 7636, 43 to 128 characters) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def checked_redirect(params: Mapping[str, str], state: str) -> dict[str, str]:
    """The redirect's parameters once its `state` is this sign-in's and it carries no error."""
    if not secrets.compare_digest(params.get("state", ""), state):
        raise LoginError(
            "The redirect's state does not match this sign-in (a stale or forged redirect): "
            "run ads-login again."
        )
    if params.get("error"):
        detail = params.get("error_description") or params.get("error_reason") or ""
        raise LoginError(
            f"The sign-in was not approved ({params['error']}{': ' + detail if detail else ''}): "
            "run ads-login again and approve the access asked for."
        )
    return dict(params)


def parse_pasted(text: str) -> dict[str, str]:
    """The query parameters of a redirected URL the user pasted back."""
    query = urlsplit(text.strip()).query
    if not query:
        raise LoginError(
            "The pasted text is not the redirected URL: copy the whole address the browser "
            "was sent to (it starts with http://127.0.0.1) and run ads-login again."
        )
    return dict(parse_qsl(query))


class LoopbackRedirect:
    """An HTTP server on 127.0.0.1 (a random port unless told) for exactly one redirect: a
    request of another path or state is refused, and the server closes after it all the same."""

    def __init__(self, state: str, port: int = 0, path: str = "/") -> None:
        outcome: list[dict[str, str] | LoginError] = []
        self._outcome = outcome

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                try:
                    if parts.path != path:
                        raise LoginError(
                            f"A request for {parts.path} reached the sign-in's redirect address "
                            "first: run ads-login again."
                        )
                    outcome.append(checked_redirect(dict(parse_qsl(parts.query)), state))
                    status, page = 200, _DONE_PAGE
                except LoginError as error:
                    outcome.append(error)
                    status, page = 400, _REFUSED_PAGE
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, format: str, *args: t.Any) -> None:
                """The request line holds the code: never logged."""

        self.path = path
        self.server = http.server.HTTPServer((LOOPBACK, port), Handler)

    @property
    def redirect_uri(self) -> str:
        return f"http://{LOOPBACK}:{self.server.server_address[1]}{self.path}"

    def wait(self, seconds: float = DEFAULT_WAIT_SECONDS) -> dict[str, str]:
        """Serve one request, close, and return its checked parameters."""
        self.server.timeout = seconds
        try:
            self.server.handle_request()
        finally:
            self.server.server_close()
        if not self._outcome:
            raise LoginError(
                f"No redirect arrived within {seconds:.0f} s: finish the sign-in in the "
                "browser sooner, or use --no-browser on a machine without one."
            )
        result = self._outcome[0]
        if isinstance(result, LoginError):
            raise result
        return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def authorize(
    url_for: Callable[[str, str], str],
    *,
    no_browser: bool = False,
    port: int = 0,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    say: Callable[[str], None] = print,
    ask: Callable[[str], str] = input,
) -> tuple[dict[str, str], str]:
    """Run the user's part: `url_for(redirect_uri, state)` is the authorization URL. Returns
    the redirect's parameters (state checked) and the redirect URI the code is bound to."""
    state = new_state()
    if no_browser:
        redirect_uri = f"http://{LOOPBACK}:{port or free_port()}/"
        url = url_for(redirect_uri, state)
        say(f"Open this URL in a browser and approve the access:\n\n  {url}\n")
        pasted = ask("Then paste the address the browser was sent to (http://127.0.0.1...): ")
        return checked_redirect(parse_pasted(pasted), state), redirect_uri
    loopback = LoopbackRedirect(state, port)
    url = url_for(loopback.redirect_uri, state)
    say(f"Opening the sign-in page in a browser; if none opens, visit:\n\n  {url}\n")
    webbrowser.open(url)
    return loopback.wait(wait_seconds), loopback.redirect_uri


def missing_scopes(required: t.Iterable[t.Any], granted: t.Iterable[t.Any]) -> list[t.Any]:
    """The required scopes the token was not granted, in the order they are required."""
    have = set(granted)
    return [scope for scope in required if scope not in have]
