"""Builds one account's campaigns, ad sets, ads and audiences, and their per-revision edits."""

from __future__ import annotations

from ads_sandbox.world.breakdowns import BREAKDOWN_VALUES
from ads_sandbox.world.hashing import Hasher
from ads_sandbox.world.ids import IdMaker
from ads_sandbox.world.model import Account, Ad, AdSet, Audience, Campaign, Touch
from ads_sandbox.world.scale import Scale

OBJECTIVES = (
    "conversions",
    "traffic",
    "conversions",
    "app_installs",
    "reach",
    "video_views",
    "lead_generation",
    "sales",
    "engagement",
)
CALLS_TO_ACTION = ("LEARN_MORE", "SHOP_NOW", "SIGN_UP", "DOWNLOAD", "CONTACT_US", "APPLY_NOW")
AUDIENCE_KINDS = (
    "customer_file",
    "engagement",
    "lookalike",
    "website",
    "app_activity",
    "lookalike",
)
TARGET_COUNTRIES = ("US", "GB", "DE", "JP", "BR", "NZ", "CA", "AU")

_THEMES = {
    "en": (
        "Spring Sale",
        "Evergreen",
        "Retargeting",
        "Prospecting",
        "Brand Lift",
        "Holiday Push",
        "New Arrivals",
        "Clearance",
    ),
    "ja": (
        "春のセール",
        "定番商品",
        "リターゲティング",
        "新規顧客",
        "ブランド認知",
        "年末キャンペーン",
        "新商品",
        "在庫一掃",
    ),
    "de": (
        "Frühjahrs-Sale",
        "Dauerbrenner",
        "Retargeting",
        "Neukunden",
        "Markenbekanntheit",
        "Weihnachtsaktion",
        "Neuheiten",
        "Räumungsverkauf",
    ),
    "pt": (
        "Liquidação",
        "Sempre Ativo",
        "Remarketing",
        "Novos Clientes",
        "Reconhecimento",
        "Black Friday",
        "Lançamentos",
        "Queima de Estoque",
    ),
}
_AD_TEXTS = {
    "en": ("Free shipping, today only!", 'Our "best" deal yet', "New drop: 20% off 🎉", "Tap in"),
    "ja": ("今だけ送料無料", "人気No.1アイテム", "新作20%オフ 🎉", "詳しくはこちら"),
    "de": (
        "Versandkostenfrei, nur heute!",
        "Unser „bestes“ Angebot",
        "Neu: 20 % Rabatt 🎉",
        "Mehr",
    ),
    "pt": ("Frete grátis, só hoje!", 'Nossa "melhor" oferta', "Novidade: 20% off 🎉", "Saiba mais"),
}
_AUDIENCE_NAMES = {
    "customer_file": "CRM customers",
    "engagement": "Video engagers 30d",
    "lookalike": "Lookalike",
    "website": "Site visitors 14d",
    "app_activity": "App openers 30d",
}

DAY = 86_400
_REVISION_STEP = 600  # seconds between the edit times of consecutive revisions


class AccountEntities:
    """The object tree of one account; base values never change, edits come from touches()."""

    def __init__(
        self,
        account: Account,
        campaigns: list[Campaign],
        adsets: list[AdSet],
        ads: list[Ad],
        audiences: list[Audience],
        hasher: Hasher,
    ) -> None:
        self.account = account
        self.campaigns = campaigns
        self.adsets = adsets
        self.ads = ads
        self.audiences = audiences
        self._hasher = hasher
        self._touches: dict[int, dict[str, Touch]] = {0: {}}

    def touches(self, revision: int) -> dict[str, Touch]:
        """Objects edited by the revision advances 1..revision."""
        if revision not in self._touches:
            previous = dict(self.touches(revision - 1))
            for object_id, when in self._edited_at(revision):
                old = previous.get(object_id)
                previous[object_id] = Touch((old.count if old else 0) + 1, when)
            self._touches[revision] = previous
        return self._touches[revision]

    def _edited_at(self, revision: int) -> list[tuple[str, int]]:
        h = self._hasher
        base = self.account.window_end - DAY + revision * _REVISION_STEP
        edited: list[tuple[str, int]] = []
        groups = (
            (
                "campaign",
                [c for c in self.campaigns if c.deleted_by is None],
                1 + h.of("rev", revision) % 2,
            ),
            ("adset", [s for s in self.adsets if s.deleted_by is None], 2),
            ("ad", [a for a in self.ads if a.deleted_by is None], 3),
        )
        for kind, alive, count in groups:
            for n in range(min(count, len(alive))):
                pick = alive[h.of("rev", revision, kind, n) % len(alive)]
                edited.append((pick.id, base + h.of("rev-time", revision, pick.id) % 300))
        return edited


