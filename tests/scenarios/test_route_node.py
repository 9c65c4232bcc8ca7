"""Route by pipeline and owner: rules to team outputs, the fallback, and reassignment within
the team (round-robin kept between runs, fewest open opportunities) saved in HighLevel."""

from __future__ import annotations

from tests.ghl.helpers import main
from tests.helpers import doc
from tests.helpers import node as step
from tests.scenarios.helpers import opportunity, run_now

RULES = [
    {"team": "Onboarding", "pipeline": "Customer Onboarding"},
    {"team": "Enterprise", "pipeline": "Sales Pipeline", "min_value": 20000},
    {"team": "SMB", "pipeline": "sales pipeline", "stage": "New Lead"},
]


def open_deals(node, count=200):
    return main(node("ghl.opportunities.search", {"status": "open", "limit": 100,
                                                  "return_all": True, "max_items": count}))


def expected_team(deal, pipelines):
    pipeline = pipelines[deal["pipelineId"]]
    stage = next(s["name"] for s in pipeline["stages"] if s["id"] == deal["pipelineStageId"])
    if pipeline["name"] == "Customer Onboarding":
        return "Onboarding"
    if deal["monetaryValue"] >= 20000:
        return "Enterprise"
    return "SMB" if stage == "New Lead" else "fallback"


def test_rules_send_each_opportunity_to_its_team_or_the_fallback(node):
    deals = open_deals(node)
    pipelines = {p["id"]: p for p in main(node("ghl.opportunities.pipelines", {}))}
    out = node("ghl.opportunities.route", {"rules": RULES}, deals)
    assert list(out) == ["Onboarding", "Enterprise", "SMB", "fallback"]
    routed = {deal["id"]: port for port, items in out.items() for deal in items}
    assert routed == {d["id"]: expected_team(d, pipelines) for d in deals}
    assert all(out[port] for port in out)  # the seed has some of each
    enterprise = out["Enterprise"][0]
    assert enterprise["route"] == {"team": "Enterprise", "rule": 1, "reassigned": False,
                                   "previous_owner": enterprise.get("assignedTo"),
                                   "owner": enterprise.get("assignedTo")}


def test_fewest_open_picks_the_least_busy_member_and_saves_it(node):
    users = [u["id"] for u in main(node("ghl.users.list", {}))]
    open_counts = {u: len([d for d in open_deals(node) if d.get("assignedTo") == u])
                   for u in users[:3]}
    deals = [d for d in open_deals(node) if d.get("assignedTo") not in users[:3]][:2]
    params = {"rules": [{"team": "Closers"}], "reassign": "least_open",
              "teams": [{"team": "Closers", "members": users[:3]}]}
    [first, second] = node("ghl.opportunities.route", params, deals)["Closers"]
    least = min(users[:3], key=lambda u: (open_counts[u], users.index(u)))
    assert first["route"]["owner"] == least and first["assignedTo"] == least
    assert first["route"]["reassigned"] is True
    assert opportunity(node, first["id"])["assignedTo"] == least
    open_counts[least] += 1
    assert second["route"]["owner"] == min(users[:3],
                                           key=lambda u: (open_counts[u], users.index(u)))


def test_round_robin_takes_turns_across_runs(api, svc, worker, node, connection):
    users = [u["id"] for u in main(node("ghl.users.list", {}))][:2]
    deals = open_deals(node, 3)
    document = doc(
        step("start", "core.trigger.manual"),
        step("route", "ghl.opportunities.route", credential=connection, params={
            "rules": [{"team": "Inside sales"}], "reassign": "round_robin",
            "reassign_when": "always",
            "teams": [{"team": "Inside sales", "members": users}]}),
        edges=[("start", "route")], name="Round robin")
    workflow_id = api.post("/api/workflows", json={"document": document}).json["id"]
    run, steps = run_now(api, svc, workflow_id, payload=deals)
    assert run.status == "succeeded", run.error
    owners = [i["route"]["owner"] for i in steps["route"]["output"]["Inside sales"]]
    assert owners == [users[0], users[1], users[0]]
    assert [opportunity(node, d["id"])["assignedTo"] for d in deals] == owners
    run, steps = run_now(api, svc, workflow_id, payload=deals[:1])
    assert steps["route"]["output"]["Inside sales"][0]["route"]["owner"] == users[1]
