"""One workflow action on a case, as a value: what `case_transition(case, command)` applies (ADR 0026)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import UploadedFile

    from balai.agencies.models import Agency, Unit
    from balai.cases.submission import JSONValue
    from balai.people.models import User

# Who acts: a signed-in user (staff, or the citizen with an account), or None (the citizen proven by a
# face's own means, or the engine itself with `system=True`).
Actor: TypeAlias = "User | AnonymousUser | None"


@dataclass(frozen=True, kw_only=True)
class CaseCommand:
    """An action of the case's workflow (`balai.cases.workflows`) with what it needs.

    `actor=None` with `channel` is the citizen (proven by the face); `system=True` is the engine itself
    (the sweep). `expected_version` refuses the action if the case changed since the actor saw it. `at`
    replays an action at a past moment (demo data, imports). `reason`, `body`, `target_unit`/`target_agency`,
    `assignee` and `exemption` are the requirements some actions have (`Transition.requires`); `files` are
    attached to the action's timeline event; `is_public=False` keeps the event internal; `data` is added to
    the event's data.
    """

    action: str
    actor: Actor = None
    expected_version: int | None = None
    reason: str = ""
    body: str = ""
    target_unit: Unit | None = None
    target_agency: Agency | None = None
    assignee: User | None = None
    files: Iterable[UploadedFile] = ()
    exemption: str = ""
    is_public: bool = True
    system: bool = False
    channel: str | None = None
    at: datetime | None = None
    data: Mapping[str, JSONValue] = field(default_factory=dict)

    def but(self, **changes: object) -> CaseCommand:
        """A copy with some fields changed (`dataclasses.replace`)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
