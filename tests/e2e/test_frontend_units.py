"""The editor's own unit tests (vitest, `npm test` in frontend/), run as part of the suite so
`make test` and CI cover them too."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helpers import ROOT

FRONTEND = ROOT / "frontend"


def test_vitest_suite_passes() -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the editor's unit tests need Node.js")
    if not (FRONTEND / "node_modules").exists():
        pytest.skip("frontend/node_modules is missing: run `make frontend` first")
    result = subprocess.run([npm, "test", "--silent"], cwd=FRONTEND, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
