"""Every setting of one sandbox, with the defaults a demo wants.

The benchmark and the tests change a few of them (counts, the burst window, token lifetime);
everything else matches what HighLevel documents (NOTES.md §5 for the limits, §4.1 for tokens).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

VersionCheck = Literal["strict", "known", "off"]

# The fixed identities of the seeded demo, so docs and examples can name them.
DEMO_LOCATION_ID = "FlowlaneSandboxLoc01"
DEMO_COMPANY_ID = "FlowlaneSandboxAgncy"
DEMO_TOKEN = "pit-sandbox-5f0c1a2b-7d3e-4f60-9a8b-0c1d2e3f4a5b"
DEMO_CLIENT_ID = "flowlane-sandbox-app"
DEMO_CLIENT_SECRET = "flowlane-sandbox-secret"

KNOWN_VERSIONS = ("2021-07-28", "2021-04-15")


@dataclass
class SandboxOptions:
    """How one sandbox behaves. Unknown keys are an error, so a typo never goes unnoticed."""

    seed: int = 20210728
    """The random seed of the demo data: the same seed gives the same records and ids."""
    opportunities: int = 200
    """Seeded opportunities, each with its own contact (the benchmark asks for 10,000)."""
    users: int = 5

    rate_limit: int = 100
    """Requests allowed per location in any `rate_window` seconds (HighLevel: 100 per 10 s)."""
    rate_window: float = 10.0
    daily_limit: int = 200_000

    access_token_ttl: int = 86_399
    """Lifetime of OAuth access tokens in seconds (`expires_in`; HighLevel says a day)."""
    auto_approve: bool = False
    """Skip the consent page: GET /oauth/chooselocation redirects with a code at once."""

    webhook_urls: list[str] = field(default_factory=list)
    webhook_retries: int = 3
    webhook_retry_delay: float = 1.0
    """Seconds before the first retry; each further retry waits twice as long."""
    webhook_timeout: float = 5.0
    keys_dir: Path | None = None
    """Where the webhook signing keys live; created there on first start. None: fresh keys."""
    rsa_key_bits: int = 2048

    version_check: VersionCheck = "strict"
    """strict: the Version header must be the operation's own; known: any known version; off."""
    strict_bodies: bool = True
    """Answer 422 "property x should not exist" for unknown top-level body fields, as GHL does."""
    public_url: str | None = None
    """Base of `nextPageUrl` links; None uses the URL the request came in on."""
    spec_dir: Path | None = None
    """The vendored OpenAPI specs; None finds nodes/ghl/spec beside this package."""

    @classmethod
    def coerce(cls, value: SandboxOptions | Mapping[str, Any] | None) -> SandboxOptions:
        if isinstance(value, SandboxOptions):
            return value
        values = dict(value or {})
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise TypeError(f"unknown sandbox option(s): {', '.join(unknown)}")
        for name in ("keys_dir", "spec_dir"):
            if values.get(name) is not None:
                values[name] = Path(values[name])
        if isinstance(values.get("webhook_urls"), str):
            values["webhook_urls"] = [values["webhook_urls"]]
        options = cls(**values)
        options.validate()
        return options

    def validate(self) -> None:
        if self.rate_limit < 1 or self.rate_window <= 0 or self.daily_limit < 1:
            raise ValueError("rate_limit, rate_window and daily_limit must be positive")
        if self.opportunities < 0 or self.users < 1:
            raise ValueError("opportunities must be >= 0 and users >= 1")
        if self.version_check not in ("strict", "known", "off"):
            raise ValueError("version_check must be strict, known or off")
