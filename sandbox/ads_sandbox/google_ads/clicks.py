"""`click_view`: one row per click of the world's ad-days, each with its GCLID.

An ad-day's clicks are its `metrics.clicks`, given out one by one over the same exact splits
the reports use (device then network as in `facts.cells`, keywords, countries of presence),
so the clicks of an ad, a device, a keyword or a country on a day are what those reports
count. Google's rules (its field reference): a query filters on one single day, at most
90 days back; only `metrics.clicks` and a few segments go with the resource; clicks of App
campaigns for installs carry no GCLID (the emulator then leaves the resource name out too:
Google's is `{date}~{gclid}`).
"""

from __future__ import annotations

import base64
import hashlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from ads_sandbox.google_ads.entities import (
    DEVICES,
    GEO_TARGETS,
    NETWORKS,
    GoogleEntities,
    Record,
    device_weights,
)
from ads_sandbox.google_ads.facts import time_segment
from ads_sandbox.world import World
from ads_sandbox.world.breakdowns import BREAKDOWN_VALUES, split_vector
from ads_sandbox.world.metrics import CLK

#: Days back a click_view query may reach ("dates back to 90 days before the request").
RETENTION_DAYS = 90
METRICS = frozenset({"metrics.clicks"})
#: The segments Google's field reference lists as usable FROM click_view.
SEGMENTS = frozenset(
    {
        "segments.ad_network_type",
        "segments.click_type",
        "segments.date",
        "segments.device",
        "segments.month_of_year",
        "segments.slot",
    }
)
#: App campaigns (the world's app-install objective): no GCLIDs in click_view.
APP = "MULTI_CHANNEL"
_SEARCH_SLOTS = ("SEARCH_TOP", "SEARCH_TOP", "SEARCH_TOP", "SEARCH_OTHER")
_SLOTS = {"CONTENT": "CONTENT", "YOUTUBE": "MIXED"}
_COUNTRIES = BREAKDOWN_VALUES["country"]


@dataclass(frozen=True, slots=True)
class Click:
    """One click: the ad it went to (its world index) and its click_view and segments."""

    ad_index: int
    campaign_index: int
    record: Record
    segments: dict[str, object]


class Gclids:
    """Stable, unique GCLIDs: a keyed hash of (customer, date, ad, click number), written
    as Google's are (URL-safe base64 of a binary token)."""

    def __init__(self, seed: int) -> None:
        self._key = hashlib.blake2b(f"ads-sandbox|{seed}|gclid".encode(), digest_size=32).digest()

    def __call__(self, customer_id: str, day: date, ad_id: str, number: int) -> str:
        token = hashlib.blake2b(
            f"{customer_id}|{day.isoformat()}|{ad_id}|{number}".encode(),
            digest_size=51,
            key=self._key,
        ).digest()
        return "Cj0KCQ" + base64.urlsafe_b64encode(token).decode().rstrip("=")


def _spread(counts: Sequence[int], values: Sequence[object], rng: random.Random) -> list:
    """counts[i] copies of values[i], shuffled: one value per click."""
    out = [v for v, n in zip(values, counts, strict=True) for _ in range(n)]
    rng.shuffle(out)
    return out


def clicks(world: World, ents: GoogleEntities, gclids: Gclids, day: date) -> Iterator[Click]:
    """Every click of one day of a client account."""
    account = ents.account
    index = account.day_of(day)
    if not 0 <= index < account.days:
        return
    tree = world.entities(account)
    facts = world.facts(account)
    cid = ents.customer["customer.id"]
    for _, ad_index, vector in world.rows(account, index, index):
        total = vector[CLK]
        if not total:
            continue
        ad = tree.ads[ad_index]
        app = ents.campaigns[ad.campaign_index]["campaign.advertising_channel_type"] == APP
        rng = random.Random(f"{world.seed}|{cid}|{day}|{ad.id}")
        by_device = split_vector(
            vector, device_weights(facts.breakdown_weights(ad_index, "device"))
        )
        placement = facts.breakdown_weights(ad_index, "placement")
        pairs = [
            (DEVICES[d], NETWORKS[n])
            for d, piece in enumerate(by_device)
            for n, cell in enumerate(split_vector(piece, placement))
            for _ in range(cell[CLK])
        ]
        rng.shuffle(pairs)
        countries = _spread(
            [p[CLK] for p in split_vector(vector, facts.breakdown_weights(ad_index, "country"))],
            _COUNTRIES,
            rng,
        )
        group = ents.keywords.get(ad.adset_index) if ad_index in ents.ads else None
        keywords: list = [None] * total
        if group:
            pieces = split_vector(vector, [k.weight for k in group])
            keywords = _spread([p[CLK] for p in pieces], group, rng)
        ad_record = ents.ads.get(ad_index)
        for number in range(total):
            device, network = pairs[number]
            geo = f"geoTargetConstants/{GEO_TARGETS[countries[number]]}"
            record: Record = {
                "click_view.area_of_interest.country": geo,
                "click_view.area_of_interest.most_specific": geo,
                "click_view.location_of_presence.country": geo,
                "click_view.location_of_presence.most_specific": geo,
            }
            if not app:
                gclid = gclids(cid, day, ad.id, number)
                record["click_view.gclid"] = gclid
                record["click_view.resource_name"] = f"customers/{cid}/clickViews/{day}~{gclid}"
            if ad_record is not None:
                record["click_view.ad_group_ad"] = ad_record["ad_group_ad.resource_name"]
            keyword = keywords[number]
            if keyword is not None:
                criterion = ents.keyword_records[(ad.adset_index, keyword.index)]
                record["click_view.keyword"] = criterion["ad_group_criterion.resource_name"]
                record["click_view.keyword_info.text"] = keyword.text
                record["click_view.keyword_info.match_type"] = keyword.match_type
            search = network == "SEARCH"
            if search:
                record["click_view.page_number"] = 1 + (rng.random() < 0.08)
            yield Click(
                ad_index,
                ad.campaign_index,
                record,
                {
                    "segments.date": day.isoformat(),
                    "segments.month_of_year": time_segment("segments.month_of_year", day),
                    "segments.device": device,
                    "segments.ad_network_type": network,
                    "segments.slot": rng.choice(_SEARCH_SLOTS) if search else _SLOTS[network],
                    "segments.click_type": (
                        ("SITELINKS" if rng.random() < 0.1 else "URL_CLICKS")
                        if search
                        else "URL_CLICKS"
                    ),
                },
            )
