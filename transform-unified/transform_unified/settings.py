"""The mapper's settings: their JSON schema (for --about and the SDK's type checks) and the
semantic checks the schema cannot express, each failing with one line naming the setting."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from singer_sdk import typing as th

from transform_unified.adapters import ADAPTER_TYPES
from transform_unified.fx import FxRates
from transform_unified.numbers import to_decimal

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEFAULT_ENTITY_CACHE_PATH = ".transform-unified/entities.json"
DEFAULT_STALE_AFTER_HOURS = 24
SOURCE_STREAMS = ("drop", "unhandled", "all")
PLATFORMS = tuple(ADAPTER_TYPES)
DEFAULT_ESTIMATED_DAYS = {name: cls.default_estimated_days for name, cls in ADAPTER_TYPES.items()}

CONFIG_SCHEMA = th.PropertiesList(
    th.Property(
        "reporting_currency",
        th.StringType,
        default="USD",
        description="ISO 4217 code every amount is also converted into (`*_reporting`).",
    ),
    th.Property(
        "fx_rates",
        th.ObjectType(),
        default={},
        description=(
            "Rates into the reporting currency by ISO 4217 code: 1 unit of the code = rate "
            'units of the reporting currency. A constant (`{"EUR": "1.08"}`) or dated rates '
            '(`{"JPY": {"2025-01-01": "0.0064"}}`): a row uses the latest rate on or before '
            "its date. Decimal strings keep rates exact. No rate: `*_reporting` stays null."
        ),
    ),
    th.Property(
        "fx_rates_path",
        th.StringType,
        description=(
            "CSV file of dated exchange rates, with the header `date,base,quote,rate` "
            "(1 base = rate quote, on and after date). Rows quoted in the reporting currency "
            "are used, like dated `fx_rates`; `fx_rates` entries win for their currency."
        ),
    ),
    th.Property(
        "entity_cache_path",
        th.StringType,
        default=DEFAULT_ENTITY_CACHE_PATH,
        description=(
            "JSON file keeping accounts and campaigns across runs (entity streams are "
            "incremental). Relative to the working directory."
        ),
    ),
    th.Property(
        "source_streams",
        th.StringType,
        allowed_values=list(SOURCE_STREAMS),
        description=(
            "What happens to the input streams themselves: `drop` (the default: only the "
            "unified streams "
            "go out), `unhandled` (streams the mapper does not unify pass through "
            "unchanged), `all` (every input stream passes through too). Streams named like a "
            "platform's but not recognised as its always pass through, with a warning."
        ),
    ),
    th.Property(
        "include_source_streams",
        th.BooleanType,
        default=False,
        description="Older name: true is `source_streams: all`.",
    ),
    th.Property(
        "platform",
        th.StringType,
        allowed_values=list(PLATFORMS),
        description=(
            "The platform the input comes from. Unset: recognised from each stream's name "
            "and schema."
        ),
    ),
    th.Property(
        "stale_after_hours",
        th.NumberType,
        default=DEFAULT_STALE_AFTER_HOURS,
        description=(
            "Rows extracted longer ago than this when the mapper reads them are reported as "
            "stale data in unified_run_summary."
        ),
    ),
    th.Property(
        "estimated_days",
        th.ObjectType(additional_properties=th.IntegerType),
        default=DEFAULT_ESTIMATED_DAYS,
        description=(
            "Per platform: rows dated at most this many days before the account's local "
            "today get `is_estimated` true. Defaults: "
            + ", ".join(f"{name} {days}" for name, days in DEFAULT_ESTIMATED_DAYS.items())
            + "."
        ),
    ),
).to_dict()


class SettingError(ValueError):
    """A setting is unknown, malformed or contradictory."""


@dataclass(frozen=True)
class Settings:
    reporting_currency: str
    fx_rates: FxRates
    entity_cache_path: Path
    source_streams: str
    platform: str | None
    estimated_days: Mapping[str, int]
    stale_after: timedelta


def parse_settings(config: Mapping[str, Any]) -> Settings:
    """Validated settings; raises SettingError naming the first bad setting."""
    unknown = sorted(set(config) - set(CONFIG_SCHEMA["properties"]))
    if unknown:
        allowed = ", ".join(CONFIG_SCHEMA["properties"])
        raise SettingError(f"unknown setting '{unknown[0]}'; allowed settings: {allowed}")
    reporting_currency = config.get("reporting_currency", "USD")
    _check_currency("reporting_currency", reporting_currency)
    rates = _parse_fx_rates(config.get("fx_rates") or {}, reporting_currency)
    if config.get("fx_rates_path"):
        rates = rates.with_fallback(_read_rates_file(config["fx_rates_path"], reporting_currency))
    return Settings(
        reporting_currency=reporting_currency,
        fx_rates=rates,
        entity_cache_path=_parse_path(config.get("entity_cache_path", DEFAULT_ENTITY_CACHE_PATH)),
        source_streams=_parse_source_streams(config),
        platform=config.get("platform"),
        estimated_days=_parse_estimated_days(config.get("estimated_days") or {}),
        stale_after=_parse_hours(
            "stale_after_hours", config.get("stale_after_hours", DEFAULT_STALE_AFTER_HOURS)
        ),
    )


def _parse_source_streams(config: Mapping[str, Any]) -> str:
    value = config.get("source_streams")
    if config.get("include_source_streams"):
        if value not in (None, "all"):
            raise SettingError(
                f"include_source_streams: true contradicts source_streams: {value}; allowed: "
                "source_streams alone"
            )
        return "all"
    value = value or "drop"
    if value not in SOURCE_STREAMS:
        raise SettingError(f"source_streams: {value!r}; allowed: {', '.join(SOURCE_STREAMS)}")
    return value


def _check_currency(setting: str, code: object) -> None:
    if not isinstance(code, str) or not CURRENCY_CODE.match(code):
        raise SettingError(
            f"{setting}: {code!r} is not a currency; allowed: a 3-letter upper-case "
            "ISO 4217 code such as USD, EUR or JPY"
        )


def _parse_rate(setting: str, value: object) -> Decimal:
    try:
        rate = to_decimal(value)
    except ValueError:
        rate = None
    if rate is None or rate <= 0:
        raise SettingError(
            f"{setting}: {value!r} is not a rate; allowed: a positive decimal number or "
            'decimal string such as "1.0825", or an object of YYYY-MM-DD dates to such rates'
        )
    return rate


def _parse_fx_rates(raw: Mapping[str, Any], reporting_currency: str) -> FxRates:
    constant: dict[str, Decimal] = {}
    dated: dict[str, list[tuple[date, Decimal]]] = {}
    for currency, value in raw.items():
        setting = f"fx_rates.{currency}"
        _check_currency(setting, currency)
        if isinstance(value, Mapping):
            if not value:
                raise SettingError(f"{setting}: empty; allowed: YYYY-MM-DD dates to rates")
            dated[currency] = [
                (_parse_date(f"{setting}.{day}", day), _parse_rate(f"{setting}.{day}", rate))
                for day, rate in value.items()
            ]
            rates = {rate for _, rate in dated[currency]}
        else:
            constant[currency] = _parse_rate(setting, value)
            rates = {constant[currency]}
        if currency == reporting_currency and rates != {Decimal(1)}:
            raise SettingError(
                f"{setting}: the reporting currency converts to itself at 1; allowed: "
                "remove it or give 1"
            )
    return FxRates(reporting_currency, constant, dated)


RATES_HEADER = ["date", "base", "quote", "rate"]


def _read_rates_file(path_text: object, reporting_currency: str) -> dict[str, list]:
    """The file's rates into the reporting currency, by currency; SettingError naming the
    file and line of the first malformed row."""
    if not isinstance(path_text, str) or not path_text.strip():
        raise SettingError("fx_rates_path: empty; allowed: the path of a CSV file")
    path = Path(path_text)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise SettingError(f"fx_rates_path: cannot read {path} ({error})") from error
    if not rows or [cell.strip() for cell in rows[0]] != RATES_HEADER:
        raise SettingError(
            f"fx_rates_path: {path} line 1: the header must be {','.join(RATES_HEADER)}"
        )
    dated: dict[str, list] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        where = f"fx_rates_path: {path} line {number}"
        if len(row) != len(RATES_HEADER):
            raise SettingError(f"{where}: {len(row)} columns, expected 4 ({','.join(row)})")
        day, base, quote, rate = (cell.strip() for cell in row)
        _check_currency(f"{where}: base", base)
        _check_currency(f"{where}: quote", quote)
        entry = (_parse_date(f"{where}: date", day), _parse_rate(f"{where}: rate", rate))
        if quote == reporting_currency and base != reporting_currency:
            if any(known == entry[0] for known, _ in dated.get(base, [])):
                raise SettingError(f"{where}: a second {base} rate for {day}")
            dated.setdefault(base, []).append(entry)
    return dated


def _parse_date(setting: str, value: str) -> date:
    try:
        if ISO_DATE.match(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise SettingError(f"{setting}: not a date; allowed: YYYY-MM-DD")


def _parse_path(value: object) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise SettingError("entity_cache_path: empty; allowed: a file path")
    return Path(value)


def _parse_hours(setting: str, value: object) -> timedelta:
    try:
        hours = to_decimal(value)
    except ValueError:
        hours = None
    if hours is None or hours <= 0 or hours > 24 * 366:
        raise SettingError(f"{setting}: {value!r}; allowed: a number of hours above 0, up to 8784")
    return timedelta(hours=float(hours))


def _parse_estimated_days(raw: Mapping[str, Any]) -> dict[str, int]:
    days = dict(DEFAULT_ESTIMATED_DAYS)
    for platform, value in raw.items():
        setting = f"estimated_days.{platform}"
        if platform not in PLATFORMS:
            raise SettingError(f"{setting}: unknown platform; allowed: {', '.join(PLATFORMS)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SettingError(f"{setting}: {value!r}; allowed: a whole number of days >= 0")
        days[platform] = value
    return days
