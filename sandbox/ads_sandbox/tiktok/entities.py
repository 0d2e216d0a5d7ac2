"""`campaign/get/`, `adgroup/get/` and `ad/get/`: listing, filtering, revision edits.

Upgraded Smart+ objects are left out of these listings unless `filtering` asks for them
with `campaign_automation_type` (a public connector reports them missing from the standard
listings; TikTok documents the filter but not its default); `smart_plus/*/get/` list them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from ads_sandbox.tiktok.context import Call
from ads_sandbox.tiktok.envelope import param_error
from ads_sandbox.tiktok.params import filtering_strings, page_info
from ads_sandbox.tiktok.timefmt import money_number, utc_text
from ads_sandbox.tiktok.vocab import (
    AD_FORMAT,
    AGE,
    BID_TYPE,
    BILLING_EVENT,
    BUDGET_MODE,
    LOCATION_IDS,
    OBJECTIVE_TYPE,
    OPTIMIZATION_GOAL,
    PLACEMENT,
    TARGET_GENDER,
)
from ads_sandbox.world.entities import AccountEntities
from ads_sandbox.world.model import Account, Ad, AdSet, Campaign, Touch
from ads_sandbox.world.smart_plus import AccountSmartPlus

Entity = Campaign | AdSet | Ad
PRIMARY_STATUSES = (
    "STATUS_NOT_DELETE",
    "STATUS_ALL",
    "STATUS_DELETE",
    "STATUS_DELIVERY_OK",
    "STATUS_DISABLE",
)
#: `filtering.campaign_automation_type` of the standard listings.
AUTOMATION_TYPES = ("MANUAL", "SMART_PLUS", "UPGRADED_SMART_PLUS")


def operation_status(obj: Entity) -> str:
    return "DISABLE" if "self" in (obj.deleted_by, obj.paused_by) else "ENABLE"


def campaign_secondary(c: Campaign) -> str:
    if c.deleted_by:
        return "CAMPAIGN_STATUS_DELETE"
    return "CAMPAIGN_STATUS_DISABLE" if c.paused_by else "CAMPAIGN_STATUS_ENABLE"


def adgroup_secondary(s: AdSet) -> str:
    if s.deleted_by:
        return (
            "ADGROUP_STATUS_DELETE" if s.deleted_by == "self" else "ADGROUP_STATUS_CAMPAIGN_DELETE"
        )
    if s.paused_by:
        return (
            "ADGROUP_STATUS_DISABLE" if s.paused_by == "self" else "ADGROUP_STATUS_CAMPAIGN_DISABLE"
        )
    return "ADGROUP_STATUS_DELIVERY_OK"


_AD_PARENT = {"self": "", "adset": "ADGROUP_", "campaign": "CAMPAIGN_"}


def ad_secondary(a: Ad) -> str:
    if a.deleted_by:
        return f"AD_STATUS_{_AD_PARENT[a.deleted_by]}DELETE"
    if a.paused_by:
        return f"AD_STATUS_{_AD_PARENT[a.paused_by]}DISABLE"
    return "AD_STATUS_DELIVERY_OK"


def edited_budget(budget: int, touch: Touch | None) -> int:
    """Every revision edit raises a budget by 10% of its base value (budgets are whole tens)."""
    return budget if touch is None else budget * (10 + touch.count) // 10


def edited_text(text: str, touch: Touch | None) -> str:
    return text if touch is None else f"{text} (v{touch.count + 1})"


class _View:
    """What a serializer needs beyond the object: account, tree and the current edits."""

    def __init__(
        self,
        account: Account,
        tree: AccountEntities,
        touches: dict[str, Touch],
        smart: AccountSmartPlus,
    ) -> None:
        self.account = account
        self.tree = tree
        self.touches = touches
        self.smart = smart

    def automation(self, obj: Entity) -> str:
        upgraded = self.smart.is_smart_plus(campaign_index(obj))
        return "UPGRADED_SMART_PLUS" if upgraded else "MANUAL"

    def money(self, minor: int) -> float:
        return money_number(minor, self.account.digits)

    def modified(self, obj: Entity) -> str:
        touch = self.touches.get(obj.id)
        return utc_text(touch.time if touch else obj.modify_time)


def _campaign(v: _View, c: Campaign) -> dict[str, Any]:
    app = c.objective == "app_installs"
    return {
        "advertiser_id": v.account.id,
        "campaign_id": c.id,
        "campaign_name": c.name,
        "campaign_type": "REGULAR_CAMPAIGN",
        "objective_type": OBJECTIVE_TYPE[c.objective],
        "objective": "APP" if app else "LANDING_PAGE",
        "budget": v.money(edited_budget(c.budget, v.touches.get(c.id))),
        "budget_mode": BUDGET_MODE[c.budget_mode],
        "budget_optimize_on": c.budget_mode == "lifetime",
        "operation_status": operation_status(c),
        "secondary_status": campaign_secondary(c),
        "create_time": utc_text(c.create_time),
        "modify_time": v.modified(c),
        "is_new_structure": True,
        "is_smart_performance_campaign": False,
        "campaign_automation_type": v.automation(c),
        "app_promotion_type": "APP_INSTALL" if app else "UNSET",
        "special_industries": [],
        "rf_campaign_type": "STANDARD",
        "roas_bid": 0.0,
        "deep_bid_type": None,
        "bid_type": None,
        "optimization_goal": None,
        "app_id": None,
        "is_search_campaign": False,
        "campaign_app_profile_page_state": "UNSET",
        "po_number": None,
    }


def _adgroup(v: _View, s: AdSet) -> dict[str, Any]:
    camp = v.tree.campaigns[s.campaign_index]
    app = camp.objective == "app_installs"
    return {
        "advertiser_id": v.account.id,
        "campaign_id": camp.id,
        "campaign_name": camp.name,
        "adgroup_id": s.id,
        "adgroup_name": s.name,
        "placement_type": "PLACEMENT_TYPE_AUTOMATIC"
        if s.automatic_placement
        else "PLACEMENT_TYPE_NORMAL",
        "placements": [PLACEMENT[p] for p in s.placements],
        "promotion_type": "APP_ANDROID" if app else "WEBSITE",
        "budget": v.money(edited_budget(s.budget, v.touches.get(s.id))),
        "budget_mode": BUDGET_MODE[s.budget_mode],
        "schedule_type": "SCHEDULE_START_END",
        "schedule_start_time": utc_text(s.create_time),
        "schedule_end_time": utc_text(s.schedule_end),
        "optimization_goal": OPTIMIZATION_GOAL[camp.objective],
        "optimization_event": "SHOPPING" if camp.objective in ("conversions", "sales") else None,
        "bid_type": BID_TYPE[s.bid_strategy],
        "bid_price": v.money(s.bid_amount),
        "conversion_bid_price": 0.0,
        "billing_event": BILLING_EVENT.get(camp.objective, "OCPM"),
        "pacing": "PACING_MODE_SMOOTH",
        "operation_status": operation_status(s),
        "secondary_status": adgroup_secondary(s),
        "age_groups": [AGE[a] for a in s.age_groups],
        "gender": TARGET_GENDER[s.gender],
        "location_ids": [LOCATION_IDS[c] for c in s.countries],
        "audience_ids": list(s.audience_ids),
        "excluded_audience_ids": [],
        "languages": [],
        "operating_systems": [],
        "comment_disabled": False,
        "create_time": utc_text(s.create_time),
        "modify_time": v.modified(s),
        "is_new_structure": True,
        "campaign_automation_type": v.automation(s),
    }


def _ad(v: _View, a: Ad) -> dict[str, Any]:
    adset = v.tree.adsets[a.adset_index]
    camp = v.tree.campaigns[a.campaign_index]
    video = a.format == "video"
    return {
        "advertiser_id": v.account.id,
        "campaign_id": camp.id,
        "campaign_name": camp.name,
        "adgroup_id": adset.id,
        "adgroup_name": adset.name,
        "ad_id": a.id,
        "ad_name": a.name,
        "ad_text": edited_text(a.text, v.touches.get(a.id)),
        "ad_format": AD_FORMAT[a.format],
        "call_to_action": a.call_to_action,
        "landing_page_url": a.landing_page_url,
        "video_id": a.creative_id if video else None,
        "image_ids": [] if video else [a.creative_id],
        "display_name": v.account.company,
        "identity_id": None,
        "identity_type": "CUSTOMIZED_USER",
        "tiktok_item_id": None,
        "is_aco": False,
        "operation_status": operation_status(a),
        "secondary_status": ad_secondary(a),
        "create_time": utc_text(a.create_time),
        "modify_time": v.modified(a),
        "tracking_pixel_id": None,
        "utm_params": [],
    }


@dataclass(frozen=True, slots=True)
class EntityKind:
    status_prefix: str
    objects: Callable[[AccountEntities], Sequence[Entity]]
    serialize: Callable[[_View, Any], dict[str, Any]]
    secondary: Callable[[Any], str]
    secondary_values: tuple[str, ...]
    id_filters: tuple[str, ...]
    name_filter: str | None
    fields: tuple[str, ...]
    #: True for the `smart_plus/*/get/` listings (Upgraded Smart+ objects only).
    smart_plus: bool = False
    max_page_size: int = 1000


def campaign_index(obj: Entity) -> int:
    return obj.index if isinstance(obj, Campaign) else obj.campaign_index


def _parents(tree: AccountEntities, obj: Entity) -> dict[str, str]:
    """The ids an object can be filtered on: its own and its ancestors'."""
    if isinstance(obj, Campaign):
        return {"campaign_ids": obj.id}
    if isinstance(obj, AdSet):
        return {"campaign_ids": tree.campaigns[obj.campaign_index].id, "adgroup_ids": obj.id}
    return {
        "campaign_ids": tree.campaigns[obj.campaign_index].id,
        "adgroup_ids": tree.adsets[obj.adset_index].id,
        "ad_ids": obj.id,
        "smart_plus_ad_ids": obj.id,
    }


