import json
import signal
import subprocess
import sys

import pytest
import requests
from ads_sandbox.testing import running_sandbox


def test_running_sandbox_announces_urls_and_stops_cleanly() -> None:
    with running_sandbox(scale="1x1x1x1x3") as urls:
        assert list(urls) == ["tiktok", "meta", "google_ads", "oauth", "ca_cert"]
        assert urls["meta"].startswith("http://127.0.0.1:")
        assert requests.get(urls["meta"] + "/_sandbox/stats", timeout=5).status_code == 200
        assert urls["tiktok"].startswith("http://127.0.0.1:")
        assert urls["oauth"].startswith("http://127.0.0.1:")
        assert requests.get(urls["tiktok"] + "/_sandbox/stats", timeout=5).status_code == 200
        host, port = urls["google_ads"].split(":")
        assert host == "127.0.0.1" and int(port) > 0
        assert urls["oauth"].startswith("http://127.0.0.1:")
        assert requests.get(urls["oauth"] + "/_sandbox/stats", timeout=5).status_code == 200
        with open(urls["ca_cert"]) as pem:
            assert pem.read().startswith("-----BEGIN CERTIFICATE-----")


def test_sigint_also_stops_with_status_zero() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ads_sandbox", "serve", "--scale", "1x1x1x1x3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    urls = json.loads(proc.stdout.readline())
    assert set(urls) == {"tiktok", "meta", "google_ads", "oauth", "ca_cert"}
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err


def test_startup_failure_reports_stderr() -> None:
    with pytest.raises(RuntimeError, match=r"(?s)exited with status 2.*unknown fault"):
        with running_sandbox(faults="earthquake"):
            pass
