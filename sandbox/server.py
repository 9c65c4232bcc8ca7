"""`SandboxServer`: the sandbox on a real socket (werkzeug's threaded server), and its CLI.

    with SandboxServer(opportunities=50) as sandbox:
        httpx.get(f"{sandbox.url}/opportunities/search", params={"location_id": ...}, ...)

`main()` serves in the foreground and prints what a client needs: the URL, the demo token,
the location id and the OAuth demo app. `flowlane sandbox` calls it with its own arguments.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from sandbox.app import create_app
from sandbox.options import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxOptions
from sandbox.state import SandboxState

DEFAULT_PORT = 8765


class SandboxServer:
    """One sandbox serving HTTP from a background thread. `port=0` picks a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        self.host = host
        self.port = port
        self.options = SandboxOptions.coerce(options)
        self.state: SandboxState | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        host = self.host if self.host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self._server.server_port}"

    @property
    def token(self) -> str:
        return self._require_state().token

    @property
    def location_id(self) -> str:
        return self._require_state().location_id

    @property
    def company_id(self) -> str:
        return self._require_state().company_id

    @property
    def public_keys(self) -> dict[str, str]:
        """The webhook verification keys (PEM) by signature header, for a receiver to trust."""
        return self._require_state().keys.by_header()

    def start(self) -> SandboxServer:
        if self._server is not None:
            return self
        self.state = SandboxState(self.options)
        app = create_app(self.state)
        self._server = make_server(self.host, self.port, app, threaded=True)
        # A request hanging on a timeout fault must not keep the process alive.
        self._server.daemon_threads = True  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sandbox-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        assert self.state is not None
        self.state.close()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def serve_forever(self) -> None:
        """Block until stopped (Ctrl-C or SIGTERM in `main`)."""
        if self._thread is None:
            self.start()
        thread = self._thread
        while thread is not None and thread.is_alive():
            thread.join(timeout=0.5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _require_state(self) -> SandboxState:
        if self.state is None:
            raise RuntimeError("the sandbox is not started")
        return self.state


def parser() -> argparse.ArgumentParser:
    defaults = SandboxOptions()
    p = argparse.ArgumentParser(
        prog="flowlane sandbox", description="A local HighLevel API v2 simulator."
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.add_argument("--opportunities", type=int, default=defaults.opportunities,
                   help="seeded opportunities, each with a contact")
    p.add_argument("--users", type=int, default=defaults.users)
    p.add_argument("--rate-limit", type=int, default=defaults.rate_limit,
                   help="requests per window per location")
    p.add_argument("--rate-window", type=float, default=defaults.rate_window,
                   help="burst window in seconds")
    p.add_argument("--daily-limit", type=int, default=defaults.daily_limit)
    p.add_argument("--token-ttl", type=int, default=defaults.access_token_ttl,
                   help="OAuth access token lifetime in seconds")
    p.add_argument("--auto-approve", action="store_true",
                   help="skip the OAuth consent page")
    p.add_argument("--webhook-url", action="append", default=[],
                   help="deliver webhooks here (repeatable)")
    p.add_argument("--keys-dir", type=Path, default=None,
                   help="keep the webhook signing keys here across restarts")
    p.add_argument("--version-check", choices=("strict", "known", "off"),
                   default=defaults.version_check)
    p.add_argument("--public-url", default=None, help="base URL for nextPageUrl links")
    p.add_argument("--quiet", action="store_true", help="do not log each request")
    return p


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING if args.quiet else logging.INFO)
    server = SandboxServer(
        args.host,
        args.port,
        seed=args.seed,
        opportunities=args.opportunities,
        users=args.users,
        rate_limit=args.rate_limit,
        rate_window=args.rate_window,
        daily_limit=args.daily_limit,
        access_token_ttl=args.token_ttl,
        auto_approve=args.auto_approve,
        webhook_urls=args.webhook_url,
        keys_dir=args.keys_dir,
        version_check=args.version_check,
        public_url=args.public_url,
    )
    server.start()
    print(f"HighLevel sandbox at {server.url}")
    print(f"  token (PIT):   {server.token}")
    print(f"  location id:   {server.location_id}")
    print(f"  OAuth app:     client_id={DEMO_CLIENT_ID} client_secret={DEMO_CLIENT_SECRET}")
    print(f"  authorize:     {server.url}/oauth/chooselocation")
    print(f"  webhook keys:  {server.url}/_sandbox/keys")
    print(f"  rate limit:    {args.rate_limit} per {args.rate_window:g} s, "
          f"{args.daily_limit} per day")
    sys.stdout.flush()

    def _stop(signum: int, frame: FrameType | None) -> None:
        server.stop()

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
