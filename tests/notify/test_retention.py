"""Who was sent what is blanked after the retention period; the row itself stays (UU PDP)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from balai.notify.models import Message
from balai.notify.retention import forget_old_contents, retention_days


def _message(age_days: int, status: str) -> Message:
    return Message.objects.create(event="received", channel="sms", recipient="+6281234567890", language="id",
                                  subject="", body="Laporan KT-7M4Q-2X9P diterima.", status=status,
                                  created_at=timezone.now() - timedelta(days=age_days))


@pytest.mark.django_db
def test_finished_messages_older_than_the_period_are_blanked(settings, monkeypatch):
    settings.BALAI_MESSAGE_RETENTION_DAYS = 100
    monkeypatch.setattr("balai.notify.retention.BATCH", 1)
    old_sent, old_delivered = _message(101, "sent"), _message(200, "delivered")
    old_retrying = _message(150, "failed_temporary")  # still being delivered: kept whole
    recent = _message(99, "sent")
    assert forget_old_contents() == 2
    for m in (old_sent, old_delivered):
        m.refresh_from_db()
        assert (m.recipient, m.body, m.status) == ("", "", m.status) and m.event == "received"
    for m in (old_retrying, recent):
        m.refresh_from_db()
        assert m.recipient == "+6281234567890" and m.body
    assert forget_old_contents() == 0
    assert Message.objects.count() == 4


def test_the_period_has_a_floor_and_the_job_is_scheduled(settings):
    settings.BALAI_MESSAGE_RETENTION_DAYS = 1
    assert retention_days() == 30
    assert settings.BALAI_PERIODIC_TASKS["balai.notify.tasks.forget_old_message_contents"] == 3600
