"""The `click_view` stream: one record per click, with its GCLID, to match offline
conversions back to their clicks.

Google's rules for the resource: a query filters on one single day, and reaches 90 days
back at most. So the stream reads one day per query, and a start older than that is moved
up to the oldest day Google still has, with a warning naming the setting. Clicks without a
GCLID are counted in a warning, not loaded. Off by default: it is one record per click
(thousands a day per account).
"""

from __future__ import annotations

import datetime as dt
import typing as t
from collections.abc import Iterable

from ads_kit.report_plan import ReportPlan
from ads_kit.timezones import account_today

from tap_google_ads.report_specs import DATE, ReportSpec
from tap_google_ads.reports import ReportStream

#: Days back Google answers click_view queries for (today minus 90 is the oldest).
RETENTION_DAYS = 90
SPEC = ReportSpec(
    "click_view",
    "click_view",
    ("click_view.gclid",),
    (
        "campaign.id",
        "ad_group.id",
        "click_view.ad_group_ad",
        "click_view.keyword",
        "click_view.keyword_info.text",
        "click_view.keyword_info.match_type",
        "click_view.page_number",
        "click_view.area_of_interest.country",
        "click_view.area_of_interest.region",
        "click_view.area_of_interest.metro",
        "click_view.area_of_interest.city",
        "click_view.area_of_interest.most_specific",
        "click_view.location_of_presence.country",
        "click_view.location_of_presence.region",
        "click_view.location_of_presence.metro",
        "click_view.location_of_presence.city",
        "click_view.location_of_presence.most_specific",
        "click_view.campaign_location_target",
        "click_view.user_list",
        "segments.device",
        "segments.ad_network_type",
        "segments.click_type",
        "segments.slot",
    ),
    (DATE,),
    ("metrics.clicks",),
    "click_view",
    "catalog selection of click_view",
)


class ClickViewStream(ReportStream):
    """`click_view` for every client customer, a day per query, incremental on the date."""

    window_days = 1

    def __init__(self, tap: t.Any) -> None:
        super().__init__(tap, SPEC)
        self.selected_by_default = False  # a record per click: asked for in the catalog

    def plan(self, context: t.Any) -> ReportPlan:
        plan = super().plan(context)
        account = self.account(context)
        oldest = account_today(account.timezone) - dt.timedelta(days=RETENTION_DAYS)
        if plan.start >= oldest:
            return plan
        self.logger.warning(
            "click_view, customer %s: Google keeps clicks for %d days; %s asks for %s, so "
            "the customer is read from %s on.",
            account.id, RETENTION_DAYS, self._start_setting(plan), plan.start, oldest,
        )  # fmt: skip
        return ReportPlan(oldest, plan.end, f"{plan.reason}, clamped to {RETENTION_DAYS} days")

    def _window(self, customer: str, start: dt.date | None, end: dt.date | None) -> Iterable[dict]:
        """The day's clicks; those without a GCLID (Google gives none for App campaigns for
        installs and pre-registration) cannot be keyed or matched: counted in a warning."""
        rows = list(super()._window(customer, start, end))
        kept = [row for row in rows if row.get("click_view__gclid")]
        if len(kept) < len(rows):
            self.logger.warning(
                "click_view, customer %s, %s: %d click(s) without a GCLID (App campaigns for "
                "installs or pre-registration) not loaded; %d loaded.",
                customer, start, len(rows) - len(kept), len(kept),
            )  # fmt: skip
        return kept

    def _start_setting(self, plan: ReportPlan) -> str:
        if "bookmark" in plan.reason:
            return "the saved bookmark (minus insights_lookback_days)"
        date_range = self.config.get("date_range") or {}
        if date_range.get("type"):
            return f"setting 'date_range' ({date_range['type']})"
        return "setting 'start_date'"
