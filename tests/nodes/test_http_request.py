"""HTTP request against a real local server: methods, query, headers, bodies, the HTTP
credential kinds, response modes, error statuses, timeouts and the size cap."""

from __future__ import annotations

import base64
import json

import pytest

from nodes.core import http_request
from server.engine.memory import MemoryServices
from tests.nodes.support import fail_node, run_node


def call(server, path: str, items: list | None = None, **params) -> list:
    return run_node("core.http", {"url": server.url + path, **params}, items)["main"]


def echo(server, items: list | None = None, **params) -> dict:
    [out] = call(server, "/echo", items, **params)
    return out


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_methods(http_server, method):
    assert echo(http_server, method=method)["method"] == method


def test_head_returns_no_body(http_server):
    assert call(http_server, "/echo", method="HEAD") == [{}]
    assert http_server.requests[-1]["method"] == "HEAD"


def test_get_is_the_default(http_server):
    assert echo(http_server)["method"] == "GET"


def test_query_parameters_merge_with_the_url_query(http_server):
    out = call(http_server, "/echo?page=2", query=[{"name": "q", "value": "ada lovelace"},
                                                    {"name": "limit", "value": 10},
                                                    {"name": "", "value": "ignored"}])
    assert out[0]["query"] == {"page": "2", "q": "ada lovelace", "limit": "10"}


def test_headers(http_server):
    out = echo(http_server, headers=[{"name": "X-Request-Id", "value": "r-1"},
                                     {"name": "Accept", "value": "application/json"}])
    assert out["headers"]["x-request-id"] == "r-1"
    assert out["headers"]["accept"] == "application/json"


