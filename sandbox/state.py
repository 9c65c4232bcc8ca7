"""Everything one sandbox holds in memory, thread-safe, and how it goes back to the start.

`SandboxState` owns the CRM records (`crm`), tokens and OAuth apps (`auth`), the rate limiter,
faults, stats, the webhook hub and the signing keys. Request handlers run one at a time under
`lock` (they take microseconds; waits such as injected latency happen outside it), which makes
every read-modify-write of the CRM atomic without per-record locks.
"""

from __future__ import annotations

import threading
from typing import Any

from sandbox.auth import AuthRegistry
from sandbox.clock import Clock
from sandbox.crm import Crm
from sandbox.faults import Faults
from sandbox.limits import RateLimiter
from sandbox.options import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_COMPANY_ID,
    DEMO_LOCATION_ID,
    DEMO_TOKEN,
    SandboxOptions,
)
from sandbox.paging import SortCache
from sandbox.seed import seed_company, seed_location
from sandbox.signing import SigningKeys
from sandbox.spec import Catalogue, load_catalogue
from sandbox.stats import Stats
from sandbox.webhooks import WebhookHub


class SandboxState:
    def __init__(
        self,
        options: SandboxOptions | dict[str, Any] | None = None,
        *,
        keys: SigningKeys | None = None,
    ) -> None:
        self.options = SandboxOptions.coerce(options)
        self.lock = threading.RLock()
        self.clock = Clock()
        self.catalogue: Catalogue = load_catalogue(self.options.spec_dir)
        if keys is None:
            keys = (
                SigningKeys.load_or_create(self.options.keys_dir, self.options.rsa_key_bits)
                if self.options.keys_dir
                else SigningKeys.generate(self.options.rsa_key_bits)
            )
        self.keys = keys
        self.limiter = RateLimiter(
            self.clock, self.options.rate_limit, self.options.rate_window, self.options.daily_limit
        )
        self.faults = Faults()
        self.stats = Stats(self.clock)
        self.hub = WebhookHub(
            keys,
            self.clock,
            urls=self.options.webhook_urls,
            retries=self.options.webhook_retries,
            retry_delay=self.options.webhook_retry_delay,
            timeout=self.options.webhook_timeout,
        )
        self.crm = Crm()
        self.sort_cache = SortCache()
        self.auth = AuthRegistry(self.clock, self.options.access_token_ttl)
        self._seed(self.options.seed, self.options.opportunities)

    @property
    def location_id(self) -> str:
        return DEMO_LOCATION_ID

    @property
    def company_id(self) -> str:
        return DEMO_COMPANY_ID

    @property
    def token(self) -> str:
        """The demo Private Integration Token: every scope, on the demo location."""
        return DEMO_TOKEN

    def reset(self, *, seed: int | None = None, opportunities: int | None = None) -> None:
        """Back to the state of a fresh start: data reseeded, tokens, faults, limits, stats,
        webhook history and URLs as configured at start, and the clock back to real time."""
        with self.lock:
            self.faults.reset()
            self.limiter.reset()
            self.limiter.configure(
                limit=self.options.rate_limit,
                window=self.options.rate_window,
                daily=self.options.daily_limit,
            )
            self.clock.reset()
            self.hub.clear()
            self.hub.set_urls(self.options.webhook_urls)
            self.crm = Crm()
            self.sort_cache.clear()
            self.auth = AuthRegistry(self.clock, self.options.access_token_ttl)
            self._seed(
                self.options.seed if seed is None else seed,
                self.options.opportunities if opportunities is None else opportunities,
            )
            self.stats.reset()

    def close(self) -> None:
        """Stop background work: webhook delivery, and any request hanging on a timeout fault."""
        self.faults.release()
        self.hub.close()

    def _seed(self, seed: int, opportunities: int) -> None:
        seed_company(self.crm, DEMO_COMPANY_ID)
        seed_location(
            self.crm,
            seed=seed,
            location_id=DEMO_LOCATION_ID,
            company_id=DEMO_COMPANY_ID,
            opportunities=opportunities,
            users=self.options.users,
        )
        self.auth.mint_pit(
            company_id=DEMO_COMPANY_ID,
            location_id=DEMO_LOCATION_ID,
            scopes=self.catalogue.all_scopes,
            token=DEMO_TOKEN,
        )
        self.auth.register_app(
            "Flowlane (sandbox)", client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET
        )
