"""The loopback redirect: 127.0.0.1 only, a random port, one request, `state` checked."""

from __future__ import annotations

import base64
import hashlib
import socket
import threading
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from ads_kit.login import authorize as auth
from ads_kit.login.authorize import LoginError, LoopbackRedirect, authorize, pkce_pair


def get_later(url: str) -> dict:
    """GET `url` from another thread (the browser); the result lands in the returned dict."""
    result: dict = {}

    def fetch() -> None:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                result["status"] = response.status
                result["body"] = response.read().decode()
        except urllib.error.HTTPError as error:
            result["status"] = error.code
        except OSError as error:
            result["error"] = error

    thread = threading.Thread(target=fetch)
    thread.start()
    result["thread"] = thread
    return result


def refused(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(5)
        return probe.connect_ex((host, port)) != 0


def test_one_redirect_with_the_right_state_then_closed():
    loopback = LoopbackRedirect("s-123")
    host, port = loopback.server.server_address
    assert host == "127.0.0.1" and port > 0
    assert refused("127.0.0.2", port), "the redirect server listens beyond 127.0.0.1"
    browser = get_later(f"{loopback.redirect_uri}?code=c-1&state=s-123")
    params = loopback.wait(30)
    browser["thread"].join()
    assert params == {"code": "c-1", "state": "s-123"}
    assert browser["status"] == 200 and "c-1" not in browser["body"]
    assert refused("127.0.0.1", port), "the server still accepts connections after one use"


def test_random_ports():
    ports = set()
    for _ in range(3):
        loopback = LoopbackRedirect("s")
        ports.add(loopback.server.server_address[1])
        loopback.server.server_close()
    assert len(ports) == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("code=c-1&state=forged", "state does not match"),
        ("code=c-1", "state does not match"),
        (
            "error=access_denied&error_description=The+user+denied&state=s-1",
            "not approved (access_denied: The user denied)",
        ),
    ],
)
def test_a_wrong_state_or_a_denial_is_refused_and_the_server_closes(query, message):
    loopback = LoopbackRedirect("s-1")
    port = loopback.server.server_address[1]
    browser = get_later(f"{loopback.redirect_uri}?{query}")
    with pytest.raises(LoginError, match=message.replace("(", r"\(").replace(")", r"\)")):
        loopback.wait(30)
    browser["thread"].join()
    assert browser["status"] == 400
    assert refused("127.0.0.1", port)


def test_another_path_is_refused():
    loopback = LoopbackRedirect("s-1", path="/callback")
    port = loopback.server.server_address[1]
    browser = get_later(f"http://127.0.0.1:{port}/favicon.ico?state=s-1")
    with pytest.raises(LoginError, match=r"/favicon\.ico"):
        loopback.wait(30)
    browser["thread"].join()
    assert browser["status"] == 400


def test_no_redirect_in_time():
    with pytest.raises(LoginError, match=r"No redirect arrived within 0 s.*--no-browser"):
        LoopbackRedirect("s").wait(0.1)


def test_authorize_opens_the_browser_and_waits_for_the_redirect(monkeypatch):
    browsers = []

    def open_browser(url: str) -> bool:
        query = parse_qs(urlsplit(url).query)
        redirect, state = query["redirect_uri"][0], query["state"][0]
        browsers.append(get_later(f"{redirect}?auth_code=a-1&state={state}"))
        return True

    monkeypatch.setattr(auth.webbrowser, "open", open_browser)
    said: list[str] = []
    params, redirect_uri = authorize(
        lambda uri, state: f"https://example.test/auth?redirect_uri={uri}&state={state}",
        say=said.append,
    )
    browsers[0]["thread"].join()
    assert params["auth_code"] == "a-1"
    assert redirect_uri.startswith("http://127.0.0.1:") and redirect_uri in said[0]


def test_no_browser_prints_the_url_and_reads_the_pasted_redirect(monkeypatch):
    monkeypatch.setattr(auth.webbrowser, "open", lambda url: pytest.fail("a browser opened"))
    said: list[str] = []
    urls: list[tuple[str, str]] = []

    def url_for(uri: str, state: str) -> str:
        urls.append((uri, state))
        return f"https://example.test/auth?state={state}"

    def paste(prompt: str) -> str:
        uri, state = urls[0]
        return f"  {uri}?code=c-9&state={state}\n"

    params, redirect_uri = authorize(
        url_for, no_browser=True, port=8765, say=said.append, ask=paste
    )
    assert params["code"] == "c-9" and redirect_uri == "http://127.0.0.1:8765/"
    assert urls[0][1] in said[0]

    with pytest.raises(LoginError, match="state does not match"):
        authorize(
            url_for,
            no_browser=True,
            say=said.append,
            ask=lambda _: paste("").replace("state=", "state=x"),
        )
    with pytest.raises(LoginError, match="not the redirected URL"):
        authorize(url_for, no_browser=True, say=said.append, ask=lambda _: "c-9")


def test_pkce_pair_is_s256():
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge == expected.decode()
    assert pkce_pair()[0] != verifier