def _objective(tree: AccountEntities, obj: Entity) -> str:
    camp = obj if isinstance(obj, Campaign) else tree.campaigns[obj.campaign_index]
    return OBJECTIVE_TYPE[camp.objective]


def _utc_filter(filtering: dict[str, Any], name: str) -> int | None:
    value = filtering.get(name)
    if value is None:
        return None
    try:
        return int(
            datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
        )
    except ValueError:
        raise param_error(
            f"filtering.{name}: Not a valid datetime (YYYY-MM-DD HH:MM:SS)."
        ) from None


def _status_test(kind: EntityKind, filtering: dict[str, Any]) -> Callable[[Any], bool]:
    primary = filtering.get("primary_status")
    secondary = filtering.get("secondary_status")
    if primary is None and secondary is None:
        primary = "STATUS_NOT_DELETE"
    if primary is not None and primary not in PRIMARY_STATUSES:
        raise param_error(
            f"filtering.primary_status: Must be one of: {', '.join(PRIMARY_STATUSES)}."
        )
    prefix = kind.status_prefix
    allowed = (f"{prefix}ALL", f"{prefix}NOT_DELETE", *kind.secondary_values)
    if secondary is not None and secondary not in allowed:
        raise param_error(f"filtering.secondary_status: Must be one of: {', '.join(allowed)}.")

    def test(obj: Entity) -> bool:
        deleted = obj.deleted_by is not None
        if primary == "STATUS_NOT_DELETE" and deleted:
            return False
        if primary == "STATUS_DELETE" and not deleted:
            return False
        if primary == "STATUS_DELIVERY_OK" and (deleted or obj.paused_by):
            return False
        if primary == "STATUS_DISABLE" and (deleted or not obj.paused_by):
            return False
        if secondary is None or secondary == f"{prefix}ALL":
            return True
        if secondary == f"{prefix}NOT_DELETE":
            return not deleted
        if secondary == f"{prefix}DELETE":
            return deleted
        return kind.secondary(obj) == secondary

    return test


