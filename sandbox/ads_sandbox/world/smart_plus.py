"""TikTok's Upgraded Smart+ campaigns (TikTok only): which campaigns of the tree are
Upgraded Smart+, and the creatives of their ads.

An Upgraded Smart+ ad (TikTok's "asset group") carries several creatives; TikTok's report
groups its rows by ad under `ad_id_v2` and by creative under `ad_id`. The ad's daily numbers
are the world's; a creative's are an exact share of them (weights fixed per creative), so
the creatives of an ad sum to the ad and totals never move.
"""

from __future__ import annotations

from dataclasses import dataclass

from ads_sandbox.world.entities import AccountEntities
from ads_sandbox.world.hashing import Hasher
from ads_sandbox.world.ids import IdMaker
from ads_sandbox.world.model import Account

#: Creatives per Upgraded Smart+ ad: 2 to 4 (TikTok allows up to 50).
MIN_CREATIVES, CREATIVE_SPREAD = 2, 3


@dataclass(frozen=True, slots=True)
class Creative:
    id: str
    ad_index: int
    weight: int
    format: str  # "video" | "image"


class AccountSmartPlus:
    """One campaign of every account with two or more is Upgraded Smart+ (which one comes
    from the seed), with all its ad groups and ads."""

    def __init__(
        self, account: Account, tree: AccountEntities, hasher: Hasher, enabled: bool
    ) -> None:
        n = len(tree.campaigns) if enabled else 0
        chosen = hasher.of("smart_plus", account.index) % n if n >= 2 else None
        self.campaigns = frozenset(() if chosen is None else (chosen,))
        ids = IdMaker(hasher, "tiktok")
        #: Per ad index (Upgraded Smart+ ads only), its creatives in a fixed order.
        self.creatives: dict[int, tuple[Creative, ...]] = {}
        for ad in tree.ads:
            if ad.campaign_index not in self.campaigns:
                continue
            h = hasher.of("smart_plus_creatives", account.index, ad.index)
            count = MIN_CREATIVES + h % CREATIVE_SPREAD
            self.creatives[ad.index] = tuple(
                Creative(
                    id=ids.make("smart_plus_creative", account.index, ad.index, k),
                    ad_index=ad.index,
                    weight=1 + (h >> (8 * (k + 1))) % 7,
                    format=ad.format if k == 0 else ("image", "video")[(h >> (4 + k)) % 2],
                )
                for k in range(count)
            )

    def is_smart_plus(self, campaign_index: int) -> bool:
        return campaign_index in self.campaigns
