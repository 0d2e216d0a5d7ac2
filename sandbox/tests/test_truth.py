import json
import re
import subprocess
import sys
from decimal import Decimal

from ads_sandbox.truth import truth_rows

from .conftest import END

_MONEY = re.compile(r'"(spend|conversion_value)":(-?[0-9.]+)')


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ads_sandbox", "truth", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_prints_exact_money_with_currency_decimals() -> None:
    done = _cli("--platform", "tiktok", "--end-date", END.isoformat())
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    rows = truth_rows("tiktok", end_date=END)
    assert len(lines) == len(rows) > 0
    for line, row in zip(lines, rows, strict=True):
        parsed = json.loads(line, parse_float=Decimal)
        assert list(parsed) == [
            "platform",
            "account_id",
            "date",
            "spend",
            "impressions",
            "clicks",
            "conversions",
            "conversion_value",
            "currency",
            "timezone",
        ]
        assert parsed == row
        for _, text in _MONEY.findall(line):
            if row["currency"] == "JPY":
                assert "." not in text
            else:
                assert re.fullmatch(r"\d+\.\d\d", text), text
    keys = [(r["account_id"], r["date"]) for r in rows]
    order = {a: i for i, a in enumerate(dict.fromkeys(r["account_id"] for r in rows))}
    assert keys == sorted(keys, key=lambda k: (order[k[0]], k[1]))
    assert {r["currency"] for r in rows} == {"USD", "JPY", "NZD"}
    assert "Pacific/Auckland" in {r["timezone"] for r in rows}


def test_truth_rows_use_decimal_money_and_cover_every_account() -> None:
    rows = truth_rows("tiktok", seed=3, scale="2x2x2x2x10", end_date=END)
    assert {r["date"] for r in rows} <= {f"2025-03-{d:02d}" for d in range(22, 32)}
    assert len({r["account_id"] for r in rows}) == 2
    jpy = [r for r in rows if r["currency"] == "JPY"]
    assert jpy and all(r["spend"] == r["spend"].to_integral_value() for r in jpy)
    assert all(isinstance(r["spend"], Decimal) for r in rows)


def test_later_revisions_only_add_recent_conversions() -> None:
    before = {(r["account_id"], r["date"]): r for r in truth_rows("tiktok", end_date=END)}
    after = {
        (r["account_id"], r["date"]): r for r in truth_rows("tiktok", end_date=END, revision=2)
    }
    assert before.keys() == after.keys()
    grew = 0
    for key, old in before.items():
        new = after[key]
        assert new["spend"] == old["spend"] and new["impressions"] == old["impressions"]
        assert new["conversions"] >= old["conversions"]
        grew += new["conversions"] > old["conversions"]
        if key[1] <= "2025-03-23":  # older than the 7-day window: final already
            assert new["conversions"] == old["conversions"]
    assert grew > 0


def test_cli_works_for_every_platform() -> None:
    for platform, shape in (("meta", r"act_\d{15}"), ("google_ads", r"\d{10}")):
        done = _cli("--platform", platform, "--scale", "2x1x1x1x3", "--end-date", "2025-01-10")
        assert done.returncode == 0, done.stderr
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        assert rows and all(re.fullmatch(shape, r["account_id"]) for r in rows)
        assert {r["platform"] for r in rows} == {platform}


def test_cli_rejects_bad_arguments_clearly() -> None:
    done = _cli("--platform", "tiktok", "--scale", "3x4")
    assert done.returncode == 2 and "AxCxSxDxN" in done.stderr
    done = _cli("--platform", "myspace")
    assert done.returncode == 2 and "invalid choice" in done.stderr
