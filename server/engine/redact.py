"""Keep secrets out of run data: what a run records passes through a `Redactor` first.

Two rules: values under sensitive names (Authorization, api_key, token, client_secret,
password, ... as object keys or as {"name", "value"} header rows) are replaced, and any
connection secret a node used in the run is replaced wherever it appears, even inside an
echoed response. Redaction works on the JSON text, which the recorder makes anyway.
"""

from __future__ import annotations

import json
import re
from typing import Any

from server.db.models import Serialized

MASK = "[redacted]"
SENSITIVE_NAMES = (
    r"authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|api[_-]?key|"
    r"apikey|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|password|"
    r"passwd|secret|private[_-]?key|token"
)
_STRING = r'"(?:[^"\\]|\\.)*"'
_KEY_VALUE = re.compile(r'("(?i:' + SENSITIVE_NAMES + r')"\s*:\s*)' + _STRING)
_HEADER_ROW = re.compile(
    r'("name"\s*:\s*"(?i:' + SENSITIVE_NAMES + r')"\s*,\s*"value"\s*:\s*)' + _STRING)
_SENSITIVE_KEY = re.compile(r"^(?:" + SENSITIVE_NAMES + r")$", re.IGNORECASE)
#: Shorter values are not treated as secrets: replacing "abc" everywhere would maim data.
MIN_SECRET_LENGTH = 6


def is_sensitive(name: str) -> bool:
    return bool(_SENSITIVE_KEY.match(name))


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add_secret(self, value: Any) -> None:
        if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
            self._secrets.add(value)

    def add_credential(self, data: dict[str, Any], secret_fields: set[str]) -> None:
        """A connection a node used: its secret fields (and sensitive-looking ones)."""
        for name, value in data.items():
            if name in secret_fields or is_sensitive(name):
                self.add_secret(value)

    def text(self, text: str) -> str:
        text = _KEY_VALUE.sub(lambda m: f'{m.group(1)}"{MASK}"', text)
        text = _HEADER_ROW.sub(lambda m: f'{m.group(1)}"{MASK}"', text)
        for secret in self._secrets:
            escaped = json.dumps(secret, ensure_ascii=False)[1:-1]
            if escaped in text:
                text = text.replace(escaped, MASK)
        return text

    def dumps(self, value: Any) -> Serialized | None:
        """JSON text of `value` with secrets masked, ready to store."""
        if value is None:
            return None
        return Serialized(self.text(json.dumps(value, default=str, ensure_ascii=False)))

    def clean(self, value: Any) -> Any:
        """`value` with secrets masked, as Python data (for small things: errors, events)."""
        if value is None:
            return None
        return json.loads(self.dumps(value) or "null")
