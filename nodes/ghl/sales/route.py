""""Route by pipeline and owner": a rule table sends each opportunity to its team's output,
and may hand it to someone in that team.

A rule is (pipeline, stage, owner, value from, value below) -> team; empty conditions match
anything, the first matching rule wins, and an opportunity no rule takes goes to
`fallback`. Pipelines and stages are given by id or by name. Items are HighLevel
opportunities (an opportunity trigger's item, a search's results) or rows of the
Opportunities table.

Reassignment gives the opportunity to a member of its team (when its owner is not one, or
always): round-robin (the position is kept between runs), or whoever has the fewest open
opportunities in HighLevel now. The new owner is written to HighLevel (PUT
/opportunities/:id) unless that is switched off.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nodes.core.paths import get_path
from nodes.ghl import options
from nodes.ghl.auth import FAMILY, Connection
from nodes.ghl.runner import client_for
from nodes.ghl.sales import mapping
from nodes.ghl.sales.mapping import Catalog
from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node
from server.engine.filters import to_number

FALLBACK = "fallback"
FIELDS = {
    "ghl": {"id": "id", "pipeline": "pipelineId", "stage": "pipelineStageId",
            "owner": "assignedTo", "value": "monetaryValue"},
    "table": {"id": "ghl_id", "pipeline": "pipeline_id", "stage": "stage",
              "owner": "owner_id", "value": "value"},
}
MODES = ["none", "round_robin", "least_open"]
USERS = {"ui": {"options": "ghl.users", "depends_on": []}}


def output_ports(params: Mapping[str, Any]) -> list[str]:
    """One output per team the rules name (in order), then the fallback."""
    names: list[str] = []
    for index, rule in enumerate(params.get("rules") or []):
        team = rule.get("team") if isinstance(rule, Mapping) else None
        name = str(team) if team not in (None, "") else str(index)
        if name not in names:
            names.append(name)
    return [*names, FALLBACK]


def check(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Reassigning needs members for every team a rule names."""
    if params.get("reassign", "none") == "none":
        return []
    staffed = {str(t.get("team")) for t in params.get("teams") or []
               if isinstance(t, Mapping) and t.get("members")}
    return [("/teams", f"the team {team!r} has no members to assign opportunities to.")
            for team in output_ports(params)[:-1] if team not in staffed]


