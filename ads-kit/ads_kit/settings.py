"""Settings every tap shares (DESIGN.md's settings contract) and their validation.

Each tap composes its config schema from these builders plus its own credentials and
accounts, so the same idea has the same name and shape on every platform.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import typing as t
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from singer_sdk import typing as th

from ads_kit.pacing import RateLimits

BREAKDOWNS = ("age", "gender", "device", "placement", "country")
ATTRIBUTION_WINDOWS = ("1d_click", "7d_click", "28d_click", "1d_view", "7d_view", "28d_view")
DATE_RANGE_TYPES = ("last_n_days", "custom", "lifetime")
#: DESIGN.md's report kinds: which report streams a run reads when no catalog says otherwise.
REPORT_TYPES = ("campaign_performance", "audience_insights", "custom")
#: The longest span of days a setting may name: a century, more than any platform keeps.
MAX_DAYS = 36_525
#: The furthest ahead of UTC any account's clock runs (UTC+14).
_AHEAD_OF_UTC = dt.timedelta(hours=14)


def rate_limiting_property(defaults: RateLimits) -> th.Property:
    """The `rate_limiting` block, documented with the platform's own defaults."""
    return th.Property(
        "rate_limiting",
        th.ObjectType(
            th.Property(
                "requests_per_hour",
                th.IntegerType(minimum=1),
                description=f"Default {defaults.requests_per_hour}.",
            ),
            th.Property(
                "requests_per_minute",
                th.IntegerType(minimum=1),
                description=f"Default {defaults.requests_per_minute}.",
            ),
            th.Property(
                "burst",
                th.IntegerType(minimum=1),
                description=f"Requests allowed within one second. Default {defaults.burst}.",
            ),
            th.Property(
                "concurrent_requests",
                th.IntegerType(minimum=1),
                description=f"Requests in flight at once. Default {defaults.concurrent_requests}.",
            ),
            th.Property(
                "backoff_multiplier",
                th.NumberType(minimum=0),
                description=f"Seconds of the first retry wait, doubled on each retry. "
                f"Default {defaults.backoff_multiplier}.",
            ),
            th.Property(
                "max_retries",
                th.IntegerType(minimum=0),
                description=f"Retries of one request before it fails for good. "
                f"Default {defaults.max_retries}.",
            ),
            th.Property(
                "max_wait_seconds",
                th.NumberType(minimum=0),
                description=f"Longest single wait between retries. "
                f"Default {defaults.max_wait_seconds}.",
            ),
            th.Property(
                "redis_url",
                th.StringType,
                secret=True,
                description="Share the request budgets with every process using "
                "this Redis (e.g. parallel shards of one app).",
            ),
            additional_properties=False,
        ),
        description="Client-side pacing and retries. Defaults are the platform's published limits.",
    )


def date_properties(default_lookback: int) -> list[th.Property]:
    """`start_date`, `end_date`, `date_range` and `insights_lookback_days`."""
    return [
        th.Property(
            "start_date",
            th.DateType,
            description="First report date (YYYY-MM-DD, in each account's timezone).",
        ),
        th.Property(
            "end_date", th.DateType, description="Last report date (YYYY-MM-DD); default today."
        ),
        th.Property(
            "date_range",
            th.ObjectType(
                th.Property("type", th.StringType(allowed_values=DATE_RANGE_TYPES), required=True),
                th.Property("days", th.IntegerType(minimum=1, maximum=MAX_DAYS)),
                th.Property("start_date", th.DateType),
                th.Property("end_date", th.DateType),
                additional_properties=False,
            ),
            description="Instead of start_date/end_date: last_n_days (with `days`; the N days "
            "before today and today), custom (with start_date/end_date) or "
            "lifetime.",
        ),
        th.Property(
            "insights_lookback_days",
            th.IntegerType(minimum=0, maximum=MAX_DAYS),
            default=default_lookback,
            description="Days before the bookmark re-read on every later run, "
            "because conversions arrive late.",
        ),
    ]


