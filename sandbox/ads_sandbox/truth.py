"""What a correct extraction must load: per account and local date totals of the world."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import orjson

from ads_sandbox.money import format_minor, to_decimal
from ads_sandbox.world import DEFAULT_SCALE, Scale, World
from ads_sandbox.world.metrics import CLK, CONV, IMP, N_COLUMNS, SPEND, VALUE


def _daily_totals(world: World, gmv_max: bool) -> Iterator[tuple[Any, date, list[int]]]:
    for account in world.accounts:
        totals: dict[int, list[int]] = {}
        for day, _, vector in world.rows(account):
            acc = totals.get(day)
            if acc is None:
                totals[day] = vector
            else:
                for i in range(N_COLUMNS):
                    acc[i] += vector[i]
        # GMV Max campaigns: cost, orders and gross revenue, no impressions or clicks.
        for row in world.gmv_max_rows(account) if gmv_max else ():
            acc = totals.setdefault(row.day, [0] * N_COLUMNS)
            acc[SPEND] += row.cost
            acc[CONV] += row.orders
            acc[VALUE] += row.gross_revenue
        for day in sorted(totals):
            yield account, account.date_at(day), totals[day]


def truth_rows(
    platform: str,
    seed: int = 1,
    scale: Scale | str = DEFAULT_SCALE,
    end_date: date | None = None,
    revision: int = 0,
    gmv_max: bool = True,
) -> list[dict[str, Any]]:
    """One dict per account x local date with delivery; money as Decimal in major units.
    `gmv_max=False` leaves TikTok's GMV Max campaigns out: what `report/integrated/get`
    reports."""
    world = World(platform, seed, scale, end_date, revision)
    return [
        {
            "platform": platform,
            "account_id": account.id,
            "date": day.isoformat(),
            "spend": to_decimal(v[SPEND], account.digits),
            "impressions": v[IMP],
            "clicks": v[CLK],
            "conversions": v[CONV],
            "conversion_value": to_decimal(v[VALUE], account.digits),
            "currency": account.currency,
            "timezone": account.timezone,
        }
        for account, day, v in _daily_totals(world, gmv_max)
    ]


def truth_lines(
    platform: str,
    seed: int = 1,
    scale: Scale | str = DEFAULT_SCALE,
    end_date: date | None = None,
    revision: int = 0,
    gmv_max: bool = True,
) -> Iterator[str]:
    """JSON lines with money written as exact numbers carrying the currency's decimals."""
    world = World(platform, seed, scale, end_date, revision)
    for account, day, v in _daily_totals(world, gmv_max):
        head = orjson.dumps(
            {"platform": platform, "account_id": account.id, "date": day.isoformat()}
        ).decode()
        tail = orjson.dumps({"currency": account.currency, "timezone": account.timezone}).decode()
        yield (
            f"{head[:-1]},"
            f'"spend":{format_minor(v[SPEND], account.digits)},'
            f'"impressions":{v[IMP]},"clicks":{v[CLK]},"conversions":{v[CONV]},'
            f'"conversion_value":{format_minor(v[VALUE], account.digits)},'
            f"{tail[1:]}"
        )