def _automation_test(kind: EntityKind, filtering: dict[str, Any]) -> Callable[[bool], bool]:
    """Whether an object is listed, from whether its campaign is Upgraded Smart+."""
    if kind.smart_plus:
        return lambda upgraded: upgraded
    wanted = filtering.get("campaign_automation_type")
    if wanted is None:
        return lambda upgraded: not upgraded
    if wanted not in AUTOMATION_TYPES:
        raise param_error(
            f"filtering.campaign_automation_type: Must be one of: {', '.join(AUTOMATION_TYPES)}."
        )
    if wanted == "UPGRADED_SMART_PLUS":
        return lambda upgraded: upgraded
    # The world has no legacy Smart+ campaigns: SMART_PLUS lists none.
    return lambda upgraded: wanted == "MANUAL" and not upgraded


def list_entities(call: Call, kind: EntityKind) -> web.Response:
    params = call.params
    account = call.advertiser()
    fields = params.string_list("fields")
    unknown = [f for f in fields if f not in kind.fields]
    if unknown:
        raise param_error(f"fields: Invalid field(s): {unknown}.")
    filtering = params.json_object("filtering") or {}
    page, page_size = params.page(kind.max_page_size)
    world = call.emulator.state.world
    tree = world.entities(account)
    smart = world.smart_plus(account)
    listed = _automation_test(kind, filtering)

    id_sets = {}
    for name in kind.id_filters:
        if (values := filtering_strings(filtering, name, 100)) is not None:
            id_sets[name] = set(values)
    status_ok = _status_test(kind, filtering)
    objective = filtering.get("objective_type")
    name_part = str(filtering.get(kind.name_filter) or "").lower() if kind.name_filter else ""
    created_from = _utc_filter(filtering, "creation_filter_start_time")
    created_to = _utc_filter(filtering, "creation_filter_end_time")
    modified_after = _utc_filter(filtering, "modified_after") if kind.smart_plus else None
    touches = tree.touches(world.revision)

    selected = []
    for obj in kind.objects(tree):
        if not listed(smart.is_smart_plus(campaign_index(obj))):
            continue
        if not status_ok(obj):
            continue
        if id_sets:
            ids = _parents(tree, obj)
            if any(ids[name] not in wanted for name, wanted in id_sets.items()):
                continue
        if objective and _objective(tree, obj) != objective:
            continue
        if name_part and name_part not in obj.name.lower():
            continue
        if created_from is not None and obj.create_time < created_from:
            continue
        if created_to is not None and obj.create_time > created_to:
            continue
        if modified_after is not None:
            touch = touches.get(obj.id)
            if (touch.time if touch else obj.modify_time) < modified_after:
                continue
        selected.append(obj)
    selected.sort(key=lambda o: o.id, reverse=True)

    view = _View(account, tree, touches, smart)
    drop_nulls = "NULL_FIELD" in params.string_list("exclude_field_types_in_response")
    rows = []
    for obj in selected[(page - 1) * page_size : page * page_size]:
        row = kind.serialize(view, obj)
        if fields:
            row = {f: row.get(f) for f in fields}
        if drop_nulls:
            row = {k: value for k, value in row.items() if value is not None}
        rows.append(row)
    return call.ok({"list": rows, "page_info": page_info(page, page_size, len(selected))})