def _pick(seq: tuple[str, ...], h: int) -> str:
    return seq[h % len(seq)]


def _choose_deleted(count: int, candidates: list[int], hasher: Hasher, kind: str) -> set[int]:
    ranked = sorted(candidates, key=lambda i: hasher.of("deleted", kind, i))
    return set(ranked[:count])


def _money_tens(usd_tens: int, account: Account) -> int:
    """usd_tens x $10 in the account currency, rounded to whole tens, as minor units."""
    unit = 10**account.digits
    cents = usd_tens * 1000
    tens = max(1, int(cents * account.profile.minor_per_usd_cent) // (10 * unit))
    return tens * 10 * unit


def build_entities(
    hasher: Hasher, platform: str, account: Account, scale: Scale
) -> AccountEntities:
    ids = IdMaker(hasher, platform)
    a = account.index
    lang = account.profile.language
    themes = _THEMES[lang]
    texts = _AD_TEXTS[lang]
    limit = max(account.window_start + 3600, account.window_end - DAY)
    span = limit - account.window_start

    audiences: list[Audience] = []
    for i in range(max(4, min(50, 3 + scale.campaigns))):
        kind = AUDIENCE_KINDS[i % len(AUDIENCE_KINDS)]
        seeds = [x for x in audiences if x.kind != "lookalike"]
        source = (
            seeds[hasher.of("lal", a, i) % len(seeds)].id if kind == "lookalike" and seeds else None
        )
        created = account.window_start + hasher.of("aud-c", a, i) % span
        audiences.append(
            Audience(
                index=i,
                id=ids.make("audience", a, i),
                name=f"{_AUDIENCE_NAMES[kind]} {i + 1}",
                kind=kind,
                source_audience_id=source,
                size=1000 * (50 + hasher.of("aud-size", a, i) % 5000),
                create_time=created,
                modify_time=created + hasher.of("aud-m", a, i) % max(1, limit - created),
            )
        )

    n_camp = scale.campaigns
    deleted_campaigns = round(0.1 * n_camp) or (1 if n_camp >= 3 else 0)
    camp_deleted = _choose_deleted(deleted_campaigns, list(range(n_camp)), hasher, f"c{a}")
    campaigns: list[Campaign] = []
    for c in range(n_camp):
        h = hasher.of("campaign", a, c)
        objective = _pick(OBJECTIVES, h)
        created = account.window_start + (h >> 8) % max(1, span // 2)
        campaigns.append(
            Campaign(
                index=c,
                id=ids.make("campaign", a, c),
                name=f"{_pick(themes, h >> 16)} · {objective.replace('_', ' ')} #{c + 1:02d}",
                objective=objective,
                budget_mode="daily" if (h >> 24) % 4 else "lifetime",
                budget=_money_tens(5 + (h >> 32) % 200, account),
                deleted_by="self" if c in camp_deleted else None,
                paused_by="self" if (h >> 40) % 10 == 0 else None,
                create_time=created,
                modify_time=created + (h >> 48) % max(1, limit - created),
            )
        )

    adsets: list[AdSet] = []
    n_sets = n_camp * scale.adsets
    live_sets = [i for i in range(n_sets) if campaigns[i // scale.adsets].deleted_by is None]
    set_deleted = _choose_deleted(round(0.03 * n_sets), live_sets, hasher, f"s{a}")
    for s in range(n_sets):
        camp = campaigns[s // scale.adsets]
        h = hasher.of("adset", a, s)
        created = min(limit, camp.create_time + h % DAY)
        auto = (h >> 20) % 3 == 0
        placements = BREAKDOWN_VALUES["placement"]
        if not auto:
            placements = placements[: 1 + (h >> 22) % len(placements)]
        ages = BREAKDOWN_VALUES["age"]
        first_age = 1 + (h >> 26) % 3
        country_count = 1 + (h >> 30) % 3
        start = TARGET_COUNTRIES.index(account.profile.country)
        countries = tuple(
            TARGET_COUNTRIES[(start + k) % len(TARGET_COUNTRIES)] for k in range(country_count)
        )
        audience_ids = tuple(
            audiences[(h >> (34 + 4 * k)) % len(audiences)].id for k in range((h >> 33) % 3)
        )
        manual = (h >> 44) % 3 == 0
        adsets.append(
            AdSet(
                index=s,
                campaign_index=camp.index,
                id=ids.make("adset", a, s),
                name=f"{camp.name} / {'Auto' if auto else 'Manual'} {s % scale.adsets + 1}",
                budget_mode="daily" if (h >> 46) % 5 else "lifetime",
                budget=_money_tens(2 + (h >> 48) % 80, account),
                bid_strategy="manual" if manual else "auto",
                bid_amount=int(((h >> 56) % 280 + 20) * account.profile.minor_per_usd_cent)
                if manual
                else 0,
                placements=placements,
                automatic_placement=auto,
                age_groups=tuple(dict.fromkeys(ages[first_age : first_age + 3])),
                gender=("all", "all", "female", "male")[(h >> 64) % 4],
                countries=countries,
                audience_ids=tuple(dict.fromkeys(audience_ids)),
                deleted_by="campaign"
                if camp.deleted_by
                else ("self" if s in set_deleted else None),
                paused_by="campaign"
                if camp.paused_by
                else ("self" if (h >> 68) % 12 == 0 else None),
                create_time=created,
                modify_time=created + (h >> 72) % max(1, limit - created),
                schedule_end=account.window_end + (30 + (h >> 80) % 300) * DAY,
            )
        )

    ads: list[Ad] = []
    n_ads = n_sets * scale.ads
    live_ads = [i for i in range(n_ads) if adsets[i // scale.ads].deleted_by is None]
    ad_deleted = _choose_deleted(round(0.03 * n_ads), live_ads, hasher, f"a{a}")
    for i in range(n_ads):
        adset = adsets[i // scale.ads]
        h = hasher.of("ad", a, i)
        created = min(limit, adset.create_time + h % (DAY // 2))
        video = (h >> 18) % 4 != 0
        if adset.deleted_by:
            deleted_by = "campaign" if adset.deleted_by == "campaign" else "adset"
        else:
            deleted_by = "self" if i in ad_deleted else None
        if adset.paused_by:
            paused_by = "campaign" if adset.paused_by == "campaign" else "adset"
        else:
            paused_by = "self" if (h >> 20) % 15 == 0 else None
        ads.append(
            Ad(
                index=i,
                adset_index=adset.index,
                campaign_index=adset.campaign_index,
                id=ids.make("ad", a, i),
                name=f"{'Video' if video else 'Image'} ad {i % scale.ads + 1} · {adset.name}",
                text=_pick(texts, h >> 24),
                format="video" if video else "image",
                call_to_action=_pick(CALLS_TO_ACTION, h >> 28),
                landing_page_url=f"https://shop.example.com/p/{(h >> 32) % 100000}?utm_source=ads",
                creative_id=f"{'v1' if video else 'ad-image/'}{(h >> 48) % 16**20:020x}",
                deleted_by=deleted_by,
                paused_by=paused_by,
                create_time=created,
                modify_time=created + (h >> 64) % max(1, limit - created),
            )
        )
    return AccountEntities(account, campaigns, adsets, ads, audiences, hasher)
