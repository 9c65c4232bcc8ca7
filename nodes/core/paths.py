"""Dotted field paths into items: "contact.email", "tags.0", "a.b.c"."""

from __future__ import annotations

from typing import Any

_MISSING = object()


def _parts(path: str) -> list[str]:
    return [part for part in path.split(".") if part != ""]


def get_path(item: Any, path: str, default: Any = None) -> Any:
    """The value at `path`, or `default` when any part is missing."""
    value = item
    for part in _parts(path):
        if isinstance(value, dict):
            value = value.get(part, _MISSING)
        elif isinstance(value, list) and part.lstrip("-").isdigit():
            index = int(part)
            value = value[index] if -len(value) <= index < len(value) else _MISSING
        else:
            return default
        if value is _MISSING:
            return default
    return value


def has_path(item: Any, path: str) -> bool:
    return get_path(item, path, _MISSING) is not _MISSING


def set_path(item: dict[str, Any], path: str, value: Any) -> None:
    """Set `path` in place, creating objects on the way ("a.b" -> {"a": {"b": value}})."""
    parts = _parts(path)
    if not parts:
        raise ValueError("a field path cannot be empty")
    target: Any = item
    for part in parts[:-1]:
        if isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
            continue
        if not isinstance(target, dict):
            raise ValueError(f"cannot set {path!r}: {part!r} is not an object")
        child = target.get(part)
        if not isinstance(child, dict | list):
            child = {}
            target[part] = child
        target = child
    if isinstance(target, list) and parts[-1].isdigit() and int(parts[-1]) < len(target):
        target[int(parts[-1])] = value
    elif isinstance(target, dict):
        target[parts[-1]] = value
    else:
        raise ValueError(f"cannot set {path!r}")


def delete_path(item: dict[str, Any], path: str) -> None:
    parts = _parts(path)
    parent = get_path(item, ".".join(parts[:-1])) if len(parts) > 1 else item
    if isinstance(parent, dict):
        parent.pop(parts[-1], None)


def copy_item(item: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a JSON item, so that nodes never change their input in place."""
    return {key: _copy(value) for key, value in item.items()}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_copy(child) for child in value]
    return value


def with_path(item: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A new item with `path` set; objects on the way are copied, the rest is shared.

    Cheaper than a deep copy per item, and the input item is never changed.
    """
    parts = _parts(path)
    if not parts:
        raise ValueError("a field path cannot be empty")
    return _with(item, parts, value)


def _with(node: Any, parts: list[str], value: Any) -> Any:
    head, rest = parts[0], parts[1:]
    if isinstance(node, list) and head.isdigit() and int(head) < len(node):
        copy_list = list(node)
        copy_list[int(head)] = _with(copy_list[int(head)], rest, value) if rest else value
        return copy_list
    copy = dict(node) if isinstance(node, dict) else {}
    copy[head] = _with(copy.get(head), rest, value) if rest else value
    return copy


def without_path(item: dict[str, Any], path: str) -> dict[str, Any]:
    """A new item with `path` removed (copied along the path, shared elsewhere)."""
    parts = _parts(path)
    if not parts or not has_path(item, path):
        return item
    if len(parts) == 1:
        return {key: value for key, value in item.items() if key != parts[0]}
    parent = get_path(item, ".".join(parts[:-1]))
    if not isinstance(parent, dict):
        return item
    trimmed = {key: value for key, value in parent.items() if key != parts[-1]}
    return with_path(item, ".".join(parts[:-1]), trimmed)
