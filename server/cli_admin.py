"""`flowlane users ...` and `flowlane secrets rotate`: administration from the machine that
runs Flowlane (the database is the authority; no sign-in needed)."""

from __future__ import annotations

from typing import Any

import click
from cryptography.fernet import Fernet
from sqlalchemy import select

from server.auth import sessions, users
from server.config import Config
from server.db import Credential, User
from server.errors import FlowlaneError
from server.secrets import KEY_FILE, Vault, load_or_create_key_file, write_key_file

ROLES = click.Choice(["viewer", "editor", "admin", "owner"])


def _services() -> Any:
    from server.cli import _services as services

    return services(Config.from_env())


@click.group("users")
def users_group() -> None:
    """People who can sign in."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=ROLES, default="editor", show_default=True)
@click.option("--name", default="")
def users_create(email: str, role: str, name: str) -> None:
    """Add a person; prints a generated password once (to be changed at first sign-in)."""
    svc = _services()
    with svc.db.session() as session:
        try:
            user, password = users.create(session, email, role, name=name)
        except FlowlaneError as err:
            raise click.ClickException(err.detail) from None
        from server import audit

        audit.record(session, "created", "user", user.id, email=user.email, role=role)
        session.commit()
    click.echo(f"created {role} {email}")
    click.echo(f"password (shown once, to be changed at first sign-in): {password}")


@users_group.command("list")
def users_list() -> None:
    svc = _services()
    with svc.db.session() as session:
        for user in session.scalars(select(User).order_by(User.id)):
            state = " (disabled)" if user.disabled else ""
            click.echo(f"{user.id:>4}  {user.role:<7} {user.email}{state}")


@users_group.command("reset-password")
@click.argument("email")
def users_reset_password(email: str) -> None:
    """Give a person a new generated password and sign them out everywhere."""
    from server.auth import passwords

    svc = _services()
    with svc.db.session() as session:
        user = users.by_email(session, email)
        if user is None:
            raise click.ClickException(f"There is no user {email}.")
        password = passwords.generate()
        user.password_hash = passwords.hash_password(password)
        user.must_change_password = True
        session.commit()
        sessions.end_all(svc.redis, user.id)
    click.echo(f"new password for {email} (shown once): {password}")


@click.group("secrets")
def secrets_group() -> None:
    """The keys that encrypt connections."""


@secrets_group.command("rotate")
def secrets_rotate() -> None:
    """Re-encrypt every connection under the newest key.

    With FLOWLANE_SECRET_KEYS, put the new key first, run this, then drop the old keys.
    With the key file, a new key is made, everything re-encrypted, and the old key removed.
    """
    config = Config.from_env()
    svc = _services()
    key_file = config.data_dir / KEY_FILE
    if config.secret_keys.strip():
        vault, new_file = svc.vault, None
    else:
        old_keys = load_or_create_key_file(key_file)
        new_key = Fernet.generate_key()
        vault, new_file = Vault([new_key, *old_keys]), [new_key]
    with svc.db.session() as session:
        rows = list(session.scalars(select(Credential)))
        for credential in rows:
            credential.data = vault.rotate(credential.data)
        session.commit()
    if new_file is not None:
        write_key_file(key_file, new_file)
        click.echo(f"re-encrypted {len(rows)} connection(s) under a new key in {key_file}")
    else:
        click.echo(f"re-encrypted {len(rows)} connection(s) under the first key of "
                   "FLOWLANE_SECRET_KEYS; the others can be removed now")
