"""One outbox that knows nothing of cases (ADR 0027): `balai.notify` imports nothing of `balai.cases`, and
no module but the outbox writes `Message` rows (the channels' keyword replies go through it too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import balai
from tests.test_layers import imported_modules, module_name

ROOT = Path(balai.__file__).resolve().parent
OUTBOX = ROOT / "notify" / "outbox.py"


def test_notify_imports_nothing_of_cases():
    found = []
    for path in sorted((ROOT / "notify").rglob("*.py")):
        if "migrations" in path.parts:
            continue  # the data migration that moved the case link reads the historical Case
        module = module_name(path, ROOT)
        for line, target in imported_modules(path.read_text(encoding="utf-8"), module=module,
                                             is_package=path.name == "__init__.py"):
            if target == "balai.cases" or target.startswith("balai.cases."):
                found.append(f"{path.relative_to(ROOT.parent)}:{line} {target}")
    assert found == []


def _writes_messages(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Message":
            lines.append(node.lineno)  # Message(...).save()
        elif (isinstance(func, ast.Attribute) and func.attr in ("create", "bulk_create", "get_or_create")
              and isinstance(func.value, ast.Attribute) and func.value.attr == "objects"
              and isinstance(func.value.value, ast.Name) and func.value.value.id == "Message"):
            lines.append(node.lineno)
    return lines


def test_only_the_outbox_writes_message_rows():
    found = [f"{path.relative_to(ROOT.parent)}:{line}" for path in sorted(ROOT.rglob("*.py"))
             if path != OUTBOX and "migrations" not in path.parts
             for line in _writes_messages(path.read_text(encoding="utf-8"))]
    assert found == []
    assert _writes_messages(OUTBOX.read_text(encoding="utf-8"))  # the scan does see a write


@pytest.mark.django_db
def test_a_message_about_any_subject_keeps_its_reference(settings):
    from balai.notify.models import Message
    from balai.notify.outbox import queue_message
    from tests.factories import UserFactory

    user = UserFactory()  # any model instance can be what a message is about
    message = queue_message(channel="email", recipient="warga@contoh.id", language="id", event="otp",
                            body="Kode Anda 123456", subject="Kode", about=user, reference="REF-1",
                            template_version="test")
    message = Message.objects.get(pk=message.pk)
    assert (message.about, message.reference, message.body, message.status) == (user, "REF-1", "Kode Anda 123456",
                                                                               "queued")
