"""Data-quality warnings on the rows written: estimated and stale data, anomalies, missing
days, sums that disagree between levels, accounts without report rows. Each is a warning
in the log and, counted per account, in `unified_run_summary`; no row is changed or
dropped because of one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ads_kit.accounts import RUN_STOPPED

from transform_unified.adapters.base import CAMPAIGN_ROLES, Role
from transform_unified.diagnostics import Diagnostics

#: The sums compared between levels (conversions are left out: platforms attribute them
#: per breakdown and level on their own terms).
COMPARED = ("spend", "impressions", "clicks")
#: Levels checked against the campaign rows of the same campaign and day.
_BELOW_CAMPAIGN = (Role.ADSET_PERFORMANCE, Role.AD_PERFORMANCE, Role.BREAKDOWN_PERFORMANCE)

#: The COMPARED sums of one level, account or campaign, and day, in that order.
Sums = list[Decimal | int]


def _named(sums: Sums) -> str:
    return ", ".join(f"{name} {value}" for name, value in zip(COMPARED, sums, strict=True))


@lru_cache(maxsize=4096)
def _day(text: str) -> date:
    return date.fromisoformat(text)


class QualityChecks:
    """Watches every row written; `finish` reports what needs the whole run."""

    def __init__(self, diagnostics: Diagnostics, stale_after: timedelta, now: datetime) -> None:
        self.diagnostics = diagnostics
        self.stale_after = stale_after
        self.now = now
        self._days: dict[tuple[str, str], set[date]] = defaultdict(set)
        # (role, breakdown or "") -> (platform, account, campaign or "", day) -> sums
        self._sums: dict[tuple[Role, str], dict[tuple[str, str, str, date], Sums]] = {}
        self._failures: dict[tuple[str, str], dict[str, str]] = {}
        self.logger = diagnostics.logger

    def row(self, role: Role, platform: str, row: dict[str, Any], extracted: datetime) -> None:
        """Check one written row (or account-level report row) and remember its sums."""
        account, day = row["account_id"], _day(row["date"])
        campaign = "" if role is Role.ACCOUNT_PERFORMANCE else row["campaign_id"]
        level_key = (role, row.get("breakdown") or "")
        level = self._sums.get(level_key)
        if level is None:
            level = self._sums[level_key] = {}
        key = (platform, account, campaign, day)
        spend, impressions, clicks = row["spend"] or 0, row["impressions"] or 0, row["clicks"] or 0
        sums = level.get(key)
        if sums is None:
            level[key] = [spend, impressions, clicks]
        else:
            sums[0] += spend
            sums[1] += impressions
            sums[2] += clicks
        if role in CAMPAIGN_ROLES:
            self._days[(platform, account)].add(day)
            self._campaign_row(platform, row, extracted)
        # With impressions, no more clicks than impressions and no negative spend, none of
        # the anomalies can be: most rows stop here.
        plain = impressions > 0 and clicks <= impressions and spend >= 0
        if role is not Role.ACCOUNT_PERFORMANCE and not plain:
            self._anomalies(platform, row)

    def _campaign_row(self, platform: str, row: dict[str, Any], extracted: datetime) -> None:
        scope = (platform, row["account_id"])
        if row["is_estimated"]:
            self.diagnostics.warn_once(
                "estimated_data",
                scope,
                "%s account %s: rows from %s on are estimated (recent days, or flagged by the "
                "platform): their conversions may still grow",
                *scope,
                row["date"],
                scope=scope,
            )
        if self.now - extracted > self.stale_after:
            self.diagnostics.warn_once(
                "stale_data",
                scope,
                "%s account %s: data extracted at %s, more than %s before this run",
                *scope,
                extracted.isoformat(),
                self.stale_after,
                scope=scope,
            )

    def _anomalies(self, platform: str, row: dict[str, Any]) -> None:
        spend, impressions = row["spend"], row["impressions"]
        clicks, conversions = row["clicks"], row["conversions"]
        found = []
        if spend is not None and spend < 0:
            found.append(("negative_spend", f"spend {spend}"))
        if clicks is not None and impressions is not None and clicks > impressions:
            found.append(("clicks_exceed_impressions", f"{clicks} clicks, {impressions} imp."))
        # Null impressions or clicks are not reported (TikTok's GMV Max has none): no anomaly.
        if impressions == 0 and ((clicks or 0) > 0 or (spend or 0) > 0):
            found.append(
                ("activity_without_impressions", f"{clicks} clicks, spend {spend}, 0 imp.")
            )
        if (conversions or 0) > 0 and clicks == 0 and impressions == 0:
            found.append(("conversions_without_clicks", f"{conversions} conversions"))
        scope = (platform, row["account_id"])
        for kind, detail in found:
            self.diagnostics.warn_once(
                kind,
                scope,
                "%s account %s: anomaly %s (first: campaign %s on %s: %s)",
                *scope,
                kind.replace("_", " "),
                row["campaign_id"],
                row["date"],
                detail,
                scope=scope,
            )

    def account_failed(self, platform: str, account: str, stream: str, reason: str) -> None:
        """The tap said it could not read `stream` of this account (in its STATE)."""
        self._failures.setdefault((platform, account), {})[stream] = reason

    def finish(self, accounts: Iterable[tuple[str, str]]) -> None:
        """Missing days, level sums that disagree, accounts the tap could not read; those
        without report rows that did not fail had no delivery (logged, not a warning)."""
        for scope, days in sorted(self._days.items()):
            span = (max(days) - min(days)).days + 1
            missing = [
                min(days) + timedelta(n)
                for n in range(span)
                if min(days) + timedelta(n) not in days
            ]
            if missing:
                self.diagnostics.warn_once(
                    "missing_days",
                    scope,
                    "%s account %s: no campaign rows on %d day(s) between %s and %s: %s",
                    *scope,
                    len(missing),
                    min(days),
                    max(days),
                    ", ".join(day.isoformat() for day in missing[:10]),
                    scope=scope,
                    count=len(missing),
                )
        self._partial_data(accounts)
        self._compare_levels()

    def _partial_data(self, accounts: Iterable[tuple[str, str]]) -> None:
        stopped = {platform for platform, account in self._failures if account == RUN_STOPPED}
        for (platform, account), streams in sorted(self._failures.items()):
            reasons = "; ".join(streams[name] for name in sorted(streams))
            if account == RUN_STOPPED:
                message = (
                    f"{platform}: partial data: the tap stopped before the end of its run "
                    f"({reasons}); the accounts it had not finished are incomplete"
                )
            else:
                names = ", ".join(f"stream '{name}'" for name in sorted(streams))
                message = (
                    f"{platform} account {account}: partial data: the tap could not read "
                    f"{names} ({reasons}); this run's rows of the account are incomplete"
                )
            scope = (platform, account)
            self.diagnostics.warn_once("partial_data", scope, message, scope=scope)
        for platform, account in sorted(set(accounts) - set(self._days) - set(self._failures)):
            if platform not in stopped:
                self.logger.info(
                    "%s account %s: no campaign report rows in this run (no delivery in the range)",
                    platform,
                    account,
                )

    def _compare_levels(self) -> None:
        campaigns = self._sums.get((Role.CAMPAIGN_PERFORMANCE, ""), {})
        by_account: dict[tuple[str, str, str, date], Sums] = {}
        for (platform, account, _campaign, day), sums in campaigns.items():
            total = by_account.setdefault((platform, account, "", day), [0, 0, 0])
            for index, value in enumerate(sums):
                total[index] += value
        checks = [(key, by_account) for key in self._sums if key[0] is Role.ACCOUNT_PERFORMANCE]
        checks += [(key, campaigns) for key in self._sums if key[0] in _BELOW_CAMPAIGN]
        for (role, breakdown), reference in checks:
            level = breakdown or role.value.removesuffix("_performance")
            # Campaigns without rows at that level are not compared: the level was not
            # read for their account, or the platform has none for them (a Google Ads
            # Performance Max campaign has no ad groups, so no age or gender views).
            present = {key[:3] for key in self._sums[(role, breakdown)]}
            for key, sums in sorted(reference.items()):
                if key[:3] not in present:
                    continue
                other = self._sums[(role, breakdown)].get(key)
                if other != sums:
                    got = other or [0] * len(COMPARED)
                    self.diagnostics.warn_once(
                        "level_sums_disagree",
                        (key[:2], level),
                        "%s account %s: %s rows do not add up to the %s rows (first: %s on %s: "
                        "%s against %s)",
                        key[0],
                        key[1],
                        level,
                        "account" if role is Role.ACCOUNT_PERFORMANCE else "campaign",
                        key[2] or "the account",
                        key[3],
                        _named(got),
                        _named(sums),
                        scope=key[:2],
                    )
