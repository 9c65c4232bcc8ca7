"""Starts and watches Flowlane's processes (`flowlane up`, `flowlane worker -n N`).

A child that dies is restarted (with a pause, so a crash loop does not spin); Ctrl-C or
SIGTERM stops every child and waits for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(self.argv, env=env)
        self.started_at = time.monotonic()


def flowlane_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "server.cli", *args]


class Supervisor:
    def __init__(self, children: list[Child], env: dict[str, str] | None = None) -> None:
        self.children = children
        self.env = {**os.environ, **(env or {})}
        self._stopping = False

    def _on_signal(self, _signum: int, _frame: object) -> None:
        self._stopping = True

    def run(self, on_started: object = None) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for child in self.children:
            child.start(self.env)
        if callable(on_started):
            on_started()
        while not self._stopping:
            for child in self.children:
                if child.process is not None and child.process.poll() is not None:
                    code = child.process.returncode
                    # A child that lived a while is restarted at once; a crash loop waits.
                    pause = 0 if time.monotonic() - child.started_at > 30 else min(
                        2 ** child.restarts, 30)
                    print(f"flowlane: {child.name} exited ({code}); restarting in {pause} s",
                          file=sys.stderr)
                    time.sleep(pause)
                    child.restarts += 1
                    if not self._stopping:
                        child.start(self.env)
            time.sleep(0.5)
        self.stop()
        return 0

    def stop(self) -> None:
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.terminate()
        deadline = time.monotonic() + 10
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
