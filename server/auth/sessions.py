"""Sign-in sessions, kept in Redis so that logging out (or being disabled) ends them at once.

The browser holds only a random session id, inside Flask's signed, HttpOnly cookie.
"""

from __future__ import annotations

import secrets

import redis

from server import keys

#: A session ends after this long without use (seconds).
IDLE_LIFETIME = 12 * 3600


def create(client: redis.Redis, user_id: int) -> str:
    session_id = secrets.token_urlsafe(32)
    with client.pipeline() as pipe:
        pipe.set(keys.session(session_id), user_id, ex=IDLE_LIFETIME)
        pipe.sadd(keys.user_sessions(user_id), session_id)
        pipe.execute()
    return session_id


def user_of(client: redis.Redis, session_id: str) -> int | None:
    """The signed-in user, and the session's idle timer starts again."""
    key = keys.session(session_id)
    value = client.get(key)
    if value is None:
        return None
    client.expire(key, IDLE_LIFETIME)
    return int(value)


def end(client: redis.Redis, session_id: str) -> None:
    value = client.get(keys.session(session_id))
    client.delete(keys.session(session_id))
    if value is not None:
        client.srem(keys.user_sessions(int(value)), session_id)


def end_all(client: redis.Redis, user_id: int) -> None:
    """Sign a person out everywhere (password changed, disabled, deleted)."""
    members = client.smembers(keys.user_sessions(user_id))
    with client.pipeline() as pipe:
        for session_id in members:
            pipe.delete(keys.session(session_id.decode()))
        pipe.delete(keys.user_sessions(user_id))
        pipe.execute()
