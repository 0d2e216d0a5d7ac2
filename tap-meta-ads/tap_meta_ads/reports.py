"""Insights streams: one account's insights by report date, through async report jobs (or
the synchronous edge for small requests), incremental with a lookback, state per account."""

from __future__ import annotations

import datetime as dt
import typing as t
from collections import Counter

from ads_kit.accounts import PerAccountStream
from ads_kit.errors import FieldRefusedError
from ads_kit.jobs import JobRunner
from ads_kit.refused_fields import RefusedFields
from ads_kit.report_plan import ReportPlan, plan_report
from ads_kit.settings import report_types
from ads_kit.timezones import account_today
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign
from singer_sdk import Stream

from tap_meta_ads.client import scope
from tap_meta_ads.errors import SyncTimeoutError
from tap_meta_ads.field_halves import FieldHalves
from tap_meta_ads.report_jobs import InsightsJob, InsightsJobs
from tap_meta_ads.report_specs import (
    ACTION_BREAKDOWN_NAMES,
    RETIRED_FIELDS,
    UNSERVED_WINDOWS,
    InsightsSpec,
)
from tap_meta_ads.schemas import insights_schema
from tap_meta_ads.streams import AdAccountsStream, every_status
from tap_meta_ads.values import action_stats, insights_kind, number

