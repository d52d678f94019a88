"""A short-lived, per-process memo for reference data read on every submission.

Complaint categories by slug, complaint routes, regions by code and message templates are read by each
case submitted, and change a few times a year. Reading them again on every request cost a third of an
API submission (bench/RESULTS.md). A `Memo` keeps an answer for `ttl` seconds (5 by default, the
same pace at which the working-day calendar rechecks its table), so a change made in another process
(another gunicorn worker, the admin served elsewhere) is seen within seconds. A save or delete of a
watched model in this process empties the memo at once and again when the transaction commits.

This is a cache, not a side effect: the signal handlers only forget answers. Values are model instances
shared between requests: treat them as read-only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

_MEMOS: list[Memo] = []


class Memo:
    def __init__(self, name: str, *, watch: tuple[str, ...], ttl: float = 5.0) -> None:
        self.name = name
        self.ttl = ttl
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        for label in watch:  # "app_label.ModelName"; resolved when the app registry is ready
            post_save.connect(self._changed, sender=label, weak=False, dispatch_uid=f"memo:{name}:{label}:save")
            post_delete.connect(self._changed, sender=label, weak=False,
                                dispatch_uid=f"memo:{name}:{label}:delete")
        _MEMOS.append(self)

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The remembered answer for `key`, or `load()` (remembered for `ttl` seconds, None included)."""
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        value = load()
        if len(self._entries) > 10_000:  # keys come from requests: never let junk grow without bound
            self._entries.clear()
        self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        self._entries.clear()

    def _changed(self, **_kwargs: Any) -> None:
        self.clear()
        transaction.on_commit(self.clear)


def clear_all() -> None:
    """Forget every memo (tests that roll back reference rows call it)."""
    for memo in _MEMOS:
        memo.clear()
