"""Dated exchange rates from a CSV file (`fx_rates_path`), the sandbox's among them; a
malformed file fails at start naming the file and line; an unknown currency is a warning
naming the record, with null reporting amounts and balanced counts."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest
from singer_messages import campaign, insight, performance
from singer_sdk.exceptions import ConfigValidationError
from transform_unified.mapper import TransformUnified

RATES = "date,base,quote,rate\n2024-05-01,EUR,USD,1.0800\n2024-06-01,EUR,USD,1.0900\n"


def test_rows_use_the_latest_rate_on_or_before_their_date(run_mapper, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(RATES + "2024-06-01,USD,EUR,0.92\n")  # other quotes are not used
    run = run_mapper(
        performance(
            insight(day="2024-05-31", currency="EUR", spend=Decimal("10.01")),
            insight(day="2024-06-02", currency="EUR", spend=Decimal("10.01")),
            with_campaigns=[campaign()],
        ),
        fx_rates_path=str(path),
    )
    first, second = run.rows()
    assert (first["fx_rate"], first["fx_rate_date"]) == (Decimal("1.0800"), "2024-05-01")
    assert first["spend_reporting"] == Decimal("10.810800")
    assert second["spend_reporting"] == Decimal("10.910900")
    assert run.summary()["spend_reporting"] == Decimal("21.721700")


def test_fx_rates_setting_wins_over_the_file(run_mapper, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(RATES)
    row = run_mapper(
        performance(insight(day="2024-06-02", currency="EUR"), with_campaigns=[campaign()]),
        fx_rates_path=str(path),
        fx_rates={"EUR": "2"},
    ).row()
    assert row["fx_rate"] == Decimal(2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("day,from,to,rate\n", "line 1: the header must be date,base,quote,rate"),
        (RATES + "2024-07-01,EUR,USD,one\n", "line 4: rate: 'one' is not a rate"),
        (RATES + "2024-07-01,EURO,USD,1.1\n", "line 4: base: 'EURO' is not a currency"),
        (RATES + "2024-07-01,EUR,USD\n", "line 4: 3 columns, expected 4"),
        (RATES + "2024-13-01,EUR,USD,1.1\n", "line 4: date: not a date"),
        (RATES + "2024-06-01,EUR,USD,1.2\n", "line 4: a second EUR rate for 2024-06-01"),
    ],
)
def test_a_malformed_file_fails_at_start_naming_file_and_line(tmp_path, text, message):
    path = tmp_path / "rates.csv"
    path.write_text(text)
    with pytest.raises(ConfigValidationError) as raised:
        TransformUnified(config={"fx_rates_path": str(path)})
    (error,) = raised.value.errors
    assert error.startswith(f"fx_rates_path: {path} ") and message in error


def test_a_missing_file_names_the_setting(tmp_path):
    with pytest.raises(ConfigValidationError) as raised:
        TransformUnified(config={"fx_rates_path": str(tmp_path / "nope.csv")})
    assert raised.value.errors[0].startswith("fx_rates_path: cannot read ")


def test_an_unknown_currency_is_a_warning_naming_the_record(run_mapper):
    run = run_mapper(
        performance(
            insight(day="2024-06-03", currency="US$", campaign_id="c1"),
            with_campaigns=[campaign()],
        )
    )
    row = run.row()
    assert row["spend_reporting"] is None and row["spend"] == Decimal("10.00")
    summary = run.summary()
    (warning,) = [w for w in summary["warnings"] if w["kind"] == "unknown_currency"]
    assert "'US$'" in warning["message"] and "campaign c1 on 2024-06-03" in warning["message"]
    assert summary["records_in"] == summary["rows_out"] == 2  # the campaign and the row


def test_the_sandbox_ships_rates_for_its_currencies(run_mapper):
    shipped = resources.files("ads_sandbox") / "fx_rates.csv"
    with resources.as_file(shipped) as path:
        run = run_mapper(
            performance(
                *(insight(day="2026-11-20", currency=c, account_id=c) for c in ("JPY", "BRL")),
                with_campaigns=[campaign(account_id="JPY"), campaign(account_id="BRL")],
            ),
            fx_rates_path=str(path),
        )
    assert all(row["spend_reporting"] is not None for row in run.rows())
    assert {row["fx_rate_date"] for row in run.rows()} == {"2026-11-01"}
