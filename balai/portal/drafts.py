"""What a citizen has typed and uploaded in a multi-step portal flow, kept until they send it.

Typed answers live in the session (no JavaScript, no hidden fields to tamper with). Uploaded files are
checked at once with the engine's rules (size and content type, `balai.cases.attachments`) so the
citizen hears about a bad file on the page where they chose it, and are then kept under a random name
in the upload storage (outside the web root) until the case is sent, when the engine stores them for
good and the temporary copies are deleted. Only the session that uploaded a file knows its name.
Left-over copies of abandoned drafts are removed after a day by `purge_stale_uploads` (hourly task
`balai.portal.tasks.purge_draft_uploads`); a draft whose file has gone asks for it again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

from balai.cases.attachments import check_upload

SESSION_KEY = "portal_drafts"
TEMP_DIR = "portal-drafts"
MAX_FILES_PER_FIELD = 5


@dataclass(frozen=True)
class StashedFile:
    token: str
    name: str
    size: int

    def as_dict(self) -> dict:
        return {"token": self.token, "name": self.name, "size": self.size}


def _all(request: HttpRequest) -> dict:
    return request.session.get(SESSION_KEY) or {}


def get_draft(request: HttpRequest, flow: str) -> dict:
    """The draft of `flow`: {"steps": {step: raw values}, "files": {field: [file dicts]}, ...}."""
    draft = _all(request).get(flow) or {}
    draft.setdefault("steps", {})
    draft.setdefault("files", {})
    return draft


def save_draft(request: HttpRequest, flow: str, draft: dict) -> None:
    drafts = dict(_all(request))
    drafts[flow] = draft
    request.session[SESSION_KEY] = drafts


def clear_draft(request: HttpRequest, flow: str) -> None:
    """Forget a draft and delete its temporary files (after sending, or when the citizen starts over)."""
    draft = _all(request).get(flow)
    if not draft:
        return
    for files in (draft.get("files") or {}).values():
        for item in files:
            _delete(item.get("token", ""))
    drafts = dict(_all(request))
    drafts.pop(flow, None)
    request.session[SESSION_KEY] = drafts


def _path(token: str) -> str:
    return f"{TEMP_DIR}/{token}"


def _delete(token: str) -> None:
    if token and token.isalnum():
        try:
            default_storage.delete(_path(token))
        except OSError:  # already gone: nothing to do
            pass


def stash_upload(request: HttpRequest, flow: str, field: str, uploaded, *, replace: bool = True) -> StashedFile:
    """Check `uploaded` and keep it for this session's draft of `flow` (ValidationError if refused)."""
    data, name = check_upload(uploaded)
    token = secrets.token_hex(20)
    default_storage.save(_path(token), ContentFile(data))
    draft = get_draft(request, flow)
    files = list(draft["files"].get(field) or [])
    if replace:
        for old in files:
            _delete(old.get("token", ""))
        files = []
    files = (files + [StashedFile(token, name, len(data)).as_dict()])[-MAX_FILES_PER_FIELD:]
    draft["files"][field] = files
    save_draft(request, flow, draft)
    return StashedFile(token, name, len(data))


def remove_upload(request: HttpRequest, flow: str, field: str, token: str) -> None:
    draft = get_draft(request, flow)
    files = draft["files"].get(field) or []
    kept = [f for f in files if f.get("token") != token]
    if len(kept) != len(files):
        _delete(token)
        draft["files"][field] = kept
        save_draft(request, flow, draft)


def stashed(request: HttpRequest, flow: str, field: str) -> list[dict]:
    return list(get_draft(request, flow)["files"].get(field) or [])


def is_kept(item: dict) -> bool:
    token = item.get("token", "")
    return token.isalnum() and default_storage.exists(_path(token))


def open_stashed(item: dict) -> File | None:
    """The kept file as a Django File (named as the citizen named it), or None if it has gone."""
    token = item.get("token", "")
    if not token.isalnum() or not default_storage.exists(_path(token)):
        return None
    handle = default_storage.open(_path(token), "rb")
    return File(handle, name=item.get("name") or "lampiran")


def close_all(files: Any) -> None:
    values = files.values() if isinstance(files, dict) else files
    for f in values:
        try:
            f.close()
        except (OSError, AttributeError):
            pass


def purge_stale_uploads(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete temporary files of drafts nobody finished; returns how many were deleted."""
    try:
        _dirs, names = default_storage.listdir(TEMP_DIR)
    except (FileNotFoundError, OSError):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in names:
        path = _path(name)
        try:
            modified = default_storage.get_modified_time(path)
        except (FileNotFoundError, OSError):
            continue
        if modified < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
