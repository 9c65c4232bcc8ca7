"""Cursor pagination over a sorted snapshot, fast enough for 10,000 records page after page.

An ordering (sort keys ascending, each `(value, id)`) is built once per data version and kept
until the next write; a page then bisects to its cursor and walks forward, so reading a whole
location costs O(n log n) once plus O(limit) per page instead of a full scan per request.
The cursor is GHL's `startAfter` (sort value) + `startAfterId` (id of the last row seen).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

SortKey = tuple[Any, str]


@dataclass(frozen=True)
class Ordering:
    keys: list[SortKey]
    key_of: dict[str, SortKey]

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class Page:
    ids: list[str]
    has_more: bool


class SortCache:
    """Orderings and match counts, each valid for one version of the data it was built from."""

    def __init__(self) -> None:
        self._orderings: dict[tuple[str, ...], tuple[int, Ordering]] = {}
        self._counts: dict[tuple[Any, ...], tuple[int, int]] = {}

    def clear(self) -> None:
        self._orderings.clear()
        self._counts.clear()

    def ordering(
        self,
        name: tuple[str, ...],
        version: int,
        records: Callable[[], Iterable[dict[str, Any]]],
        value: Callable[[dict[str, Any]], Any],
    ) -> Ordering:
        cached = self._orderings.get(name)
        if cached and cached[0] == version:
            return cached[1]
        keys: list[SortKey] = sorted((value(record), record["id"]) for record in records())
        ordering = Ordering(keys, {key[1]: key for key in keys})
        self._orderings[name] = (version, ordering)
        return ordering

    def count(self, name: tuple[Any, ...], version: int, compute: Callable[[], int]) -> int:
        cached = self._counts.get(name)
        if cached and cached[0] == version:
            return cached[1]
        total = compute()
        if len(self._counts) > 256:  # many distinct filters: forget the old ones
            self._counts.clear()
        self._counts[name] = (version, total)
        return total


def walk(
    ordering: Ordering,
    *,
    descending: bool,
    after: SortKey | None,
    offset: int,
    limit: int,
    accept: Callable[[str], bool],
) -> Page:
    """Up to `limit` accepted ids after the cursor (or after skipping `offset` accepted ones)."""
    keys = ordering.keys
    if after is None:
        index = len(keys) - 1 if descending else 0
    elif descending:
        index = bisect_left(keys, after) - 1
    else:
        index = bisect_right(keys, after)
    step = -1 if descending else 1
    skipped = 0
    found: list[str] = []
    while 0 <= index < len(keys):
        record_id = keys[index][1]
        if accept(record_id):
            if skipped < offset:
                skipped += 1
            elif len(found) == limit:
                return Page(found, True)
            else:
                found.append(record_id)
        index += step
    return Page(found, False)


def position(ordering: Ordering, *, descending: bool, after: SortKey | None) -> int:
    """How many rows (unfiltered) come before the first row after the cursor."""
    if after is None:
        return 0
    if descending:
        return len(ordering.keys) - bisect_left(ordering.keys, after)
    return bisect_right(ordering.keys, after)
