"""Bulk actions of the workspace: assign or forward several cases of the officer's units at once.

Each case goes through the engine on its own (its own transition, Event and audit record, its own
optimistic-lock check): one case that cannot be changed does not stop the others, and the officer gets a
result per case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from balai.agencies.selectors import agency_by_pk, unit_by_pk
from balai.cases.errors import CaseError
from balai.cases.queue import base_queue
from balai.cases.selectors import case_by_code
from balai.cases.services import case_assign, case_dispose

if TYPE_CHECKING:
    from balai.people.models import User
    from balai.people.permissions import UserLike


@dataclass
class BulkResult:
    code: str
    ok: bool
    message: str


def bulk_apply(*, user: UserLike, codes: list[str], action: str, assignee: User | None = None, target: str = "",
               reason: str = "") -> list[BulkResult]:
    """Apply `action` ("assign" or "dispose") to each case of `codes` in `user`'s queue separately through the
    engine; one result per case. `target` is "u:<unit id>" or "a:<agency id>" (the forward form's value)."""
    target_unit = target_agency = None
    if target.startswith("u:"):
        target_unit = unit_by_pk(target[2:])
    elif target.startswith("a:"):
        target_agency = agency_by_pk(target[2:])
    allowed = base_queue(user=user)
    results = []
    for code in codes:
        case = case_by_code(code)
        if case is None or not allowed.filter(pk=case.pk).exists():
            results.append(BulkResult(code, False, _("Not found in your units.")))
            continue
        try:
            if action == "assign":
                case_assign(case=case, actor=user, assignee=assignee, expected_version=case.version)
                message = _("Assigned.")
            else:
                case_dispose(case=case, actor=user, reason=reason, target_unit=target_unit,
                             target_agency=target_agency, expected_version=case.version)
                message = _("Forwarded.")
            results.append(BulkResult(case.tracking_code, True, message))
        except CaseError as exc:
            results.append(BulkResult(case.tracking_code, False, exc.message))
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(getattr(exc, "messages", None) or [str(exc)]) or _("The case could not be changed.")
            results.append(BulkResult(case.tracking_code, False, text))
    return results
