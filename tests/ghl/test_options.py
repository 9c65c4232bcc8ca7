"""GET /api/options/<source>: the editor's dropdowns, live through the chosen connection and
cached briefly in Redis."""

from __future__ import annotations

import json

import pytest


def options(api, source, **query):
    answer = api.get(f"/api/options/{source}", query_string=query)
    assert answer.status_code == 200, answer.json
    return answer.json["options"]


def requests_to(trace, path):
    return sum(1 for line in trace.read_text().splitlines()
               if json.loads(line)["path"] == path)


def test_pipelines_and_the_stages_of_one(api, connection):
    pipelines = options(api, "ghl.pipelines", credential=connection)
    assert [p["label"] for p in pipelines] and all(p["value"] for p in pipelines)
    stages = options(api, "ghl.stages", credential=connection,
                     pipeline_id=pipelines[0]["value"])
    assert stages and all(s["pipeline_id"] == pipelines[0]["value"] for s in stages)
    # The editor sends the dependency under the param's own name (pipelineId on create).
    assert options(api, "ghl.stages", credential=connection,
                   pipelineId=pipelines[0]["value"]) == stages
    every = options(api, "ghl.stages", credential=connection)
    assert len(every) > len(stages) and " > " in every[0]["label"]


def test_users_custom_fields_and_calendars(api, connection):
    users = options(api, "ghl.users", credential=connection)
    assert len(users) == 5 and all("@" in u["email"] for u in users)
    fields = options(api, "ghl.custom_fields", credential=connection, model="opportunity")
    assert fields and {f["model"] for f in fields} == {"opportunity"}
    calendars = options(api, "ghl.calendars", credential=connection)
    assert calendars and calendars[0]["label"]


def test_answers_are_cached_and_refresh_on_demand(api, connection, spec_trace):
    options(api, "ghl.pipelines", credential=connection)
    options(api, "ghl.stages", credential=connection)
    assert requests_to(spec_trace, "/opportunities/pipelines") == 1
    options(api, "ghl.pipelines", credential=connection, refresh="1")
    assert requests_to(spec_trace, "/opportunities/pipelines") == 2


@pytest.mark.parametrize("source,query,status", [
    ("ghl.nothing", {"credential": "HighLevel (sandbox)"}, 404),
    ("ghl.pipelines", {}, 422),
    ("ghl.pipelines", {"credential": "Nobody"}, 404),
])
def test_bad_questions(api, connection, source, query, status):
    assert api.get(f"/api/options/{source}", query_string=query).status_code == status


def test_viewers_may_load_options(client_as, connection):
    assert client_as("viewer").get("/api/options/ghl.users",
                                   query_string={"credential": connection}).status_code == 200