def test_one_request_per_item_with_expressions(http_server):
    out = run_node("core.http", {"url": http_server.url + "/echo/{{ item.id }}",
                                 "query": [{"name": "name", "value": "{{ item.name }}"}]},
                   [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob"}])["main"]
    assert [(o["path"], o["query"]["name"]) for o in out] == [("/echo/1", "Ada"),
                                                              ("/echo/2", "Bob")]


def test_json_body(http_server):
    out = echo(http_server, [{"name": "Ada", "tags": ["vip"]}], method="POST", body_type="json",
               body={"contact": {"name": "{{ item.name }}", "tags": "{{ item.tags }}"}})
    assert out["headers"]["content-type"] == "application/json"
    assert json.loads(out["body"]) == {"contact": {"name": "Ada", "tags": ["vip"]}}


def test_json_body_written_as_text_is_sent_as_json(http_server):
    out = echo(http_server, [{"name": "Ada"}], method="POST", body_type="json",
               body='{"name": "{{ item.name }}", "n": 1}')
    assert json.loads(out["body"]) == {"name": "Ada", "n": 1}


def test_json_body_text_that_is_not_json_is_an_error(http_server):
    error = fail_node("core.http", {"url": http_server.url + "/echo", "method": "POST",
                                    "body_type": "json", "body": "{name: Ada}"}, [{}])
    assert error["message"].startswith("The JSON body is not valid JSON")
    assert http_server.requests == []


def test_form_body(http_server):
    out = echo(http_server, method="POST", body_type="form",
               body={"name": "Ada Lovelace", "score": 9, "vip": True})
    assert out["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert out["body"] == "name=Ada+Lovelace&score=9&vip=true"


def test_form_body_written_as_text(http_server):
    services = MemoryServices({"Conn": {"kind": "http_bearer", "token": "t"}})
    [out] = run_node("core.http", {"url": http_server.url + "/echo", "method": "POST",
                                   "body_type": "form", "body": "name=Ada&score=9"},
                     services=services, credential="Conn")["main"]
    assert out["headers"]["authorization"] == "Bearer t"
    assert out["body"] == "name=Ada&score=9"
    assert out["headers"]["content-type"] == "application/x-www-form-urlencoded"


def test_text_body(http_server):
    out = echo(http_server, [{"n": 3}], method="POST", body_type="text",
               body="count={{ item.n }}", headers=[{"name": "Content-Type",
                                                    "value": "text/plain"}])
    assert out["body"] == "count=3"
    assert out["headers"]["content-type"] == "text/plain"


def test_no_body_by_default(http_server):
    out = echo(http_server, method="POST", body={"ignored": True})
    assert out["body"] == ""


@pytest.mark.parametrize(("credential", "header", "value"), [
    ({"kind": "http_basic", "username": "ada", "password": "s3cret"}, "authorization",
     "Basic " + base64.b64encode(b"ada:s3cret").decode()),
    ({"kind": "http_bearer", "token": "tok-123"}, "authorization", "Bearer tok-123"),
    ({"kind": "http_header", "name": "X-API-Key", "value": "key-9"}, "x-api-key", "key-9"),
])
def test_credentials(http_server, credential, header, value):
    services = MemoryServices({"Conn": credential})
    [out] = run_node("core.http", {"url": http_server.url + "/echo"}, services=services,
                     credential="Conn")["main"]
    assert out["headers"][header] == value


def test_the_credential_wins_over_a_header_of_the_same_name(http_server):
    services = MemoryServices({"Conn": {"kind": "http_bearer", "token": "real"}})
    [out] = run_node("core.http", {"url": http_server.url + "/echo", "headers": [
        {"name": "Authorization", "value": "Bearer fake"}]}, services=services,
        credential="Conn")["main"]
    assert out["headers"]["authorization"] == "Bearer real"


def test_a_missing_credential_fails_the_node(http_server):
    error = fail_node("core.http", {"url": http_server.url + "/echo"}, credential="Nope")
    assert error["message"] == "The connection 'Nope' does not exist."


def test_a_json_list_becomes_one_item_per_entry(http_server):
    assert call(http_server, "/list") == [{"id": 1}, {"id": 2}, {"value": 3}]


def test_a_json_list_can_stay_one_item(http_server):
    assert call(http_server, "/list", split_list=False) == [{"body": [{"id": 1}, {"id": 2}, 3]}]


def test_a_json_scalar_and_text_go_into_body(http_server):
    assert call(http_server, "/scalar") == [{"body": 42}]
    assert call(http_server, "/text") == [{"body": "plain words"}]


def test_response_mode_text_keeps_json_as_text(http_server):
    assert call(http_server, "/scalar", response="text") == [{"body": "42"}]


def test_response_mode_json_parses_what_is_not_labelled_json(http_server):
    out = run_node("core.http", {"url": http_server.url + "/bytes/0", "response": "json"})
    assert out["main"] == [{}]


def test_response_mode_json_fails_on_invalid_json(http_server):
    error = fail_node("core.http", {"url": http_server.url + "/broken-json", "response": "json"})
    assert error["message"] == "The response is not valid JSON."
    assert error["details"]["body"] == "{not json"


def test_auto_mode_keeps_invalid_json_as_text(http_server):
    assert call(http_server, "/broken-json") == [{"body": "{not json"}]


def test_full_response(http_server):
    [out] = call(http_server, "/status/201", full_response=True)
    assert out["status"] == 201
    assert out["headers"]["content-type"] == "application/json"
    assert out["body"] == {"error": "status 201"}


def test_an_error_status_fails_with_status_and_body(http_server):
    error = fail_node("core.http", {"url": http_server.url + "/status/422", "method": "POST"})
    assert error["message"] == f"POST {http_server.url}/status/422 answered 422 " \
                               "Unprocessable Entity."
    assert error["details"] == {"status": 422, "body": {"error": "status 422"}}


def test_error_statuses_can_be_data(http_server):
    [out] = call(http_server, "/status/404", fail_on_error_status=False, full_response=True)
    assert out["status"] == 404 and out["body"] == {"error": "status 404"}


def test_timeout(http_server):
    error = fail_node("core.http", {"url": http_server.url + "/slow/3", "timeout_s": 0.2})
    assert error["message"] == f"GET {http_server.url}/slow/3 timed out after 0.2 s."


def test_unreachable_host_fails_clearly():
    error = fail_node("core.http", {"url": "http://127.0.0.1:9/nothing"})
    assert error["message"].startswith("GET http://127.0.0.1:9/nothing failed: ")


def test_a_response_over_the_size_cap_fails_the_node(http_server, monkeypatch):
    monkeypatch.setattr(http_request, "MAX_RESPONSE_BYTES", 1024 * 1024)
    assert call(http_server, "/bytes/1048576", response="text")[0]["body"] == "x" * 1048576
    error = fail_node("core.http", {"url": http_server.url + "/bytes/1048577"})
    assert error["message"] == "The response is larger than 1 MB."


def test_the_size_cap_is_stated_in_bytes_when_below_a_megabyte(http_server, monkeypatch):
    monkeypatch.setattr(http_request, "MAX_RESPONSE_BYTES", 1000)
    error = fail_node("core.http", {"url": http_server.url + "/bytes/2000"})
    assert error["message"] == "The response is larger than 1000 bytes."