RETENTION_MONTHS = 37
REACH_BREAKDOWN_MONTHS = 13
REACH_FIELDS = ("reach", "frequency", "cpp")
EVENT_FIELDS = {
    "event_conversions": {"type": ["number", "null"]},
    "event_conversion_value": {"type": ["number", "null"]},
    "event_conversions_by_window": {"type": ["object", "null"], "additionalProperties": True},
    "event_conversion_value_by_window": {"type": ["object", "null"], "additionalProperties": True},
}
#: Per level below the account: the SDK class (its statuses) and the AdAccount listing method.
LEVEL_CLASSES: dict[str, tuple[type, str]] = {
    "campaign": (Campaign, "get_campaigns"),
    "adset": (AdSet, "get_ad_sets"),
    "ad": (Ad, "get_ads"),
}


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class InsightsStream(PerAccountStream, Stream):
    """One insights report (an `InsightsSpec`) for every account."""

    parent_stream_type = AdAccountsStream
    replication_key = "date_start"

    def __init__(self, tap: t.Any, spec: InsightsSpec) -> None:
        self.spec = spec
        self.selected_by_default = spec.kind in report_types(tap.config)
        schema = insights_schema(spec.fields, spec.breakdowns)
        schema["properties"].update(EVENT_FIELDS)
        super().__init__(tap, name=spec.name, schema=schema)
        self.primary_keys = spec.primary_keys
        self.missing_keys: Counter[str] = Counter()

    # What to ask for

    @property
    def refused_fields(self) -> RefusedFields:
        return RefusedFields(self.stream_state, self.name, self.logger)

    @property
    def request_fields(self) -> list[str]:
        asked = [f for f in self.spec.fields if f not in RETIRED_FIELDS]
        return self.refused_fields.without_refused(asked)

    @property
    def join_fields(self) -> tuple[str, ...]:
        """Fields both halves of a field-split job ask for: the ids (the account's, the
        objects', and products' where a report asks for them), which identify a row."""
        return tuple(f for f in self.spec.fields if f.endswith("_id"))

    def join_key(self, row: dict[str, t.Any]) -> tuple:
        """What identifies a row of this report within one job."""
        names = (*self.join_fields, "date_start", "date_stop", *self.spec.breakdowns)
        return tuple(row.get(name) for name in names)

    def every_status_params(self, sdk_class: type) -> dict[str, t.Any]:
        return {"effective_status": every_status(sdk_class), "limit": self._tap.api.page_size}

    def insights_params(
        self, since: dt.date, until: dt.date, narrowed: tuple[str, str] | None = None
    ) -> dict[str, t.Any]:
        config = self.config
        params: dict[str, t.Any] = {
            "level": self.spec.level,
            "time_range": {"since": since.isoformat(), "until": until.isoformat()},
            "time_increment": 1,
            "action_attribution_windows": list(config["attribution_windows"]),
            "limit": self._tap.api.page_size,
        }
        if self.spec.breakdowns:
            params["breakdowns"] = list(self.spec.breakdowns)
        if self.spec.action_breakdowns:
            params["action_breakdowns"] = list(self.spec.action_breakdowns)
        if config["use_unified_attribution_setting"]:
            params["use_unified_attribution_setting"] = True
        filtering = []
        entity = self.spec.level if self.spec.level in LEVEL_CLASSES else None
        if entity and config["include_deleted"]:
            # Without it Meta leaves deleted and archived objects' rows (and spend) out.
            sdk_class = LEVEL_CLASSES[entity][0]
            filtering.append(
                {
                    "field": f"{entity}.effective_status",
                    "operator": "IN",
                    "value": every_status(sdk_class),
                }
            )
        if narrowed:
            filtering.append(
                {"field": f"{narrowed[0]}.id", "operator": "IN", "value": [narrowed[1]]}
            )
        if filtering:
            params["filtering"] = filtering
        return params

    def plan(self, context: t.Any) -> ReportPlan:
        account = self.account(context)
        plan = plan_report(self.config, account, self.saved_bookmark(context))
        today = account_today(account.timezone)
        floor = months_before(today, RETENTION_MONTHS) + dt.timedelta(days=1)
        if plan.start < floor:
            self.logger.warning(
                "%s, account %s: Meta keeps insights for 37 months; reading from %s instead of %s",
                self.name,
                account.id,
                floor,
                plan.start,
            )
            plan = ReportPlan(floor, plan.end, f"{plan.reason}, clamped to the 37-month retention")
        if hidden := self.spec.without_off_meta_actions:
            self.logger.warning(
                "%s, account %s: Meta leaves off-Meta actions (pixel and app conversions) out "
                "of rows broken down by %s; event_conversions and event_conversion_value stay "
                "null, not zero (read them from a report without it)",
                self.name,
                account.id,
                ", ".join(hidden),
            )
        if unsplit := self.spec.off_meta_actions_unsplit:
            self.logger.warning(
                "%s, account %s: Meta does not split off-Meta actions (pixel conversions) by "
                "%s: each row carries its object's whole event_conversions and "
                "event_conversion_value, so summing them across rows multiplies the total",
                self.name,
                account.id,
                ", ".join(unsplit),
            )
        reach_floor = months_before(today, REACH_BREAKDOWN_MONTHS)
        asked_reach = [f for f in REACH_FIELDS if f in self.spec.fields]
        if self.spec.breakdowns and asked_reach and plan.start < reach_floor:
            self.logger.warning(
                "%s, account %s: Meta leaves %s out of breakdown reports for dates before %s "
                "(but for 10 async report jobs per account a day); rows without them carry "
                "them null, not zero",
                self.name,
                account.id,
                ", ".join(asked_reach),
                reach_floor,
            )
        return plan

    # Reading

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        plan = self.plan(context)
        if plan.days <= 0:
            return
        days = self.spec.window_days or int(self.config["insights_window_days"])
        windows = plan.windows(days)
        use_async, reason = self.choose_mode(context, plan.days)
        self.logger.info(
            "%s, account %s: %s to %s in %d window(s) with %s (%s; from %s)",
            self.name,
            context["account_id"],
            plan.start,
            plan.end,
            len(windows),
            "async report jobs" if use_async else "the synchronous insights edge",
            reason,
            plan.reason,
        )
        while True:
            try:
                yield from self._rows(context, windows, use_async)
                break
            except FieldRefusedError as error:
                self.refused_fields.drop(error, self.spec.fields, self.spec.setting)
            except SyncTimeoutError as error:
                finished = self.finished_slices(context)
                windows = [w for w in windows if _sync_key(*w) not in finished]
                use_async = True
                self.logger.warning(
                    "%s, account %s: the synchronous insights edge timed out (%s); the %d "
                    "window(s) left go through async report jobs",
                    self.name,
                    context["account_id"],
                    error,
                    len(windows),
                )
        self.forget_finished_slices(context)
        if self.missing_keys:
            self.logger.warning(
                "%s, account %s: rows without a breakdown value were kept with it null: %s",
                self.name,
                context["account_id"],
                dict(self.missing_keys),
            )
            self.missing_keys.clear()

    def _rows(
        self, context: t.Any, windows: list[tuple[dt.date, dt.date]], use_async: bool
    ) -> t.Iterable[dict]:
        finished = self.finished_slices(context)
        if use_async:
            jobs = [InsightsJob(self, context, since, until) for since, until in windows]
            runner = self.job_runner(context)
            joiner = FieldHalves(self.join_key)
            for done, rows in runner.run(jobs, finished):
                job = t.cast(InsightsJob, done)
                if job.part:
                    joined = joiner.add(job.slice_key, job.part, rows)
                    if joined is None:
                        continue  # the other half is not in yet
                    rows, lone = joined
                    if lone:
                        self.logger.warning(
                            "%s, account %s: %d row(s) of %s came back in one field half only; "
                            "they are kept with the other half's fields null",
                            self.name,
                            context["account_id"],
                            lone,
                            job.slice_key,
                        )
                for row in rows:
                    yield self.to_record(row, context)
                self.mark_slice_finished(context, job.slice_key)
            self.logger.info(
                "%s, account %s: at most %d report job(s) ran at once",
                self.name,
                context["account_id"],
                runner.peak_in_flight,
            )
            return
        account = AdAccount(context["account_id"], api=self._tap.api)
        for since, until in windows:
            key = _sync_key(since, until)
            if key in finished:
                continue
            with scope(self.name, context["account_id"]):
                cursor = account.get_insights(
                    fields=self.request_fields, params=self.insights_params(since, until)
                )
                for row in cursor:
                    yield self.to_record(row.export_all_data(), context)
            self.mark_slice_finished(context, key)

    def job_runner(self, context: t.Any) -> JobRunner:
        return JobRunner(
            InsightsJobs(self._tap.api, context["account_id"], self.name),
            max_in_flight=int(self.config["insights_jobs_in_flight"]),
            job_timeout_seconds=float(self.config["insights_job_timeout_seconds"]),
            max_restarts=self._tap.rate_limits.max_retries,
            logger=self.logger,
            label=f"{self.name}, account {context['account_id']}",
            first_poll_seconds=float(self.config["insights_poll_seconds"]),
        )

    def choose_mode(self, context: t.Any, days: int) -> tuple[bool, str]:
        mode = self.config["report_mode"]
        if mode != "auto":
            return mode == "async", f"report_mode is {mode}"
        objects = self.count_objects(context)
        rows = objects * days * (24 if self.spec.hourly else 1)
        threshold = int(self.config["async_report_min_rows"])
        if rows >= threshold:
            return True, f"up to {rows:,} rows, at least async_report_min_rows={threshold:,}"
        return False, f"up to {rows:,} rows, under async_report_min_rows={threshold:,}"

    def count_objects(self, context: t.Any) -> int:
        """Objects of the report's level in the account (deleted ones too), from `summary`."""
        level = self.spec.level
        if level == "account":
            return 1
        sdk_class, method = LEVEL_CLASSES[level]
        account = AdAccount(context["account_id"], api=self._tap.api)
        with scope(self.name, context["account_id"]):
            params = {**self.every_status_params(sdk_class), "limit": 1, "summary": "true"}
            cursor = getattr(account, method)(fields=["id"], params=params)
            return int(cursor.total())

    # Values

    def to_record(self, row: dict[str, t.Any], context: t.Any) -> dict[str, t.Any]:
        text_keys = frozenset({"action_type", *ACTION_BREAKDOWN_NAMES})
        record: dict[str, t.Any] = {}
        for name in self.spec.fields:
            if name not in row:
                continue
            value = row[name]
            kind = insights_kind(name)
            if kind == "actions":
                value = action_stats(value, text_keys)
            elif kind in ("number", "integer"):
                value = number(value)
            record[name] = value
        record["date_start"] = row["date_start"]
        record["date_stop"] = row.get("date_stop")
        for key in self.spec.breakdowns:
            value = row.get(key)
            if value is None:
                self.missing_keys[key] += 1
            elif isinstance(value, dict):  # an asset breakdown's object: its id is the key
                value = value.get("id")
            record[key] = value if value is None or isinstance(value, str) else str(value)
        self._conversion_events(record, row, text_keys, context)
        return record

    def _conversion_events(
        self, record: dict, row: dict, text_keys: frozenset[str], context: t.Any
    ) -> None:
        """The configured conversion events' totals, under the default and each window."""
        if self.spec.without_off_meta_actions:  # unknown, not zero
            record.update(dict.fromkeys(EVENT_FIELDS))
            return
        events = self._tap.conversion_event_types(context["account_id"])
        windows = list(self.config["attribution_windows"])
        for field, total_key, window_key in (
            ("actions", "event_conversions", "event_conversions_by_window"),
            ("action_values", "event_conversion_value", "event_conversion_value_by_window"),
        ):
            stats = [
                s
                for s in (action_stats(row.get(field), text_keys) or ())
                if s.get("action_type") in events
            ]
            record[total_key] = sum((s.get("value") or 0 for s in stats), start=0)
            record[window_key] = {
                w: None  # Meta did not count it under this window: unknown, not zero
                if w in UNSERVED_WINDOWS or (stats and not any(w in s for s in stats))
                else sum((s.get(w) or 0 for s in stats), start=0)
                for w in windows
            }


def _sync_key(since: dt.date, until: dt.date) -> str:
    """The state's name of a window read through the synchronous edge."""
    return f"sync:{since.isoformat()}:{until.isoformat()}"
