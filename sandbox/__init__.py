"""A local HighLevel API v2 simulator over real HTTP (see sandbox/README.md)."""

from sandbox.app import create_app
from sandbox.options import DEMO_LOCATION_ID, DEMO_TOKEN, SandboxOptions
from sandbox.server import SandboxServer
from sandbox.state import SandboxState

__all__ = [
    "DEMO_LOCATION_ID",
    "DEMO_TOKEN",
    "SandboxOptions",
    "SandboxServer",
    "SandboxState",
    "create_app",
]
