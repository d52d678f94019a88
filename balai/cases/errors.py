"""Errors raised by the case engine. Faces catch `CaseError` and show `str(error)` to the user."""

from __future__ import annotations

from django.utils.translation import gettext as _


class CaseError(Exception):
    """Base of every case-engine error; `message` is translated and safe to show."""

    default_message = ""

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message or self.default_message or _("The case could not be changed."))
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class PermissionDeniedError(CaseError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You are not allowed to do this on this case."))


class TransitionNotAllowed(CaseError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("This action is not possible in the current status of the case."))


class MissingRequirement(CaseError):
    """Something the action needs is missing or invalid; `field_errors` maps field → messages."""

    def __init__(self, field_errors: dict[str, list[str]], message: str | None = None) -> None:
        self.field_errors = {k: [str(m) for m in v] for k, v in field_errors.items()}
        super().__init__(message or _("Some information needed for this action is missing."))


class ConflictError(CaseError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _("Someone else changed this case a moment ago. Reload the case to see the change, then try again.")
        )
