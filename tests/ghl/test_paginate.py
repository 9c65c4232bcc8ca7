"""Opportunity search: every filter, and "Return all" following the cursor with every
filter on every page (n8n lost `location_id` on page two: n8n#18436), plus the max."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.ghl.helpers import main


@pytest.fixture
def seeded(node):
    everything = main(node("ghl.opportunities.search", {"return_all": True, "max_items": 0}))
    pipelines = main(node("ghl.opportunities.pipelines", {}))
    return everything, pipelines


def search(node, **params):
    return main(node("ghl.opportunities.search", params))


def sent_searches(trace):
    entries = [json.loads(line) for line in trace.read_text().splitlines()]
    return [dict(e["query"]) for e in entries if e["path"] == "/opportunities/search"]


def test_return_all_reads_every_opportunity_once(seeded):
    everything, _pipelines = seeded
    assert len(everything) == 200
    assert len({o["id"] for o in everything}) == 200


def test_each_filter_narrows_to_matching_opportunities(node, seeded):
    everything, _pipelines = seeded
    sample = everything[7]
    cases = {
        "pipeline_id": ("pipelineId", sample["pipelineId"]),
        "pipeline_stage_id": ("pipelineStageId", sample["pipelineStageId"]),
        "status": ("status", "won"),
        "assigned_to": ("assignedTo", sample["assignedTo"]),
        "contact_id": ("contactId", sample["contactId"]),
        "id": ("id", sample["id"]),
    }
    for param, (field, value) in cases.items():
        found = search(node, **{param: value}, return_all=True, max_items=0)
        expected = [o["id"] for o in everything if o.get(field) == value]
        assert sorted(o["id"] for o in found) == sorted(expected), param
        assert found, param


def test_text_country_campaign_and_dates(node, seeded):
    everything, _ = seeded
    sample = everything[3]
    by_text = search(node, q=sample["contact"]["email"])
    assert [o["id"] for o in by_text] == [sample["id"]]
    assert search(node, campaignId="no-such-campaign") == []
    assert all(o["contact"]["email"] for o in search(node, country="US", limit=5))
    created = datetime.fromisoformat(sample["createdAt"].replace("Z", "+00:00"))
    day = created.strftime("%m-%d-%Y")
    same_day = search(node, date=day, endDate=day, return_all=True, max_items=0)
    assert sample["id"] in {o["id"] for o in same_day}
    assert all(o["createdAt"][:10] == created.strftime("%Y-%m-%d") for o in same_day)


def test_order_and_page_size(node):
    by_name = search(node, order="name_asc", limit=15)
    assert len(by_name) == 15
    names = [o["name"].lower() for o in by_name]
    assert names == sorted(names)
    oldest = search(node, order="added_asc", limit=3)
    assert [o["createdAt"] for o in oldest] == sorted(o["createdAt"] for o in oldest)


def test_contacts_extras_are_included_on_request(node):
    found = search(node, limit=2, getNotes=True, getTasks=True)
    assert all("notes" in o and "tasks" in o for o in found)


def test_every_page_keeps_every_filter(node, seeded, spec_trace):
    everything, pipelines = seeded
    pipeline = pipelines[0]["id"]
    expected = [o for o in everything if o["pipelineId"] == pipeline and o["status"] == "open"]
    assert len(expected) > 100  # more than one page of 100
    before = len(sent_searches(spec_trace))
    found = search(node, pipeline_id=pipeline, status="open", order="added_asc", q="",
                   getNotes=False, return_all=True, max_items=0)
    assert sorted(o["id"] for o in found) == sorted(o["id"] for o in expected)
    pages = sent_searches(spec_trace)[before:]
    assert len(pages) >= 2
    for index, query in enumerate(pages):
        assert query["location_id"] and query["pipeline_id"] == pipeline, index
        assert query["status"] == "open" and query["order"] == "added_asc", index
        assert query["getNotes"] == "false" and query["limit"] == "100", index
        assert ("startAfterId" in query) == (index > 0), index


def test_max_items_stops_early(node, spec_trace):
    before = len(sent_searches(spec_trace))
    found = search(node, return_all=True, max_items=150)
    assert len(found) == 150
    assert len(sent_searches(spec_trace)) - before == 2
    small = search(node, return_all=True, max_items=7)
    assert len(small) == 7
    assert sent_searches(spec_trace)[-1]["limit"] == "7"


def test_without_return_all_one_page(node):
    assert len(search(node, limit=25)) == 25
    assert len(search(node)) == 20  # HighLevel's default page
