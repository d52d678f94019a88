"""Inbound messages (sender and text) are deleted after the retention period (UU PDP)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from balai.channels.models import InboundMessage
from balai.channels.retention import forget_old_messages, retention_days


def _message(n: int, age_days: float) -> InboundMessage:
    return InboundMessage.objects.create(channel="sms", gateway_message_id=f"gw-{n}", sender="+6281234567890",
                                         body=f"LAPOR JALAN rusak {n}",
                                         received_at=timezone.now() - timedelta(days=age_days))


@pytest.mark.django_db
def test_messages_older_than_the_retention_period_are_deleted(settings, monkeypatch):
    settings.BALAI_INBOUND_RETENTION_DAYS = 30
    monkeypatch.setattr("balai.channels.retention.BATCH", 2)  # several batches
    old = [_message(i, 31 + i) for i in range(5)]
    recent = [_message(10, 29), _message(11, 0)]
    assert forget_old_messages() == len(old)
    assert set(InboundMessage.objects.values_list("pk", flat=True)) == {m.pk for m in recent}
    assert forget_old_messages() == 0  # idempotent


@pytest.mark.django_db
def test_retention_never_shorter_than_the_rate_limit_window(settings):
    settings.BALAI_INBOUND_RETENTION_DAYS = 0
    assert retention_days() == 2
    _message(1, 1)
    assert forget_old_messages() == 0
    settings.BALAI_CHANNELS_RATE_LIMITS = [[600, 10], [7 * 86400, 100]]
    assert retention_days() == 8


def test_the_job_runs_every_hour(settings):
    from balai.channels.tasks import forget_inbound_messages

    assert settings.BALAI_PERIODIC_TASKS["balai.channels.tasks.forget_inbound_messages"] == 3600
    assert forget_inbound_messages.module_path == "balai.channels.tasks.forget_inbound_messages"