@node(
    type="ghl.opportunities.route", title="Route by pipeline and owner",
    group="HighLevel · Opportunities",
    description="Send each opportunity to its team's output by pipeline, stage, owner and "
                "value; optionally reassign it within the team (round-robin or fewest open).",
    credential=FAMILY, credential_required=False, icon="switch",
    dynamic_outputs=output_ports, outputs=(FALLBACK,), check=check,
    outputs_from={"param": "rules", "key": "team", "default": "index", "extra": [FALLBACK]},
    meta={"operations": [mapping.SEARCH, mapping.UPDATE],
          "scopes": ["opportunities.readonly", "opportunities.write"]},
    params={"type": "object", "properties": {
        "fields": {"title": "Items are", "enum": list(FIELDS), "default": "ghl",
                   "description": "ghl: HighLevel opportunities; table: rows of the "
                                  "Opportunities table."},
        "rules": {"title": "Rules (first match wins)", "type": "array", "items": {
            "type": "object", "required": ["team"], "properties": {
                "team": {"type": "string", "title": "Team (output)", "minLength": 1},
                "pipeline": {"type": "string", "title": "Pipeline", "description":
                             "Id or name; empty: any.",
                             "ui": {"options": "ghl.pipelines", "depends_on": []}},
                "stage": {"type": "string", "title": "Stage",
                          "description": "Id or name; empty: any."},
                "owner": {"type": "string", "title": "Owner", "description": "User id; "
                          "empty: any; 'none': unassigned.", **USERS},
                "min_value": {"type": ["number", "string"], "title": "Value from"},
                "max_value": {"type": ["number", "string"], "title": "Value below"},
            }}},
        "reassign": {"title": "Reassign the owner", "enum": MODES, "default": "none",
                     "description": "none; round_robin: in turn within the team; "
                                    "least_open: the member with the fewest open "
                                    "opportunities in HighLevel."},
        "reassign_when": {"title": "Reassign when", "enum": ["not_in_team", "always"],
                          "default": "not_in_team"},
        "teams": {"title": "Team members", "type": "array", "items": {
            "type": "object", "required": ["team", "members"], "properties": {
                "team": {"type": "string", "title": "Team", "minLength": 1},
                "members": {"type": "array", "title": "Members (user ids)", "minItems": 1,
                            "items": {"type": "string", **USERS}}}}},
        "write_back": {"type": "boolean", "title": "Save the new owner in HighLevel",
                       "default": True},
    }},
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    router = Router(ctx, params.raw)
    outputs: Outputs = {port: [] for port in output_ports(params.raw)}
    for index, item in enumerate(items):
        if ctx.cancelled():
            break
        rendered = params.render(item, index)
        port, routed = router.route(item, rendered)
        outputs[port].append(routed)
    return outputs


class Router:
    def __init__(self, ctx: RunContext, raw: Mapping[str, Any]) -> None:
        self.ctx = ctx
        self.fields = FIELDS.get(str(raw.get("fields") or "ghl"), FIELDS["ghl"])
        self._catalog: Catalog | None = None
        self._open: dict[str, int] = {}

    @property
    def catalog(self) -> Catalog | None:
        if self._catalog is None and self.ctx.credential:
            self._catalog = Catalog(self.ctx)
        return self._catalog

    def route(self, item: Item, rendered: Mapping[str, Any]) -> tuple[str, Item]:
        for index, rule in enumerate(rendered.get("rules") or []):
            if self.matches(item, rule):
                team = str(rule.get("team") or index)
                return team, self.assign(item, team, index, rendered)
        return FALLBACK, {**item, "route": {"team": None, "rule": None}}

    # -- matching -------------------------------------------------------------------------------

    def matches(self, item: Item, rule: Mapping[str, Any]) -> bool:
        return (self._pipeline_matches(item, rule.get("pipeline"))
                and self._stage_matches(item, rule.get("stage"))
                and self._owner_matches(item, rule.get("owner"))
                and self._value_matches(item, rule.get("min_value"), rule.get("max_value")))

    def _pipeline_matches(self, item: Item, wanted: Any) -> bool:
        if mapping.is_empty(wanted):
            return True
        have = str(get_path(item, self.fields["pipeline"]) or "")
        names = {have.casefold(), str(item.get("pipeline_name") or "").casefold()}
        if self.catalog is not None and (pipeline := self.catalog.pipeline(have)):
            names.add(str(pipeline.get("name") or "").casefold())
        return str(wanted).strip().casefold() in names - {""}

    def _stage_matches(self, item: Item, wanted: Any) -> bool:
        if mapping.is_empty(wanted):
            return True
        have = str(get_path(item, self.fields["stage"]) or "")
        names = {have.casefold(), str(item.get("stage_name") or "").casefold()}
        if self.catalog is not None:
            names.add(str(self.catalog.stage_name(have) or "").casefold())
            pipeline = get_path(item, self.fields["pipeline"])
            names.add(str(self.catalog.stage_id(pipeline, have) or "").casefold())
        return str(wanted).strip().casefold() in names - {""}

    def _owner_matches(self, item: Item, wanted: Any) -> bool:
        if mapping.is_empty(wanted):
            return True
        have = str(get_path(item, self.fields["owner"]) or "")
        if str(wanted).strip().lower() == "none":
            return not have
        return have == str(wanted).strip()

    def _value_matches(self, item: Item, low: Any, high: Any) -> bool:
        if mapping.is_empty(low) and mapping.is_empty(high):
            return True
        value = _number(get_path(item, self.fields["value"]), "the item's value")
        if value is None:
            return False
        if not mapping.is_empty(low) and value < (_number(low, "Value from") or 0):
            return False
        return mapping.is_empty(high) or value < (_number(high, "Value below") or 0)

    # -- reassignment ---------------------------------------------------------------------------

    def assign(self, item: Item, team: str, rule: int, rendered: Mapping[str, Any]) -> Item:
        owner_field = self.fields["owner"]
        previous = get_path(item, owner_field) or None
        route = {"team": team, "rule": rule, "previous_owner": previous, "owner": previous,
                 "reassigned": False}
        mode = str(rendered.get("reassign") or "none")
        members = self._members(rendered, team)
        if mode == "none" or (rendered.get("reassign_when", "not_in_team") == "not_in_team"
                              and previous in members):
            return {**item, "route": route}
        if not members:
            raise NodeError(f"The team {team!r} has no members to assign the opportunity to.")
        owner = self._round_robin(team, members) if mode == "round_robin" else \
            self._least_open(members)
        route.update(owner=owner, reassigned=owner != previous, **self._person(owner))
        routed = {**item, owner_field: owner, "route": route}
        if owner != previous and rendered.get("write_back", True) is not False:
            self._write_back(item, owner)
        return routed

    def _members(self, rendered: Mapping[str, Any], team: str) -> list[str]:
        for entry in rendered.get("teams") or []:
            if isinstance(entry, Mapping) and str(entry.get("team")) == team:
                return [str(m) for m in entry.get("members") or [] if str(m).strip()]
        return []

    def _round_robin(self, team: str, members: list[str]) -> str:
        def next_turn(last: Any) -> str:
            position = (members.index(last) + 1) if last in members else 0
            return members[position % len(members)]

        # Atomic: two runs at once must not hand the same person two opportunities in a row.
        return str(self.ctx.service("state").update(f"round_robin:{team}", next_turn))

    def _least_open(self, members: list[str]) -> str:
        client, connection = client_for(self.ctx)
        for member in members:
            if member not in self._open:
                self._open[member] = _open_count(client, connection, member)
        chosen = min(members, key=lambda m: self._open[m])  # ties: the first listed
        self._open[chosen] += 1  # the next item of this run sees it
        return chosen

    def _person(self, user_id: str) -> dict[str, Any]:
        """The new owner's name and email, for the message that tells them."""
        if not self.ctx.credential:
            return {}
        host = self.ctx.service("ghl")
        for user in options.users_raw(host, Connection.of(self.ctx.credential)):
            if isinstance(user, dict) and user.get("id") == user_id:
                return {"owner_name": options.user_name(user), "owner_email": user.get("email")}
        return {}

    def _write_back(self, item: Item, owner: str) -> None:
        opportunity_id = get_path(item, self.fields["id"])
        if mapping.is_empty(opportunity_id):
            raise NodeError("The opportunity has no id to save its new owner under.")
        client, _connection = client_for(self.ctx)
        mapping.update(client, str(opportunity_id), {"assignedTo": owner})


def _open_count(client: Any, connection: Connection, user_id: str) -> int:
    answer = client.call(mapping.operation(mapping.SEARCH), query={
        "location_id": connection.location_id, "status": "open", "assigned_to": user_id,
        "limit": 1}).body
    meta = answer.get("meta") if isinstance(answer, dict) else None
    return int((meta or {}).get("total") or 0)


def _number(value: Any, what: str) -> float | None:
    if mapping.is_empty(value):
        return None
    try:
        return float(to_number(value))
    except (TypeError, ValueError):
        raise NodeError(f"{what} is not a number: {value!r}.") from None