def common_properties() -> list[th.Property]:
    """Endpoints, versions, dead letters and timeouts."""
    return [
        th.Property(
            "api_version",
            th.StringType,
            description="Pinned API version; default the newest supported.",
        ),
        th.Property(
            "api_version_fallback",
            th.ArrayType(th.StringType),
            description="Versions to move to, with a warning, when the pinned one is "
            "refused as sunset.",
        ),
        th.Property(
            "dead_letter_path",
            th.StringType,
            description="JSON-lines file where requests that failed for good are "
            "written (redacted).",
        ),
        th.Property(
            "request_timeout",
            th.NumberType(minimum=1),
            default=60,
            description="Seconds to wait for one answer once connected (a slow report page "
            "takes seconds); a lost answer is retried after this.",
        ),
        th.Property(
            "connect_timeout",
            th.NumberType(minimum=1),
            default=10,
            description="Seconds to wait for a connection to the API.",
        ),
    ]


def report_properties() -> list[th.Property]:
    """`report_type` and `attribution_windows`, the same in every tap."""
    return [
        th.Property(
            "report_type",
            th.CustomType(
                {
                    "oneOf": [
                        {"type": "string", "enum": list(REPORT_TYPES)},
                        {
                            "type": "array",
                            "items": {"type": "string", "enum": list(REPORT_TYPES)},
                        },
                    ]
                }
            ),
            description="Which report streams a run reads when no catalog selects streams: "
            "campaign_performance (the insights/performance streams), audience_insights "
            "(the breakdown streams), custom (the custom_reports); one or a list. "
            "Default: all.",
        ),
        th.Property(
            "attribution_windows",
            th.ArrayType(th.StringType(allowed_values=list(ATTRIBUTION_WINDOWS))),
            description="Attribution windows of conversions, where the platform's reports "
            "take them.",
        ),
    ]


def report_types(config: Mapping[str, object]) -> tuple[str, ...]:
    """The report kinds `report_type` asks for (all when unset)."""
    value = config.get("report_type")
    if not value:
        return REPORT_TYPES
    return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]


def report_setting_errors(config: Mapping[str, object], supports_windows: bool) -> list[str]:
    """`report_type` values are checked by the schema; duplicates and contradictions here."""
    windows = config.get("attribution_windows") or []
    repeated = sorted({w for w in windows if windows.count(w) > 1})  # type: ignore[union-attr]
    if repeated and supports_windows:
        return [f"Setting 'attribution_windows' repeats {', '.join(repeated)}; list each once."]
    return []


def apply_defaults(config: dict[str, object], schema: Mapping[str, t.Any]) -> None:
    """Fill every top-level setting the user left out with its declared default, once at
    start, so each default is written only in the settings schema."""
    for name, spec in schema.get("properties", {}).items():
        if "default" in spec and config.get(name) is None:
            config[name] = spec["default"]


def _setting_name(error: ValidationError) -> str:
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required":
        missing = error.message.split("'")[1]
        path.append(missing)
    return ".".join(path) or "(config)"


def _describe(error: ValidationError, secret: bool) -> str:
    got = "" if secret else f" (got {error.instance!r})"
    schema = error.schema
    match error.validator:
        case "required":
            return "is required"
        case "enum":
            return f"must be one of {', '.join(map(str, error.validator_value))}{got}"
        case "type":
            return f"must be of type {error.validator_value}{got}"
        case "minimum":
            return f"must be at least {error.validator_value}{got}"
        case "maximum":
            return f"must be at most {error.validator_value}{got}"
        case "minItems":
            return f"must list at least {error.validator_value} item(s)"
        case "pattern":
            return f"must match {schema.get('description') or error.validator_value}{got}"
        case "oneOf" | "anyOf":
            return f"is not valid{got}: {schema.get('description', error.message).rstrip('.')}"
        case "additionalProperties":
            allowed = ", ".join(sorted(schema.get("properties", {})))
            return f"has unknown keys{got}; allowed: {allowed}"
        case _:
            return error.message if not secret else f"is invalid ({error.validator})"


def schema_errors(
    config: Mapping[str, object], schema: dict, secret_names: Iterable[str]
) -> list[str]:
    """One line per problem: the setting's name and what is allowed. Values of secret
    settings are never echoed."""
    secrets = set(secret_names)
    lines = []
    for error in sorted(Draft7Validator(schema).iter_errors(config), key=str):
        name = _setting_name(error)
        lines.append(f"Setting '{name}' {_describe(error, name.split('.')[0] in secrets)}.")
    allowed = set(schema.get("properties", {}))
    for key in sorted(set(config) - allowed):
        if not key.startswith("_"):
            lines.append(
                f"Setting '{key}' is not known; check its spelling. Known settings: "
                f"{', '.join(sorted(allowed))}."
            )
    return lines