CAMPAIGNS = EntityKind(
    status_prefix="CAMPAIGN_STATUS_",
    objects=lambda tree: tree.campaigns,
    serialize=_campaign,
    secondary=campaign_secondary,
    secondary_values=(
        "CAMPAIGN_STATUS_DELETE",
        "CAMPAIGN_STATUS_ENABLE",
        "CAMPAIGN_STATUS_DISABLE",
    ),
    id_filters=("campaign_ids",),
    name_filter="campaign_name",
    fields=(
        "advertiser_id",
        "campaign_id",
        "campaign_name",
        "campaign_type",
        "objective_type",
        "objective",
        "budget",
        "budget_mode",
        "budget_optimize_on",
        "operation_status",
        "secondary_status",
        "create_time",
        "modify_time",
        "is_new_structure",
        "is_smart_performance_campaign",
        "campaign_automation_type",
        "app_promotion_type",
        "special_industries",
        "rf_campaign_type",
        "roas_bid",
        "deep_bid_type",
        "bid_type",
        "optimization_goal",
        "app_id",
        "is_search_campaign",
        "campaign_app_profile_page_state",
        "po_number",
    ),
)
ADGROUPS = EntityKind(
    status_prefix="ADGROUP_STATUS_",
    objects=lambda tree: tree.adsets,
    serialize=_adgroup,
    secondary=adgroup_secondary,
    secondary_values=(
        "ADGROUP_STATUS_DELETE",
        "ADGROUP_STATUS_CAMPAIGN_DELETE",
        "ADGROUP_STATUS_DISABLE",
        "ADGROUP_STATUS_CAMPAIGN_DISABLE",
        "ADGROUP_STATUS_DELIVERY_OK",
    ),
    id_filters=("campaign_ids", "adgroup_ids"),
    name_filter="adgroup_name",
    fields=(
        "advertiser_id",
        "campaign_id",
        "campaign_name",
        "adgroup_id",
        "adgroup_name",
        "placement_type",
        "placements",
        "promotion_type",
        "budget",
        "budget_mode",
        "schedule_type",
        "schedule_start_time",
        "schedule_end_time",
        "optimization_goal",
        "optimization_event",
        "bid_type",
        "bid_price",
        "conversion_bid_price",
        "billing_event",
        "pacing",
        "operation_status",
        "secondary_status",
        "age_groups",
        "gender",
        "location_ids",
        "audience_ids",
        "excluded_audience_ids",
        "languages",
        "operating_systems",
        "comment_disabled",
        "create_time",
        "modify_time",
        "is_new_structure",
        "campaign_automation_type",
    ),
)
ADS = EntityKind(
    status_prefix="AD_STATUS_",
    objects=lambda tree: tree.ads,
    serialize=_ad,
    secondary=ad_secondary,
    secondary_values=(
        "AD_STATUS_DELETE",
        "AD_STATUS_ADGROUP_DELETE",
        "AD_STATUS_CAMPAIGN_DELETE",
        "AD_STATUS_DISABLE",
        "AD_STATUS_ADGROUP_DISABLE",
        "AD_STATUS_CAMPAIGN_DISABLE",
        "AD_STATUS_DELIVERY_OK",
    ),
    id_filters=("campaign_ids", "adgroup_ids", "ad_ids"),
    name_filter="ad_name",
    fields=(
        "advertiser_id",
        "campaign_id",
        "campaign_name",
        "adgroup_id",
        "adgroup_name",
        "ad_id",
        "ad_name",
        "ad_text",
        "ad_format",
        "call_to_action",
        "landing_page_url",
        "video_id",
        "image_ids",
        "display_name",
        "identity_id",
        "identity_type",
        "tiktok_item_id",
        "is_aco",
        "operation_status",
        "secondary_status",
        "create_time",
        "modify_time",
        "tracking_pixel_id",
        "utm_params",
    ),
)


def get_campaigns(call: Call) -> web.Response:
    return list_entities(call, CAMPAIGNS)


def get_adgroups(call: Call) -> web.Response:
    return list_entities(call, ADGROUPS)


def get_ads(call: Call) -> web.Response:
    return list_entities(call, ADS)
