"""`ads-sandbox consent URL`: a headless browser for tests. It opens an authorization URL of
the sign-in emulator, answers its consent page (allow, allow part, or deny) and follows the
redirect to the client's loopback address, as a user's browser would."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit


class _ConsentForm(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.request = ""
        self.scopes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.action = values.get("action") or ""
        elif tag == "input" and values.get("name") == "request":
            self.request = values.get("value") or ""
        elif tag == "input" and values.get("name") == "scope":
            self.scopes.append(values.get("value") or "")


def _open(url: str) -> Any:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url}")
    return urllib.request.urlopen(url, timeout=30)  # noqa: S310 - scheme checked


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def answer(url: str, deny: bool = False, grant: Sequence[str] | None = None) -> str:
    """Answer the consent page at `url`; returns the redirect's Location."""
    with _open(url) as page:
        form = _ConsentForm()
        form.feed(page.read().decode())
    fields: list[tuple[str, str]] = [("request", form.request)]
    fields.append(("decision", "deny" if deny else "allow"))
    fields += [("scope", s) for s in form.scopes if grant is None or s in grant]
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(urljoin(url, form.action), data=urlencode(fields).encode(), timeout=30)
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise
        return redirect.headers["Location"]
    raise RuntimeError("the consent page did not redirect")


def answer_and_follow(url: str, deny: bool = False, grant: Sequence[str] | None = None) -> int:
    """Answer the page and, like a browser, follow the redirect when it is to a loopback
    address (else print it). Exit status 1, silently (a browser would show the page), when
    the client refused the redirect."""
    location = answer(url, deny, grant)
    if urlsplit(location).hostname not in ("127.0.0.1", "localhost"):
        print(location)
        return 0
    try:
        _open(location).close()
    except urllib.error.HTTPError:
        return 1
    return 0
