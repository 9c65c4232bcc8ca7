"""The parts one Flowlane process shares: database, Redis, queue, vault, events, HTTP.

Built once per process (the web app, each worker, the scheduler) from the config; nothing
is created at import time, so tests can build as many as they need.
"""

from __future__ import annotations

import httpx
import redis
from rq import Queue
from rq.serializers import JSONSerializer

from server import keys
from server.config import Config
from server.db import Database
from server.netguard import OutboundGuard
from server.realtime import Events
from server.secrets import Vault


class Services:
    def __init__(self, config: Config, redis_url: str) -> None:
        self.config = config
        self.redis_url = redis_url
        self.db = Database(config.database)
        self.redis = redis.Redis.from_url(redis_url)
        self.vault = Vault.from_config(config.secret_keys, config.data_dir)
        self.queue = Queue(keys.RUNS_QUEUE, connection=self.redis, serializer=JSONSerializer)
        self.events = Events(redis_url)
        self._http: httpx.Client | None = None

    @property
    def http(self) -> httpx.Client:
        """One pooled HTTP client per process, shared by every node."""
        if self._http is None:
            guard = OutboundGuard(self.config.http_allowlist, self.config.http_block_private)
            self._http = httpx.Client(
                event_hooks={"request": [guard.check_request]},
                follow_redirects=True,
                timeout=httpx.Timeout(30.0),
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
                headers={"User-Agent": "Flowlane/0.1"},
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        self.redis.close()
        self.db.dispose()