def date_errors(config: Mapping[str, object], now: dt.datetime | None = None) -> list[str]:
    """Dates that parse but contradict each other, the date_range block, or the calendar."""
    errors: list[str] = []
    latest_today = ((now or dt.datetime.now(dt.UTC)) + _AHEAD_OF_UTC).date()
    date_range = config.get("date_range")
    blocks = [("", config)]
    if isinstance(date_range, Mapping):
        blocks.append(("date_range.", date_range))
    for prefix, block in blocks:
        dates = {}
        for name in ("start_date", "end_date"):
            value = block.get(name)
            if value is None:
                continue
            try:
                dates[name] = dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                errors.append(
                    f"Setting '{prefix}{name}' must be a date YYYY-MM-DD (got {value!r})."
                )
        if (
            "start_date" in dates
            and "end_date" in dates
            and dates["end_date"] < dates["start_date"]
        ):
            errors.append(f"Setting '{prefix}end_date' must not be before '{prefix}start_date'.")
        if dates.get("start_date", dt.date.min) > latest_today:
            errors.append(
                f"Setting '{prefix}start_date' is in the future ({dates['start_date']}): no "
                "account has reached that day yet."
            )
    if isinstance(date_range, Mapping):
        kind = date_range.get("type")
        if kind == "last_n_days" and not date_range.get("days"):
            errors.append(
                "Setting 'date_range.days' is required when date_range.type is last_n_days."
            )
        if kind == "custom" and not date_range.get("start_date"):
            errors.append(
                "Setting 'date_range.start_date' is required when date_range.type is custom."
            )
        for name in ("start_date", "end_date"):
            if kind and name in config:
                errors.append(f"Setting '{name}' contradicts 'date_range'; set only one of them.")
    elif not config.get("start_date"):
        errors.append("Setting 'start_date' is required (YYYY-MM-DD), or set 'date_range'.")
    return errors


def credential_errors(config: Mapping[str, object], names: Iterable[str]) -> list[str]:
    """Secret settings that are set but empty, or carry whitespace or control characters
    around the value (a pasted line break); the values themselves are never echoed."""
    errors = []
    for name in names:
        value = config.get(name)
        if not isinstance(value, str):
            continue
        if not value.strip():
            errors.append(f"Setting '{name}' is empty: set it, or leave it out.")
        elif value != value.strip() or not value.isprintable():
            errors.append(
                f"Setting '{name}' has spaces around the value or a control character in it "
                "(a pasted line break?); set the value alone."
            )
    return errors


def http_url_errors(config: Mapping[str, object], name: str) -> list[str]:
    """An http(s) URL setting that is empty or not a URL. An empty value is refused rather
    than taken for the default: an environment variable meant to point at the sandbox
    that is unset must not send a run to the real platform."""
    value = config.get(name)
    if value is None:
        return []
    if not isinstance(value, str) or not value.strip():
        return [
            f"Setting '{name}' is empty: leave it out for the platform's API, or give the "
            "sandbox's URL (in Meltano's sandbox environment it is read from "
            "ADS_SANDBOX_<PLATFORM>_URL, which may be unset)."
        ]
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        return [f"Setting '{name}' must be an http(s) URL such as https://host (got {value!r})."]
    return []


def writable_file_errors(config: Mapping[str, object], names: Iterable[str]) -> list[str]:
    """File settings the run could not write to, found before any data is read (parent
    directories are created, as the run would)."""
    errors = []
    for name in names:
        value = config.get(name)
        if not value:
            continue
        path = Path(str(value))
        if path.is_dir():
            errors.append(f"Setting '{name}' is a directory ({path}); give a file path.")
            continue
        try:
            if path.exists():
                path.open("a").close()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                tempfile.TemporaryFile(dir=path.parent).close()
        except OSError as error:
            errors.append(f"Setting '{name}': {path} cannot be written ({error.strerror}).")
    return errors
