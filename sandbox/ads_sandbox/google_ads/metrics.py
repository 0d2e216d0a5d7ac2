"""Google Ads metrics of a cell vector (counts as integers, money in micros, rates as doubles)."""

from __future__ import annotations

from ads_sandbox.world.metrics import CLK, CONV, FOLLOWS, IMP, SHARES, SPEND, VALUE, VIDEO


def metric_values(vector: list[int], digits: int) -> dict[str, object]:
    imp, clk = vector[IMP], vector[CLK]
    cost = vector[SPEND] * 10 ** (6 - digits)
    conv = float(vector[CONV])
    value = vector[VALUE] / 10**digits
    out: dict[str, object] = {
        "metrics.impressions": imp,
        "metrics.clicks": clk,
        "metrics.cost_micros": cost,
        "metrics.conversions": conv,
        "metrics.conversions_value": value,
        "metrics.all_conversions": conv + vector[SHARES],
        "metrics.all_conversions_value": value,
        "metrics.view_through_conversions": vector[FOLLOWS],
        "metrics.interactions": clk,
        "metrics.engagements": vector[SHARES],
        "metrics.video_trueview_views": vector[VIDEO],
        "metrics.video_views": vector[VIDEO],
        "metrics.ctr": clk / imp if imp else 0.0,
        "metrics.interaction_rate": clk / imp if imp else 0.0,
        "metrics.average_cpc": cost / clk if clk else 0.0,
        "metrics.average_cost": cost / clk if clk else 0.0,
        "metrics.average_cpm": cost * 1000 / imp if imp else 0.0,
        "metrics.cost_per_conversion": cost / conv if conv else 0.0,
        "metrics.conversions_from_interactions_rate": conv / clk if clk else 0.0,
        "metrics.value_per_conversion": value / conv if conv else 0.0,
    }
    return out
