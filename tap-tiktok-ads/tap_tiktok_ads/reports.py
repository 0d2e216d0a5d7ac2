"""Report streams over `report/integrated/get` (synchronous, paged) or report tasks
(asynchronous), incremental on the report date with a lookback, state per advertiser."""

from __future__ import annotations

import datetime as dt
import functools
import typing as t

from ads_kit.accounts import ACCOUNT_PROPERTIES
from ads_kit.errors import FieldRefusedError
from ads_kit.jobs import JobRunner
from ads_kit.refused_fields import RefusedFields
from ads_kit.report_plan import ReportPlan, plan_report
from ads_kit.settings import report_types

from tap_tiktok_ads.client import PerAdvertiserStream, body_of, read_ahead
from tap_tiktok_ads.report_catalog import DATA_LEVELS, INTEGER, METRICS, TEXT
from tap_tiktok_ads.report_groups import GroupRefused, ReportGroups
from tap_tiktok_ads.report_specs import ReportSpec
from tap_tiktok_ads.report_tasks import (
    TASK_TIMEOUT_SECONDS,
    TASKS_IN_FLIGHT,
    ReportTask,
    ReportTasks,
)
from tap_tiktok_ads.report_totals import TotalsCheck
from tap_tiktok_ads.streams import (
    EVERY_STATUS,
    AdgroupsStream,
    AdsStream,
    AdvertisersStream,
    CampaignsStream,
)
from tap_tiktok_ads.values import CONVERTERS, as_text, local_day, local_hour

#: TikTok's sandbox environment (its test accounts' host).
TIKTOK_SANDBOX_HOST = "sandbox-ads.tiktok.com"
#: The synchronous endpoint returns at most this many ads per query.
SYNC_AD_LIMIT = 20_000
STATUS_FILTERS = {
    "campaign": ("campaign_status",),
    "adgroup": ("campaign_status", "adgroup_status"),
    "ad": ("campaign_status", "adgroup_status", "ad_status"),
}
LISTING_PATHS = {
    "campaign": CampaignsStream.path,
    "adgroup": AdgroupsStream.path,
    "ad": AdsStream.path,
}


class ReportTruncatedError(Exception):
    """The synchronous report left ads out (`X-Tt-Ads-Throttle`)."""


def _json_type(name: str) -> dict:
    kind = METRICS[name].kind if name in METRICS else TEXT
    if kind == INTEGER:
        return {"type": ["integer", "null"]}
    if kind == TEXT:
        return {"type": ["string", "null"]}
    return {"type": ["number", "null"]}  # money, decimal, percent


def readable_plan(stream: PerAdvertiserStream, context: t.Any) -> ReportPlan | None:
    """The advertiser's report dates of this run; None, named in a warning, when the range
    has no day to read."""
    plan = plan_report(stream.config, stream.account(context), stream.saved_bookmark(context))
    if plan.days:
        return plan
    stream.logger.warning(
        "%s, advertiser %s: nothing to read: %s starts %s, after its last day %s",
        stream.name,
        context["account_id"],
        plan.reason,
        plan.start,
        plan.end,
    )
    return None


