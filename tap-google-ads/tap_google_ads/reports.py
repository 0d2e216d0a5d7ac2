"""Report streams: GAQL over SearchStream per customer, incremental on `segments.date`
with the lookback re-read on every run, one window at a time (a finished window is kept
in the customer's state, so an interrupted run resumes after it)."""

from __future__ import annotations

import datetime as dt
import typing as t
from collections.abc import Iterable

from ads_kit.errors import FieldRefusedError
from ads_kit.refused_fields import RefusedFields
from ads_kit.report_plan import ReportPlan, plan_report
from ads_kit.settings import report_types

from tap_google_ads.fields import property_name
from tap_google_ads.report_specs import DATE, ReportSpec
from tap_google_ads.streams import CustomersStream, CustomerStream, schema_of

#: Days per SearchStream call: a window is read whole before its rows are emitted.
WINDOW_DAYS = 14


class ReportStream(CustomerStream):
    """One report (a `ReportSpec`) for every client customer."""

    parent_stream_type = CustomersStream
    #: Days per query.
    window_days: t.ClassVar[int] = WINDOW_DAYS

    def __init__(self, tap: t.Any, spec: ReportSpec, schema: dict | None = None) -> None:
        self.spec = spec
        self.resource = spec.resource  # type: ignore[misc]
        self.fields = spec.fields  # type: ignore[misc]
        self.conditions = spec.conditions  # type: ignore[misc]
        self.selected_by_default = spec.kind in report_types(tap.config)
        super().__init__(tap, spec.name, schema or schema_of(spec.fields, tap.default_api_version))
        self.primary_keys = spec.primary_keys
        self.replication_key = property_name(DATE) if spec.incremental else None

    @property
    def refused_fields(self) -> RefusedFields:
        return RefusedFields(self.stream_state, self.name, self.logger)

    def report_query(self, start: dt.date | None, end: dt.date | None) -> str:
        fields = self.refused_fields.without_refused(self.selected_fields())
        conditions = []
        if start is not None and start == end:
            conditions.append(f"{DATE} = '{start.isoformat()}'")
        elif start is not None and end is not None:
            conditions.append(f"{DATE} BETWEEN '{start.isoformat()}' AND '{end.isoformat()}'")
        text = self.query(fields, conditions)
        return f"{text} {self.spec.tail}".strip()

    def get_account_records(self, context: t.Any) -> Iterable[dict]:
        while True:
            try:
                yield from self._account_rows(context)
                break
            except FieldRefusedError as error:
                self.refused_fields.drop(error, self.spec.metrics, self.spec.setting)
        self.forget_finished_slices(context)

    def _account_rows(self, context: t.Any) -> Iterable[dict]:
        customer = context["account_id"]
        if not self.spec.incremental:
            yield from self._window(customer, None, None)
            return
        plan = self.plan(context)
        if plan.days == 0:
            return
        windows = plan.windows(self.window_days)
        self.logger.info(
            "%s, customer %s: %s to %s in %d window(s) (%s)",
            self.name, customer, plan.start, plan.end, len(windows), plan.reason,
        )  # fmt: skip
        finished = self.finished_slices(context)
        for number, (start, end) in enumerate(windows, 1):
            key = f"{start.isoformat()}:{end.isoformat()}"
            if key not in finished:
                yield from self._window(customer, start, end)
                self.mark_slice_finished(context, key)
            if len(windows) > 1:
                self.logger.info(
                    "%s, customer %s: window %d of %d done (%d%%)",
                    self.name, customer, number, len(windows), 100 * number // len(windows),
                )  # fmt: skip

    def plan(self, context: t.Any) -> ReportPlan:
        """The dates this run reads for the context's customer."""
        return plan_report(self.config, self.account(context), self.saved_bookmark(context))

    def _window(self, customer: str, start: dt.date | None, end: dt.date | None) -> Iterable[dict]:
        query = self.report_query(start, end)
        fields = self.refused_fields.without_refused(self.selected_fields())
        rows = self.records(customer, query, fields, stream=True)
        if self.spec.limit is not None and len(rows) >= self.spec.limit:
            dates = f"{start} to {end}" if start else "the whole report"
            self.logger.warning(
                "%s, customer %s, %s: the query's LIMIT %d was reached; rows beyond it "
                "were not read", self.name, customer, dates, self.spec.limit,
            )  # fmt: skip
        yield from rows
