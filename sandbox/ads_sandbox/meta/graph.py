"""The Graph API's nodes and edges over the world: what a call asks, what it answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

import orjson

from ads_sandbox.meta import catalog
from ads_sandbox.meta import objects as o
from ads_sandbox.meta.errors import (
    ASYNC_REPORT,
    INVALID_PARAMETER,
    PERMISSION_MISSING,
    REDUCE_DATA,
    SERVICE_UNAVAILABLE,
    UNKNOWN,
    GraphError,
    invalid,
    nonexisting_field,
    unsupported_get,
)
from ads_sandbox.meta.insights import InsightsEngine, InsightsQuery, parse_query
from ads_sandbox.meta.jobs import TOO_LARGE, JobStore
from ads_sandbox.meta.objects import (
    DEFAULT_FIELDS,
    EDGES,
    STATUS_EDGES,
    View,
    account_node,
    bare,
)
from ads_sandbox.meta.params import (
    decode_cursor,
    encode_cursor,
    field_list,
    filter_nodes,
    json_param,
    limit_of,
    page,
    parse_filtering,
    project,
    string_list,
)
from ads_sandbox.meta.usage import UsageMeter, use_case
from ads_sandbox.state import SandboxState
from ads_sandbox.world import Account

Node = dict[str, Any]
USER_ID = "10000000000000001"
EDGE_ENTITY = {"campaigns": "campaign", "adsets": "adset", "ads": "ad",
               "customaudiences": "customaudience", "adcreatives": "adcreative"}  # fmt: skip
# Live insights fields the deprecated_field fault retires (as a new version retires fields):
# siblings of fields Meta already retired, and not modelled by the world, so a client that
# drops them loads exactly what a clean run loads.
FAULT_RETIRED_FIELDS = (
    "estimated_ad_recallers",
    "estimated_ad_recall_rate",
    "cost_per_estimated_ad_recallers",
)
assert set(FAULT_RETIRED_FIELDS) <= catalog.INSIGHTS_FIELDS - catalog.RETIRED_INSIGHTS_FIELDS
#: Async queries per ad account a day that keep reach, frequency and cpp with breakdowns past
#: 13 months (Insights best practices). `x-fb-ads-insights-reach-throttle` reports their use;
#: its shape is not in the sources: in percent like `x-fb-ads-insights-throttle` (our guess).
REACH_JOBS_PER_DAY = 10
REACH_FIELDS = frozenset({"reach", "frequency", "cpp"})
#: An audience's `rule` (a JSON document) weighs on a page like this many fields: asking for
#: it "often" gives code 1 "Please reduce the amount of data" (Airbyte and MeltanoLabs left
#: it out for that); at the default bound, pages up to about 100 audiences pass.
RULE_CELLS = 1000
INSIGHTS_DEFAULT_FIELDS = ("impressions", "spend", "date_start", "date_stop")


@dataclass(slots=True)
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    version: str | None = None


class Graph:
    def __init__(self, state: SandboxState, settings: Any, usage: UsageMeter) -> None:
        self.state = state
        self.world = state.world
        self.settings = settings
        self.usage = usage
        self.insights = InsightsEngine(state.world)
        self.jobs = JobStore(settings.jobs)
        self._index: dict[str, tuple[str, Account, Any]] | None = None
        self._sync_timeouts = 0
        self._reach_jobs: dict[tuple[str, date], int] = {}

    # -- helpers -----------------------------------------------------------------------

    def _view(self, account: Account) -> View:
        tree = self.world.entities(account)
        return View(account, tree, tree.touches(self.world.revision))

    def _account(self, node_id: str) -> Account:
        account = self.world.account(node_id)
        if account is None:
            if node_id.startswith("act_"):
                raise GraphError(
                    PERMISSION_MISSING,
                    f"(#200) Ad account owner has NOT grant ads_management or ads_read permission"
                    f" on {node_id}",
                    status=403,
                )
            raise unsupported_get(node_id)
        return account

    def _index_of(self, node_id: str) -> tuple[str, Account, Any] | None:
        if self._index is None:
            index: dict[str, tuple[str, Account, Any]] = {}
            for account in self.world.accounts:
                tree = self.world.entities(account)
                for kind, objects in (
                    ("Campaign", tree.campaigns),
                    ("AdSet", tree.adsets),
                    ("Ad", tree.ads),
                    ("CustomAudience", tree.audiences),
                ):
                    for obj in objects:
                        index[obj.id] = (kind, account, obj)
                for edge in ("adcreatives", "customconversions", "advideos"):
                    node_type, build = EDGES[edge]
                    for node in build(self._view(account)):
                        index[node["id"]] = (node_type, account, node["id"])
            self._index = index
        return self._index.get(node_id)

    def _node_of(self, kind: str, account: Account, obj: Any) -> Node:
        view = self._view(account)
        builders = {
            "Campaign": o.campaign_node,
            "AdSet": o.adset_node,
            "Ad": o.ad_node,
            "CustomAudience": o.audience_node,
        }
        if kind in builders:
            return builders[kind](view, obj)
        edge = {
            "AdCreative": "adcreatives",
            "CustomConversion": "customconversions",
            "AdVideo": "advideos",
        }[kind]
        return next(n for n in EDGES[edge][1](view) if n["id"] == obj)

    def _fields(
        self, params: Mapping[str, str], node_type: str, default: tuple[str, ...] = ("id",)
    ) -> list[tuple[str, list[str] | None]]:
        fields = field_list(params.get("fields"))
        return fields or [(name, None) for name in DEFAULT_FIELDS.get(node_type, default)]

    def _check_page(self, params: Mapping[str, str], fields: int, default_limit: int = 25) -> None:
        if limit_of(params, default_limit) * max(1, fields) > self.settings.max_page_cells:
            raise GraphError(UNKNOWN, REDUCE_DATA, status=500)

    def _url(self, parts: list[str]) -> str:
        return "https://graph.facebook.com/" + catalog.SDK_VERSION + "/" + "/".join(parts)

    # -- dispatch ----------------------------------------------------------------------

    def dispatch(self, method: str, parts: list[str], params: Mapping[str, str]) -> Reply:
        if not parts:
            raise invalid("(#100) Unsupported request to the version root")
        head, rest = parts[0], parts[1:]
        account_id = None
        case = use_case("/".join(parts))
        run = self.jobs.find(head)
        if head.startswith("act_"):
            account_id = head.removeprefix("act_")
        elif run is not None:
            account_id, case = bare(run.account), use_case("report_run")
        elif (found := self._index_of(head)) is not None:
            account_id = bare(found[1])
        headers = self.usage.admit(account_id, case)
        try:
            reply = self._route(method, head, rest, params)
        except GraphError as error:
            error.headers = {**headers, **error.headers}
            raise
        reply.headers = {**headers, **reply.headers}
        return reply

    def _route(self, method: str, head: str, rest: list[str], params: Mapping[str, str]) -> Reply:
        if head == "me":
            if not rest:
                return Reply(200, {"id": USER_ID, "name": "Sandbox Marketer"})
            if rest == ["adaccounts"] and method == "GET":
                nodes = [account_node(self.world, a) for a in self.world.accounts]
                fields = self._fields(params, "AdAccount", ("account_id", "id"))
                body, _, _ = page(
                    [project(n, fields, "AdAccount") for n in nodes],
                    params,
                    self._url(["me", "adaccounts"]),
                )
                return Reply(200, body)
            raise invalid(f"(#100) Unknown edge {'/'.join(rest)} on User")
        if head.startswith("act_"):
            account = self._account(head)
            if not rest:
                if method != "GET":
                    raise invalid("(#100) Unsupported post request on AdAccount")
                fields = self._fields(params, "AdAccount")
                return Reply(200, project(account_node(self.world, account), fields, "AdAccount"))
            edge = rest[0]
            if edge == "insights":
                return self._insights(method, account, params, None)
            if edge in EDGES and method == "GET" and len(rest) == 1:
                return self._edge(account, edge, params, [head, edge])
            raise invalid(
                f"(#100) Tried accessing nonexisting field ({edge}) on node type (AdAccount)"
            )
        run = self.jobs.find(head)
        if run is not None:
            if run.not_found_once and not rest:
                run.not_found_once = False
                raise unsupported_get(head)
            if not rest:
                fields = field_list(params.get("fields"))
                node = self.jobs.node(run)
                if fields:
                    node = project(node, fields, "AdReportRun")
                return Reply(
                    200,
                    node,
                    {"x-fb-ads-insights-throttle": self.jobs.throttle_header(run.account.id)},
                )
            if rest == ["insights"]:
                return self._run_results(run, params, [head, "insights"])
            raise invalid(f"(#100) Unknown edge {rest[0]} on AdReportRun")
        found = self._index_of(head)
        if found is None:
            raise unsupported_get(head)
        kind, account, obj = found
        if not rest:
            fields = self._fields(params, kind)
            return Reply(200, project(self._node_of(kind, account, obj), fields, kind))
        if rest == ["insights"] and kind in ("Campaign", "AdSet", "Ad"):
            depth = {"Campaign": 1, "AdSet": 2, "Ad": 3}[kind]
            return self._insights(method, account, params, (depth, obj.id))
        if kind in ("Campaign", "AdSet") and rest[0] in ("adsets", "ads") and len(rest) == 1:
            owner = "campaign_id" if kind == "Campaign" else "adset_id"
            return self._edge(account, rest[0], params, [head, rest[0]], (owner, obj.id))
        raise invalid(f"(#100) Tried accessing nonexisting field ({rest[0]}) on node type ({kind})")

    # -- object edges ------------------------------------------------------------------

    def _edge(self, account: Account, edge: str, params: Mapping[str, str], url_parts: list[str],
              owner: tuple[str, str] | None = None) -> Reply:  # fmt: skip
        node_type, build = EDGES[edge]
        fields = self._fields(params, node_type)
        for name, _ in fields:
            if name not in catalog.NODE_FIELDS[node_type]:
                raise nonexisting_field(name, node_type)
        rule = node_type == "CustomAudience" and any(name == "rule" for name, _ in fields)
        heavy = RULE_CELLS if rule else 0
        self._check_page(params, len(fields) + heavy)
        nodes = build(self._view(account))
        if owner is not None:
            nodes = [n for n in nodes if n.get(owner[0]) == owner[1]]
        clauses = parse_filtering(json_param(params, "filtering"))
        statuses = string_list(params, "effective_status")
        if edge in STATUS_EDGES:
            allowed = catalog.EFFECTIVE_STATUS[node_type]
            for i, status in enumerate(statuses or ()):
                if status not in allowed:
                    names = ", ".join(sorted(allowed))
                    raise invalid(f"(#100) Param effective_status[{i}] must be one of {{{names}}}")
            status_filtered = statuses is not None or any(
                c[0].endswith("effective_status") for c in clauses
            )
            if statuses is not None:
                nodes = [n for n in nodes if n["effective_status"] in statuses]
            elif not status_filtered:
                nodes = [n for n in nodes if n["effective_status"] not in ("DELETED", "ARCHIVED")]
        if edge == "activities":
            since, until = _epoch_param(params.get("since")), _epoch_param(params.get("until"))
            nodes = [
                n
                for n in nodes
                if (since is None or n["_epoch"] >= since)
                and (until is None or n["_epoch"] < until)
            ]
        entity = EDGE_ENTITY.get(edge)
        known = catalog.NODE_FIELDS[node_type]

        def resolve(name: str) -> str | None:
            prefix, dot, attribute = name.partition(".")
            if not dot:
                attribute = name
            elif prefix != entity:
                attribute = f"{prefix}_id" if attribute == "id" else attribute
            return attribute if attribute in known else None

        nodes = filter_nodes(nodes, clauses, resolve)
        projected = [
            project({k: v for k, v in n.items() if k != "_epoch"}, fields, node_type) for n in nodes
        ]
        summary = (
            {"total_count": len(projected)}
            if str(params.get("summary", "")).lower() == "true"
            else None
        )
        body, _, _ = page(projected, params, self._url(url_parts), summary=summary)
        return Reply(200, body)

    # -- insights ----------------------------------------------------------------------

    def _insights(
        self, method: str, account: Account, params: Mapping[str, str], node: tuple[int, str] | None
    ) -> Reply:
        query = parse_query(params, account.end_date, node)
        faults = self.state.faults
        if gone := [f for f in query.fields if f in catalog.RETIRED_INSIGHTS_FIELDS]:
            raise nonexisting_field(gone[0], "AdsInsights")
        gone = [f for f in query.fields if f in FAULT_RETIRED_FIELDS]
        if gone and faults.active("deprecated_field"):
            faults.record("deprecated_field")
            raise nonexisting_field(gone[0], "AdsInsights")
        throttle = {"x-fb-ads-insights-throttle": self.jobs.throttle_header(account.id)}
        budget = (account.id, date.today())
        reach_limited = query.reach_limited(account.end_date) and bool(
            REACH_FIELDS & set(query.fields)
        )
        if reach_limited:
            throttle.update(self._reach_header(budget))
        if method == "POST":
            if reach_limited and self._reach_jobs.get(budget, 0) < REACH_JOBS_PER_DAY:
                query = replace(query, reach_kept=True)
            result = self.insights.result(account, query, self.world.revision)
            signature = b"job|" + account.id.encode() + b"|" + repr(query).encode()
            fault = self.state.faults.draw(signature, ("job_failure",))
            failure, race = None, False
            if fault is not None and fault.variant % 4 == 1:
                race = True  # the job itself succeeds
            elif fault is not None:
                failure = "Job Skipped" if fault.variant % 4 == 0 else "Job Failed"
            run = self.jobs.start(account, query, result, failure)
            run.not_found_once = race
            if query.reach_kept:
                self._reach_jobs[budget] = self._reach_jobs.get(budget, 0) + 1
            jobs = self.state.extra.setdefault(
                "report_jobs",
                {"started": 0, "job_seconds": 0.0, "peak_running": 0, "too_large": 0},
            )
            jobs["started"] += 1
            jobs["too_large"] += run.error is TOO_LARGE
            jobs["job_seconds"] = round(jobs["job_seconds"] + run.duration, 3)
            jobs["peak_running"] = max(jobs["peak_running"], self.jobs.running())
            return Reply(
                200,
                {"report_run_id": run.id},
                {
                    "x-fb-ads-insights-throttle": self.jobs.throttle_header(account.id),
                    **(self._reach_header(budget) if reach_limited else {}),
                },
            )
        if method != "GET":
            raise invalid("(#100) Unsupported request method for insights")
        fields = len(query.fields) or len(INSIGHTS_DEFAULT_FIELDS)
        self._check_page(params, fields)
        if not query.fields:
            query = _with_fields(query, INSIGHTS_DEFAULT_FIELDS)
        result = self.insights.result(account, query, self.world.revision)
        if len(result) > self.settings.sync_row_limit:
            # Meta answers a synchronous query that takes too long either way (fact sheet, 4).
            self._sync_timeouts += 1
            code, subcode = (
                (SERVICE_UNAVAILABLE, 1504038)
                if self._sync_timeouts % 2
                else (INVALID_PARAMETER, 1504018)
            )
            raise GraphError(
                code,
                "Request Timed Out",
                subcode=subcode,
                transient=True,
                headers=throttle,
                user_title="Request Timed Out",
                user_msg="Ask for less data, or use an asynchronous request.",
            )
        return self._paged_result(result, params, self._url([account.id, "insights"]), throttle)

    def _reach_header(self, budget: tuple[str, date]) -> dict[str, str]:
        used = 100 * self._reach_jobs.get(budget, 0) / REACH_JOBS_PER_DAY
        value = orjson.dumps({"acc_id_util_pct": round(used, 2)}).decode()
        return {"x-fb-ads-insights-reach-throttle": value}

    def _paged_result(
        self, result: Any, params: Mapping[str, str], url: str, headers: dict[str, str]
    ) -> Reply:
        limit = limit_of(params)
        start = decode_cursor(params["after"]) if params.get("after") else 0
        stop = min(len(result), start + limit)
        rows = result.rows(start, stop)
        self.state.rows_served += len(rows)
        body: Node = {"data": rows}
        if len(result) or start:
            paging: Node = {
                "cursors": {"before": encode_cursor(start), "after": encode_cursor(stop)}
            }
            if stop < len(result):
                query = {
                    k: v
                    for k, v in params.items()
                    if k not in ("after", "access_token", "appsecret_proof")
                }
                query.update(limit=str(limit), after=encode_cursor(stop))
                paging["next"] = f"{url}?{urlencode(query)}"
            body["paging"] = paging
        return Reply(200, body, headers)

    def _run_results(self, run: Any, params: Mapping[str, str], url_parts: list[str]) -> Reply:
        status, _ = self.jobs.status(run)
        throttle = {"x-fb-ads-insights-throttle": self.jobs.throttle_header(run.account.id)}
        if status != "Job Completed":
            raise GraphError(
                ASYNC_REPORT,
                "Error accessing adreport job.",
                subcode=1815107,
                transient=True,
                headers=throttle,
                user_title="Loading Async Ads Report Failed",
                user_msg="Sorry, the report cannot be loaded successfully. Please check if your "
                "job status is completed instead of failed or running before fetching the data.",
            )
        fields = len(run.query.fields) or len(INSIGHTS_DEFAULT_FIELDS)
        self._check_page(params, fields)
        return self._paged_result(run.result, params, self._url(url_parts), throttle)


def _with_fields(query: InsightsQuery, fields: tuple[str, ...]) -> InsightsQuery:
    return replace(query, fields=fields)


def _epoch_param(raw: str | None) -> int | None:
    if not raw:
        return None
    if raw.isdigit():
        return int(raw)
    try:
        return int(datetime.combine(date.fromisoformat(raw), datetime.min.time(), UTC).timestamp())
    except ValueError:
        raise invalid(f"(#100) since/until must be a unix time or a date; got {raw!r}") from None
