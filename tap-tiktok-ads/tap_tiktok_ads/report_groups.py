"""Multi-advertiser reports: one synchronous report over up to five advertisers
(`advertiser_ids`), for agencies with many small advertisers.

TikTok then returns each row's `advertiser_id`, `currency` and `timezone` in its metrics,
dates in each advertiser's own timezone, money without padding decimals ("100" for 100.00).
The tap never sends `multi_adv_report_in_utc_time`: it would bucket the rows by UTC days,
and report days are account-local days.
A group is read only where that is exact: advertisers whose report plans span the same local
dates, none with an interrupted run to resume, and together at most `GROUP_MAX_ROWS` rows
(the others' rows wait in memory for their turn). A group TikTok refuses (advertisers of
different TikTok for Business users), truncates (20,000 ads together) or finds too large is
read one advertiser at a time instead, with a log line saying why.
"""

from __future__ import annotations

import typing as t

from ads_kit.errors import AccountAccessError, InvalidRequestError

from tap_tiktok_ads.client import body_of, read_ahead

if t.TYPE_CHECKING:
    from ads_kit.report_plan import ReportPlan

    from tap_tiktok_ads.reports import ReportStream

#: Rows one group may hold in memory while its first advertiser's rows are emitted.
GROUP_MAX_ROWS = 20_000
MAX_GROUP = 5
#: What TikTok adds to the metrics of a multi-advertiser row.
ADDED_METRICS = ("advertiser_id", "currency", "timezone")


class GroupRefused(Exception):
    """This group is read one advertiser at a time."""


class ReportGroups:
    """One report stream's groups: which advertisers go together, and the rows read for
    advertisers whose turn has not come."""

    def __init__(self, stream: ReportStream) -> None:
        self.stream = stream
        self.size = min(MAX_GROUP, int(stream.config.get("advertisers_per_report", MAX_GROUP)))
        self.pending: dict[str, list[dict]] = {}
        self.started: set[str] = set()  # advertisers this run has read or grouped
        self.solo: set[str] = set()  # advertisers a refused group named
        #: Why the last group was read together, for each member's log line.
        self.reason = ""
        #: In auto mode a job of async_report_min_rows goes to report tasks, never a group.
        self.max_rows = GROUP_MAX_ROWS
        if stream.config["report_mode"] == "auto":
            self.max_rows = min(GROUP_MAX_ROWS, int(stream.config["async_report_min_rows"]) - 1)

    def members(self, context: t.Any, plan: ReportPlan) -> list[str]:
        """The advertisers to read with this one: itself first, then up to four more."""
        stream = self.stream
        account_id = context["account_id"]
        self.started.add(account_id)
        if self.size < 2 or account_id in self.solo or stream.config["report_mode"] == "async":
            return [account_id]
        if stream.finished_slices(context):
            return [account_id]  # an interrupted run resumes slice by slice
        group = [account_id]
        for account in stream._tap.accounts:
            if len(group) == self.size:
                break
            other = {"account_id": account.id}
            if (
                account.id in self.started
                or account.id in self.solo
                or stream.finished_slices(other)
            ):
                continue
            other_plan = stream.plan(other)
            if (other_plan.start, other_plan.end) == (plan.start, plan.end):
                group.append(account.id)
        return group

    def read(self, group: list[str], plan: ReportPlan) -> list[dict]:
        """Every row of the group's plan, the first advertiser's returned, the others' kept
        for their turn. Raises GroupRefused (nothing kept) when the group cannot be read."""
        stream = self.stream
        by_advertiser: dict[str, list[dict]] = {advertiser: [] for advertiser in group}
        rows = 0
        try:
            for start, end in plan.windows(stream.spec.window_days):
                query = stream.report_query(group[0], start, end)
                del query["advertiser_id"]
                query["advertiser_ids"] = group
                check = stream.totals_check(counts_only=True)
                totals: dict | None = {} if check else None
                for item in self._pages(query, group, rows, totals):
                    metrics = item["metrics"]
                    advertiser = str(metrics.get("advertiser_id"))
                    if advertiser not in by_advertiser:
                        raise GroupRefused(f"a row names advertiser {advertiser!r}")
                    for name in ADDED_METRICS:
                        if name not in stream.spec.metrics:
                            metrics.pop(name, None)
                    context = {"account_id": advertiser}
                    record = stream.to_record(item["dimensions"], metrics, context)
                    by_advertiser[advertiser].append(record)
                    if check:
                        check.add(record)
                    rows += 1
                if check:
                    where = f"{stream.name}, advertisers {', '.join(group)}, {start} to {end}"
                    check.warn(totals, stream.logger, where)
        except GroupRefused:
            self.solo.update(group)
            raise
        self.started.update(group)
        for advertiser in group[1:]:
            self.pending[advertiser] = by_advertiser[advertiser]
        return by_advertiser[group[0]]

    def _pages(
        self, query: dict, group: list[str], rows_so_far: int, totals: dict | None
    ) -> t.Iterable[dict]:
        """The group's rows; with `totals`, asks for TikTok's and puts them there."""
        stream = self.stream
        context = {"account_id": group[0]}
        first = self._page(
            {**query, "enable_total_metrics": True} if totals is not None else query, 1, context
        )
        if totals is not None:
            totals.update(first["data"].get("total_metrics") or {})
        info = first["data"].get("page_info") or {}
        total = int(info.get("total_number", 0))
        if rows_so_far + total > self.max_rows:
            raise GroupRefused(
                f"{rows_so_far + total:,} rows, more than the {self.max_rows:,} a group may hold"
            )
        bodies = read_ahead(
            first,
            lambda page: self._page(query, page, context),
            stream._tap.rate_limits.concurrent_requests,
        )
        for body in bodies:
            yield from body["data"].get("list") or []

    def _page(self, query: dict, page: int, context: t.Any) -> dict:
        stream = self.stream
        try:
            response = stream.call(
                stream.path, context, params={**query, "page": page, "page_size": stream.page_size}
            )
        except (InvalidRequestError, AccountAccessError) as error:
            raise GroupRefused(f"TikTok refused the group: {error}") from error
        if response.headers.get("X-Tt-Ads-Throttle"):
            raise GroupRefused("the group has 20,000 ads or more")
        return body_of(response)
