"""How alerts leave Flowlane: Slack incoming webhooks, email over SMTP, signed webhooks.

The alert nodes and the failure alerts both send through these functions.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
from collections.abc import Iterable
from email.message import EmailMessage
from typing import Any

import httpx

from nodes.registry import CredentialKind, NodeError, credential_kind

credential_kind(CredentialKind(
    id="slack_webhook", title="Slack incoming webhook",
    description="A Slack app's incoming webhook URL (https://hooks.slack.com/services/...).",
    schema={"type": "object", "required": ["webhook_url"], "properties": {
        "webhook_url": {"type": "string", "title": "Webhook URL", "secret": True,
                        "pattern": "^https?://"},
    }},
))

credential_kind(CredentialKind(
    id="smtp", title="Email (SMTP)",
    description="An SMTP server to send email through.",
    schema={"type": "object", "required": ["host", "sender"], "properties": {
        "host": {"type": "string", "title": "Server", "minLength": 1},
        "port": {"type": "integer", "title": "Port", "default": 587, "minimum": 1,
                 "maximum": 65535},
        "security": {"title": "Security", "enum": ["starttls", "ssl", "none"],
                     "default": "starttls"},
        "username": {"type": "string", "title": "User name"},
        "password": {"type": "string", "title": "Password", "secret": True},
        "sender": {"type": "string", "title": "From", "description": "Sales Bot <bot@acme.com>"},
    }},
))

credential_kind(CredentialKind(
    id="webhook_signing", title="Webhook signing secret",
    description="Signs outgoing alert webhooks: X-Flowlane-Signature: sha256=<HMAC of body>.",
    schema={"type": "object", "required": ["secret"], "properties": {
        "secret": {"type": "string", "title": "Secret", "secret": True, "minLength": 8},
    }},
))


def send_slack(http: httpx.Client, webhook_url: str, text: str,
               blocks: list[dict[str, Any]] | None = None) -> None:
    payload: dict[str, Any] = {"text": text}
    if blocks:
        payload["blocks"] = blocks
    try:
        response = http.post(webhook_url, json=payload, timeout=20)
    except httpx.HTTPError as err:
        raise NodeError(f"Slack could not be reached: {err}.") from None
    if response.status_code >= 400:
        raise NodeError(f"Slack refused the message ({response.status_code}): "
                        f"{response.text[:300]}", {"status": response.status_code})


def addresses(value: Any) -> list[str]:
    """Recipients from a list or a comma/semicolon separated string."""
    if isinstance(value, list):
        parts = [str(v) for v in value]
    else:
        parts = str(value or "").replace(";", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


def send_email(smtp: dict[str, Any], to: Iterable[str], subject: str, body: str,
               html: bool = False, cc: Iterable[str] = (), bcc: Iterable[str] = (),
               attachments: Iterable[tuple[str, str, bytes]] = ()) -> str:
    """Send one message; returns its Message-ID. Attachments are (name, mime, bytes)."""
    to, cc, bcc = list(to), list(cc), list(bcc)
    if not to and not cc and not bcc:
        raise NodeError("The email has no recipient.")
    message = EmailMessage()
    message["From"] = smtp.get("sender") or smtp.get("username") or "flowlane@localhost"
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    if html:
        message.set_content("This message is HTML; open it in a mail client that shows HTML.")
        message.add_alternative(body, subtype="html")
    else:
        message.set_content(body)
    for name, mime, content in attachments:
        main, _, sub = (mime or "application/octet-stream").partition("/")
        message.add_attachment(content, maintype=main, subtype=sub or "octet-stream",
                               filename=name)
    host, port = str(smtp.get("host")), int(smtp.get("port") or 587)
    security = smtp.get("security", "starttls")
    try:
        if security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=30,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=30)
        with client:
            if security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.get("username"):
                client.login(str(smtp["username"]), str(smtp.get("password", "")))
            client.send_message(message, to_addrs=to + cc + bcc)
    except (OSError, smtplib.SMTPException) as err:
        raise NodeError(f"The email could not be sent through {host}:{port}: {err}.") from None
    return str(message.get("Message-ID", ""))


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_json(http: httpx.Client, url: str, payload: Any, secret: str | None = None,
              headers: dict[str, str] | None = None) -> int:
    body = json.dumps(payload, default=str).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    if secret:
        sent["X-Flowlane-Signature"] = signature(secret, body)
    try:
        response = http.post(url, content=body, headers=sent, timeout=20)
    except httpx.HTTPError as err:
        raise NodeError(f"{url} could not be reached: {err}.") from None
    if response.status_code >= 400:
        raise NodeError(f"{url} answered {response.status_code}.",
                        {"status": response.status_code, "body": response.text[:2000]})
    return response.status_code
