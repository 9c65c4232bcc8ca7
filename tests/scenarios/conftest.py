"""The sales scenarios run against the HighLevel sandbox with the connector's fixtures: one
sandbox for the session, reset before each test, every request checked against the spec."""

from __future__ import annotations

from tests.ghl.conftest import (  # noqa: F401  (fixtures, found by name)
    _fresh_sandbox,
    admin,
    connection,
    node,
    pytest_configure,
    sandbox,
    spec_trace,
)
from tests.test_alerts_reports import smtp_server  # noqa: F401
