"""Multipart uploads: a file an earlier step made (the CSV node's) reaches HighLevel as a
real file part, its bytes intact."""

from __future__ import annotations

import hashlib

import pytest

from nodes.registry import NodeError
from server.files import FileStore
from tests.ghl.helpers import main

UPLOAD = "ghl.medias.upload_media_content"


def test_a_csv_from_an_earlier_step_is_uploaded_to_the_media_library(node, admin, svc):
    rows = [{"name": "Acme", "value": 1200}, {"name": "Globex", "value": 800}]
    made = main(node("core.file.csv", {"filename": "pipeline.csv"}, rows, credential=None))
    file = made[0]["file"]
    uploaded = main(node(UPLOAD, {"file": "{{ item.file }}", "name": "Pipeline export"}, made))
    assert uploaded[0]["fileId"] and uploaded[0]["url"]

    _name, _mime, content = FileStore(svc, None, None).read(file["artifact_id"])
    received = {m["id"]: m for m in admin.get("/media").json()["media"]}[uploaded[0]["fileId"]]
    assert received["name"] == "Pipeline export"
    assert received["contentType"] == "text/csv"
    assert received["size"] == len(content) == file["size"]
    assert received["sha256"] == hashlib.sha256(content).hexdigest()
    # The url the upload answered with leads to the same file.
    assert admin.get(uploaded[0]["url"].split("/_sandbox", 1)[1]).json() == received


def test_text_is_sent_as_the_file_content_and_a_lost_file_is_a_clear_error(node, admin):
    uploaded = main(node(UPLOAD, {"file": "hello", "name": "greeting.txt"}))
    received = {m["id"]: m for m in admin.get("/media").json()["media"]}[uploaded[0]["fileId"]]
    assert (received["size"], received["contentType"]) == (5, "text/plain")
    with pytest.raises(NodeError, match="no longer exists"):
        node(UPLOAD, {"file": "{{ item.file }}"}, [{"file": {"artifact_id": 999999,
                                                              "name": "gone.csv"}}])