class ReportStream(PerAdvertiserStream):
    """One report (a `ReportSpec`) for every advertiser."""

    parent_stream_type = AdvertisersStream
    path = "/report/integrated/get/"

    def __init__(self, tap: t.Any, spec: ReportSpec) -> None:
        self.spec = spec
        self.selected_by_default = spec.kind in report_types(tap.config)
        super().__init__(tap, name=spec.name, schema=self._schema(spec))
        self.primary_keys = spec.primary_keys
        self.replication_key = spec.time_dimension

    @staticmethod
    def _schema(spec: ReportSpec) -> dict:
        properties: dict[str, dict] = {"advertiser_id": {"type": ["string"]}}
        for dimension in (*spec.dimensions, spec.key_field):
            properties[dimension] = {"type": ["string"]}
        properties[spec.time_dimension] = {
            "type": ["string"],
            "format": "date-time" if spec.hourly else "date",
        }
        for metric in spec.metrics:
            properties.setdefault(metric, _json_type(metric))
        return {"type": "object", "properties": {**properties, **ACCOUNT_PROPERTIES}}

    # What to ask for

    def report_query(self, advertiser_id: str, start: dt.date, end: dt.date) -> dict[str, t.Any]:
        spec = self.spec
        query: dict[str, t.Any] = {
            "advertiser_id": advertiser_id,
            "service_type": "AUCTION",
            "report_type": spec.report_type,
            "data_level": DATA_LEVELS[spec.level],
            "dimensions": spec.dimensions,
            "metrics": self.refused_fields.without_refused(spec.metrics),
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        }
        if self.include_deleted and spec.level in STATUS_FILTERS:
            # Without these TikTok silently leaves deleted objects' spend out.
            query["filtering"] = [
                {"field_name": field, "filter_type": "IN", "filter_value": '["STATUS_ALL"]'}
                for field in STATUS_FILTERS[spec.level]
            ]
        return query

    @property
    def refused_fields(self) -> RefusedFields:
        return RefusedFields(self.stream_state, self.name, self.logger)

    def plan(self, context: t.Any) -> ReportPlan:
        return plan_report(self.config, self.account(context), self.saved_bookmark(context))

    # Reading

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        plan = readable_plan(self, context)
        if plan is None:
            return
        read_together = self.groups.pending.pop(context["account_id"], None)
        if read_together is None:
            read_together = self._group_rows(context, plan)
        if read_together is not None:
            self._log_plan(context, plan, "a multi-advertiser report", self.groups.reason)
            yield from read_together
            return
        use_async, reason = self.choose_mode(context, plan.days)
        mode = "report tasks" if use_async else "the synchronous report"
        self._log_plan(context, plan, mode, reason)
        spans = plan.windows(self.spec.window_days)
        while True:
            try:
                yield from self._plan_rows(context, spans, use_async)
                break
            except FieldRefusedError as error:
                self.refused_fields.drop(error, self.spec.metrics, self.spec.setting)
        self.forget_finished_slices(context)

    def _log_plan(self, context: t.Any, plan: ReportPlan, mode: str, reason: str) -> None:
        self.logger.info(
            "%s, advertiser %s: %s to %s with %s (%s; from %s)",
            self.name,
            context["account_id"],
            plan.start,
            plan.end,
            mode,
            reason,
            plan.reason,
        )

    @functools.cached_property
    def groups(self) -> ReportGroups:
        return ReportGroups(self)

    def _group_rows(self, context: t.Any, plan: ReportPlan) -> list[dict] | None:
        """This advertiser's rows read with others in one multi-advertiser report, or None
        when it is read alone."""
        group = self.groups.members(context, plan)
        if len(group) < 2:
            return None
        while True:
            try:
                rows = self.groups.read(group, plan)
                break
            except FieldRefusedError as error:
                self.refused_fields.drop(error, self.spec.metrics, self.spec.setting)
            except GroupRefused as why:
                self.logger.info(
                    "%s: advertisers %s are read one at a time: %s",
                    self.name,
                    ", ".join(group),
                    why,
                )
                return None
        total = len(rows) + sum(len(self.groups.pending.get(a, ())) for a in group[1:])
        self.groups.reason = f"read together with {len(group) - 1} more: {total:,} rows"
        self.logger.info(
            "%s: advertisers %s read together, %s to %s (%d rows)",
            self.name,
            ", ".join(group),
            plan.start,
            plan.end,
            total,
        )
        return rows

    def _plan_rows(
        self, context: t.Any, spans: list[tuple[dt.date, dt.date]], use_async: bool
    ) -> t.Iterable[dict]:
        finished = self.finished_slices(context)
        if use_async:
            yield from self._task_rows(context, spans, finished)
        else:
            for number, (window_start, window_end) in enumerate(spans, 1):
                key = f"sync:{window_start.isoformat()}:{window_end.isoformat()}"
                if key not in finished:
                    yield from self._window_rows(context, window_start, window_end)
                    self.mark_slice_finished(context, key)
                if len(spans) > 1:
                    self.logger.info(
                        "%s, advertiser %s: window %d of %d done (%d%%)",
                        self.name,
                        context["account_id"],
                        number,
                        len(spans),
                        100 * number // len(spans),
                    )

    def _window_rows(self, context: t.Any, start: dt.date, end: dt.date) -> t.Iterable[dict]:
        """The synchronous report of one window, or report tasks where it was truncated."""
        try:
            yield from self._sync_rows(context, start, end)
        except ReportTruncatedError:
            self.logger.warning(
                "%s, advertiser %s: the synchronous report stopped at 20,000 ads for "
                "%s to %s; reading it with report tasks instead",
                self.name,
                context["account_id"],
                start,
                end,
            )
            yield from self._task_rows(context, [(start, end)], set())

    def _sync_rows(self, context: t.Any, start: dt.date, end: dt.date) -> t.Iterable[dict]:
        query = self.report_query(context["account_id"], start, end)
        check = self.totals_check()
        first_query = {**query, "enable_total_metrics": True} if check else query
        first = self._report_page(first_query, 1, context)
        bodies = read_ahead(
            first,
            lambda page: self._report_page(query, page, context),
            self._tap.rate_limits.concurrent_requests,
        )
        for body in bodies:
            for item in body["data"].get("list") or []:
                record = self.to_record(item["dimensions"], item["metrics"], context)
                if check:
                    check.add(record)
                yield record
        if check:
            where = f"{self.name}, advertiser {context['account_id']}, {start} to {end}"
            check.warn(first["data"].get("total_metrics"), self.logger, where)

    def totals_check(self, *, counts_only: bool = False) -> TotalsCheck | None:
        """A check of the rows against TikTok's totals, which it serves for BASIC reports of
        one ID dimension and/or the day."""
        spec = self.spec
        if spec.report_type != "BASIC" or spec.breakdown_dimensions or spec.hourly:
            return None
        if TIKTOK_SANDBOX_HOST in str(self.config.get("api_url") or ""):
            return None  # TikTok's own sandbox does not take enable_total_metrics
        return TotalsCheck(spec.metrics, counts_only=counts_only)

    def _report_page(self, query: dict[str, t.Any], page: int, context: t.Any) -> dict:
        """One page of the synchronous report, its pages read ahead while rows are emitted."""
        response = self.call(
            self.path, context, params={**query, "page": page, "page_size": self.page_size}
        )
        if response.headers.get("X-Tt-Ads-Throttle"):
            raise ReportTruncatedError(response.headers["X-Tt-Ads-Throttle"])
        return body_of(response)

    def _task_rows(
        self, context: t.Any, spans: list[tuple[dt.date, dt.date]], finished: set[str]
    ) -> t.Iterable[dict]:
        dimensions = set(self.spec.dimensions)
        jobs = [ReportTask(self, context, start, end, self._tap.task_pacer) for start, end in spans]
        for job, rows in self.task_runner(context).run(jobs, finished):
            for row in rows:
                dims = {key: value for key, value in row.items() if key in dimensions}
                metrics = {key: value for key, value in row.items() if key not in dimensions}
                yield self.to_record(dims, metrics, context)
            self.mark_slice_finished(context, job.key)

    def to_record(self, dims: dict, metrics: dict, context: t.Any) -> dict:
        record: dict[str, t.Any] = {"advertiser_id": context["account_id"]}
        for key, value in dims.items():
            if key == "stat_time_day":
                record[key] = local_day(value)
            elif key == "stat_time_hour":
                record[key] = local_hour(value, self.account(context).timezone)
            else:
                record[key] = str(value)
        id_dimension = self.spec.id_dimension
        if id_dimension != self.spec.key_field:
            record[self.spec.key_field] = record.get(id_dimension)  # `ad_id` from `ad_id_v2`
        for key, value in metrics.items():
            record[key] = CONVERTERS.get(key, as_text)(value)
        return record

    # Sync or async

    def task_runner(self, context: t.Any) -> JobRunner:
        return JobRunner(
            ReportTasks(),
            max_in_flight=TASKS_IN_FLIGHT,
            job_timeout_seconds=TASK_TIMEOUT_SECONDS,
            max_restarts=self._tap.rate_limits.max_retries,
            logger=self.logger,
            label=f"{self.name}, advertiser {context['account_id']}",
        )

    def choose_mode(self, context: t.Any, days: int) -> tuple[bool, str]:
        """Report tasks when the synchronous report would truncate or the job is large."""
        mode = self.config["report_mode"]
        if mode != "auto":
            return mode == "async", f"report_mode is {mode}"
        if self.spec.hourly:
            return False, "hourly reports are read a day at a time"
        if self.spec.sync_only:
            return False, "some metrics exist only in the synchronous report"
        objects = self.count_objects(context)
        if self.spec.level == "ad" and objects >= SYNC_AD_LIMIT:
            return True, f"{objects:,} ads: the synchronous report stops at 20,000 ads"
        rows = objects * days
        threshold = int(self.config["async_report_min_rows"])
        if rows >= threshold:
            return True, f"up to {rows:,} rows, at least async_report_min_rows={threshold:,}"
        return False, f"up to {rows:,} rows, under async_report_min_rows={threshold:,}"

    def count_objects(self, context: t.Any) -> int:
        """How many objects (deleted included) the report's level has for this advertiser."""
        if self.spec.level == "advertiser":
            return 1
        params: dict[str, t.Any] = {"advertiser_id": context["account_id"], "page_size": 1}
        if self.include_deleted:
            params["filtering"] = EVERY_STATUS
        response = self.call(LISTING_PATHS[self.spec.level], context, params=params)
        return int(body_of(response)["data"]["page_info"]["total_number"])
