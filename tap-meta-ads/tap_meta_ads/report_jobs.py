"""Meta's async insights (`AdReportRun`) as jobs of the ads-kit job runner.

A job is one account's insights over a date window, optionally narrowed to one campaign,
ad set or ad. Statuses of every running job are read in one batch request; new jobs start
only while `x-fb-ads-insights-throttle` leaves room. A job that keeps failing (at once when
Meta says it asks for too much data) is split: its dates in halves, then (where the level
allows it) by campaign, ad set and ad, at last its field list in halves, whose rows
`field_halves.FieldHalves` joins again.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from ads_kit.errors import RetryableError
from ads_kit.jobs import JobPlatform, JobState, JobStatus, ReportJob
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.campaign import Campaign

from tap_meta_ads.client import GuardedApi, scope
from tap_meta_ads.errors import classify, describe
from tap_meta_ads.field_halves import halves

if t.TYPE_CHECKING:
    from tap_meta_ads.reports import InsightsStream

#: Meta's batch requests hold at most 50 calls.
BATCH_SIZE = 50
#: New jobs wait while the insights throttle (the higher of app and account) is above this.
THROTTLE_LIMIT = 90.0
_STATES = {
    "Job Completed": JobState.COMPLETED,
    "Job Failed": JobState.FAILED,
    "Job Skipped": JobState.EXPIRED,
}
STATUS_FIELDS = [
    AdReportRun.Field.async_status,
    AdReportRun.Field.async_percent_completion,
    AdReportRun.Field.error_code,
    AdReportRun.Field.error_message,
]
_CHILDREN = {"campaign": ("adset", "get_ad_sets"), "adset": ("ad", "get_ads")}
_DEPTH = {"account": 0, "campaign": 1, "adset": 2, "ad": 3}


class InsightsJob(ReportJob):
    """One AdReportRun: an account's insights over [since, until], maybe one object's."""

    def __init__(
        self,
        stream: InsightsStream,
        context: t.Any,
        since: dt.date,
        until: dt.date,
        narrowed: tuple[str, str] | None = None,
        fields: tuple[str, ...] | None = None,
        part: str = "",
    ) -> None:
        self.stream, self.context, self.since, self.until = stream, context, since, until
        self.narrowed = narrowed  # ("campaign", id) and the like
        #: A share of the stream's fields (None: all of them) and where it sits among the
        #: halves of its slice: "0", "1", then "00", "01"... for halves of halves.
        self.fields, self.part = fields, part
        suffix = f":{narrowed[0]}={narrowed[1]}" if narrowed else ""
        self.slice_key = f"job:{since.isoformat()}:{until.isoformat()}{suffix}"
        self.key = f"{self.slice_key}:fields={part}" if part else self.slice_key
        self.run: AdReportRun | None = None

    @property
    def account_id(self) -> str:
        return self.context["account_id"]

    @property
    def api(self) -> GuardedApi:
        return self.stream._tap.api

    @property
    def request_fields(self) -> list[str]:
        fields = self.stream.request_fields
        return fields if self.fields is None else [f for f in self.fields if f in fields]

    def start(self) -> None:
        params = self.stream.insights_params(self.since, self.until, self.narrowed)
        with scope(self.stream.name, self.account_id):
            self.run = AdAccount(self.account_id, api=self.api).get_insights(
                fields=self.request_fields, params=params, is_async=True
            )

    def results(self) -> t.Iterator[dict[str, t.Any]]:
        assert self.run is not None
        with scope(self.stream.name, self.account_id):
            cursor = AdReportRun(self.run.get_id(), api=self.api).get_result(
                params={"limit": self.api.page_size}
            )
            for row in cursor:
                yield row.export_all_data()

    def split(self) -> list[ReportJob]:
        if self.since < self.until and self.fields is None:
            middle = self.since + (self.until - self.since) // 2
            return [
                InsightsJob(self.stream, self.context, self.since, middle, self.narrowed),
                InsightsJob(
                    self.stream,
                    self.context,
                    middle + dt.timedelta(days=1),
                    self.until,
                    self.narrowed,
                ),
            ]
        level = self.stream.spec.level
        if self.fields is not None:
            return self._field_halves()
        with scope(self.stream.name, self.account_id):
            if self.narrowed is None and _DEPTH[level] >= 1:
                children = AdAccount(self.account_id, api=self.api).get_campaigns(
                    fields=["id"], params=self.stream.every_status_params(Campaign)
                )
                kind = "campaign"
            elif (
                self.narrowed
                and self.narrowed[0] in _CHILDREN
                and _DEPTH[level] > _DEPTH[self.narrowed[0]]
            ):
                kind, method = _CHILDREN[self.narrowed[0]]
                owner = (Campaign if self.narrowed[0] == "campaign" else AdSet)(
                    self.narrowed[1], api=self.api
                )
                status_class = AdSet if kind == "adset" else Ad
                children = getattr(owner, method)(
                    fields=["id"], params=self.stream.every_status_params(status_class)
                )
            else:
                return self._field_halves()
            ids = [child["id"] for child in children]
        return [
            InsightsJob(self.stream, self.context, self.since, self.until, (kind, i)) for i in ids
        ]

    def _field_halves(self) -> list[ReportJob]:
        """The last split: the same slice twice, each asking for half the fields."""
        parts = halves(self.request_fields, self.stream.join_fields)
        slice_args = (self.stream, self.context, self.since, self.until, self.narrowed)
        return [
            InsightsJob(*slice_args, fields, self.part + str(i)) for i, fields in enumerate(parts)
        ]


class InsightsJobs(JobPlatform):
    """Polls every running job of an account in batch requests of up to 50."""

    def __init__(self, api: GuardedApi, account_id: str, stream_name: str) -> None:
        self.api, self.account_id, self.stream_name = api, account_id, stream_name

    def poll(self, jobs: list[ReportJob]) -> dict[str, JobStatus]:
        statuses: dict[str, JobStatus] = {}
        failures: list[BaseException] = []
        pending = [t.cast(InsightsJob, job) for job in jobs]
        with scope(self.stream_name, self.account_id):
            for start in range(0, len(pending), BATCH_SIZE):
                batch = self.api.new_batch()
                for job in pending[start : start + BATCH_SIZE]:
                    assert job.run is not None
                    batch.add_request(
                        job.run.api_get(fields=STATUS_FIELDS, pending=True),
                        success=lambda response, job=job: statuses.__setitem__(
                            job.key, self._status(response)
                        ),
                        failure=lambda response, job=job: failures.append(self._failure(response)),
                    )
                while batch is not None:  # items Meta did not process come back to resend
                    batch = batch.execute()
        fatal = [f for f in failures if not isinstance(f, RetryableError)]
        if fatal:
            raise fatal[0]
        return statuses

    def _status(self, response: t.Any) -> JobStatus:
        self.api.governor.observe(response.headers(), self.account_id)
        body = response.json()
        state = _STATES.get(body.get("async_status"), JobState.RUNNING)
        message = body.get("error_message") or body.get("async_status") or ""
        # Code 1, "Please reduce the amount of data": restarting the same job cannot help.
        too_large = body.get("error_code") == 1 or "reduce the amount of data" in message
        return JobStatus(
            state, float(body.get("async_percent_completion") or 0), message, too_large
        )

    def _failure(self, response: t.Any) -> BaseException:
        self.api.governor.observe(response.headers(), self.account_id)
        error = response.error()
        if error.api_error_code() == 100 and error.api_error_subcode() == 33:
            # A run just created can be "not found" for a moment: read it again next round.
            return RetryableError(describe(error))
        return classify(error, self.account_id) or error

    def capacity(self) -> int | None:
        used = self.api.governor.insights_throttle.get(self.account_id)
        return 0 if used is not None and used >= THROTTLE_LIMIT else None
