from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balai.cases.messages import queue_case_message
from balai.cases.selectors import messages_for_case
from balai.notify import outbox
from balai.notify.models import DevMessage, Message, MessageStatus, RecipientHealth
from balai.notify.outbox import (
    OutboxPolicy,
    backoff_delay,
    clear_recipient_failing,
    deliver,
    queue_direct_message,
    record_receipt,
)
from balai.notify.selectors import recipient_is_failing
from balai.notify.tasks import deliver_due_messages
from tests.factories import UserFactory
from tests.notify.factories import make_case

pytestmark = pytest.mark.django_db
DELIVER_PATH = "balai.notify.tasks.deliver_message"


def later(minutes: float = 0, hours: float = 0):
    return timezone.now() + timedelta(minutes=minutes, hours=hours)


# --- queueing -----------------------------------------------------------------------------------------

def test_queue_case_message_writes_rendered_row_and_its_task_in_the_same_transaction(
        django_capture_on_commit_callbacks):
    """With the database task backend the task row is written next to the message (ADR 0008, one
    commit): nothing is left to do after the commit, so a submission commits once, not twice."""
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            [message] = queue_case_message(case=case, event="received")
            task = DBTaskResult.objects.get(task_path=DELIVER_PATH)  # already there, inside the transaction
            assert task.args_kwargs["args"] == [message.pk]
    assert callbacks == []
    assert DBTaskResult.objects.filter(task_path=DELIVER_PATH).count() == 1
    assert message.channel == "sms" and message.recipient == "+6281234567890" and message.language == "id"
    assert message.status == MessageStatus.QUEUED and message.attempts == 0
    assert case.tracking_code in message.body and "diterima" in message.body
    assert message.template_version.startswith("default:")
    assert list(messages_for_case(case)) == [message]


def test_other_task_backends_are_enqueued_after_commit(settings, django_capture_on_commit_callbacks):
    """A broker or the immediate backend cannot join the transaction: enqueue after commit, as before."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from django_tasks import task_backends

    case = make_case()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            queue_case_message(case=case, event="received")
    assert len(callbacks) == 1
    assert task_backends["default"].results == []
    callbacks[0]()
    assert len(task_backends["default"].results) == 1
    assert DBTaskResult.objects.count() == 0


def test_rolled_back_transaction_writes_and_sends_nothing(django_capture_on_commit_callbacks):
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                queue_case_message(case=case, event="received")
                raise RuntimeError("the transition failed after queueing")
    assert callbacks == []
    assert Message.objects.count() == 0
    assert DBTaskResult.objects.filter(task_path=DELIVER_PATH).count() == 0
    assert deliver() == 0
    assert DevMessage.objects.count() == 0


def test_no_message_when_citizen_chose_none_or_left_no_contact():
    assert queue_case_message(case=make_case(contact_channel="none"), event="received") == []
    assert queue_case_message(case=make_case(contact_phone="", contact_email=""), event="answered") == []
    assert Message.objects.count() == 0


def test_english_case_gets_english_text_and_email_channel():
    case = make_case(language="en", contact_channel="email")
    [message] = queue_case_message(case=case, event="answered", extra={"answer_excerpt": "The road is fixed."})
    assert message.channel == "email" and message.recipient == "siti@example.id"
    assert message.subject == f"[{case.tracking_code}] Your complaint was answered"
    assert "The road is fixed." in message.body


def test_chosen_channel_without_address_falls_back_to_the_contact_given():
    [message] = queue_case_message(case=make_case(contact_channel="whatsapp", contact_phone=""), event="received")
    assert (message.channel, message.recipient) == ("email", "siti@example.id")


def test_citizen_account_contact_is_used_when_case_has_none():
    user = UserFactory(phone="+6281399990000")
    [message] = queue_case_message(case=make_case(contact_phone="", contact_email="", citizen=user),
                                   event="received")
    assert message.recipient == "+6281399990000"


def test_anonymous_case_still_gets_messages_and_the_identity_read_is_audited():
    from balai.audit.models import AuditRecord

    case = make_case(confidentiality="anonymous")
    [message] = queue_case_message(case=case, event="received")
    assert message.recipient == "+6281234567890"
    assert AuditRecord.objects.filter(action="identity.read").count() == 1


def test_direct_message_for_otp_and_validation():
    message = queue_direct_message(channel="sms", recipient="+6281200001111", language="en", event="otp",
                                   context={"otp": "123456"})
    assert message.subject_id is None and "123456" in message.body and message.body.startswith("Balai: Your code")
    with pytest.raises(ValueError):
        queue_direct_message(channel="pigeon", recipient="x", language="id", event="otp", context={})
    with pytest.raises(ValueError):
        queue_direct_message(channel="sms", recipient="", language="id", event="otp", context={})


# --- delivery through the development gateway -----------------------------------------------------

def test_dev_gateway_delivers_and_keeps_the_message(settings):
    settings.BALAI_SMS_GATEWAY = None
    message = queue_direct_message(channel="sms", recipient="+6281200001111", language="id", event="otp",
                                   context={"otp": "654321"})
    assert deliver_due_messages.func() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at and message.attempts == 1
    dev = DevMessage.objects.get()
    assert dev.address == "+6281200001111" and "654321" in dev.body and dev.message_id == message.pk
    assert message.gateway_message_id == f"dev-{dev.pk}"


def test_email_via_django_backend_carries_idempotency_message_id(settings, mailoutbox):
    settings.BALAI_EMAIL_GATEWAY = "django"
    settings.DEFAULT_FROM_EMAIL = "Balai <noreply@balai.example>"
    case = make_case(contact_channel="email")
    [message] = queue_case_message(case=case, event="received")
    deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["siti@example.id"] and sent.subject == message.subject
    assert sent.extra_headers["Message-ID"] == f"<{message.idempotency_key}@balai.example>"
    assert message.gateway_message_id == sent.extra_headers["Message-ID"]


# --- retries over real HTTP ------------------------------------------------------------------------

def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    pol = OutboxPolicy(backoff_base_seconds=30, backoff_cap_seconds=3600)
    rng = random.Random(7)
    for attempt, full in [(1, 30), (2, 60), (3, 120), (4, 240), (8, 3600), (20, 3600)]:
        delays = [backoff_delay(attempt, pol=pol, rng=rng).total_seconds() for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len({round(d, 3) for d in delays}) > 1  # jittered, not lock step


def test_temporary_failures_are_retried_with_backoff_then_delivered(fake_gateway):
    message = queue_direct_message(channel="sms", recipient="+6281200001111", language="id", event="otp",
                                   context={"otp": "111222"})
    fake_gateway.fail_next("500")
    fake_gateway.fail_next("timeout")
    assert deliver() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED_TEMPORARY and message.attempts == 1
    assert "HTTP 500" in message.last_error
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=14) <= first_wait <= timedelta(seconds=31)
    assert deliver() == 0  # not due yet

    assert deliver(now=later(minutes=1)) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED_TEMPORARY and message.attempts == 2
    assert "timeout" in message.last_error
    assert message.next_attempt_at - timezone.now() >= timedelta(seconds=29)

    assert deliver(now=later(minutes=5)) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 3 and message.last_error == ""
    assert message.gateway_message_id == "gw-1"
    assert len(fake_gateway.requests) == 3 and len(fake_gateway.delivered) == 1
    sent = fake_gateway.requests[-1]
    assert sent["payload"]["reference"] == str(message.idempotency_key)
    assert sent["payload"]["to"] == "+6281200001111" and "111222" in sent["payload"]["text"]
    assert sent["headers"]["Authorization"] == "Bearer test-token"


def test_max_attempts_makes_the_failure_permanent(fake_gateway, settings):
    settings.BALAI_NOTIFY = {"MAX_ATTEMPTS": 3}
    message = queue_direct_message(channel="sms", recipient="+6281200001111", language="id", event="otp",
                                   context={"otp": "1"})
    fake_gateway.fail_next("500", times=5)
    for hours in (0, 1, 2, 3):
        deliver(now=later(hours=hours))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED_PERMANENT and message.attempts == 3
    assert len(fake_gateway.requests) == 3
    assert not recipient_is_failing("+6281200001111")  # a gateway outage is not the citizen's fault


def test_4xx_is_permanent_at_once(fake_gateway):
    message = queue_direct_message(channel="sms", recipient="+6281200001111", language="id", event="otp",
                                   context={"otp": "1"})
    fake_gateway.fail_next("400")
    deliver()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED_PERMANENT and message.attempts == 1
    assert "HTTP 400" in message.last_error
    assert deliver(now=later(hours=5)) == 0


def test_no_double_send_after_a_crash_between_sending_and_recording(fake_gateway, monkeypatch):
    case = make_case()
    [message] = queue_case_message(case=case, event="received")

    def crash(**kwargs):
        raise RuntimeError("worker killed after the gateway accepted")

    monkeypatch.setattr(outbox, "record_result", crash)
    with pytest.raises(RuntimeError):
        deliver(message_id=message.pk)
    monkeypatch.undo()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING  # the claim was committed before the gateway call
    assert len(fake_gateway.delivered) == 1

    assert deliver() == 0  # still within the sending lease: nobody touches it
    assert deliver(now=later(minutes=6)) == 1  # presumed crashed: resent with the SAME key
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert len(fake_gateway.requests) == 2
    refs = {r["payload"]["reference"] for r in fake_gateway.requests}
    assert refs == {str(message.idempotency_key)}
    assert len(fake_gateway.delivered) == 1  # the citizen got it once
    assert message.gateway_message_id == "gw-1"


def test_form_encoded_provider_with_field_map(fake_gateway, settings):
    fake_gateway.reference_field = "client_ref"
    settings.BALAI_WHATSAPP_GATEWAY = fake_gateway.config(
        request_format="form", field_map={"to": "msisdn", "text": "message", "reference": "client_ref"},
        static_fields={"type": "wa"}, auth_header="X-Api-Key", auth_scheme="",
    )
    message = queue_direct_message(channel="whatsapp", recipient="+6281200001111", language="en", event="otp",
                                   context={"otp": "777"})
    deliver()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    request = fake_gateway.requests[0]
    assert request["payload"]["msisdn"] == "+6281200001111" and request["payload"]["type"] == "wa"
    assert request["payload"]["client_ref"] == str(message.idempotency_key)
    assert request["headers"]["X-Api-Key"] == "test-token"


# --- receipts and failing recipients ------------------------------------------------------------

def _sent_message(fake_gateway, recipient="+6281234567890"):
    message = queue_direct_message(channel="sms", recipient=recipient, language="id", event="otp",
                                   context={"otp": "1"})
    deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    return message


def test_delivery_receipt_is_applied_once(fake_gateway):
    message = _sent_message(fake_gateway)
    at = later(minutes=1)
    assert record_receipt(gateway_message_id=message.gateway_message_id, status="delivered", at=at).pk == message.pk
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at == at
    # a replayed or late contradicting receipt changes nothing
    record_receipt(gateway_message_id=message.gateway_message_id, status="delivered", at=later(minutes=9))
    record_receipt(gateway_message_id=message.gateway_message_id, status="failed")
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at == at
    assert record_receipt(gateway_message_id="unknown", status="delivered") is None
    with pytest.raises(ValueError):
        record_receipt(gateway_message_id=message.gateway_message_id, status="read")


def test_number_failing_repeatedly_is_marked_and_further_messages_suppressed(fake_gateway, settings):
    settings.BALAI_NOTIFY = {"FAILING_THRESHOLD": 3}
    user = UserFactory(phone="+6281234567890")
    for i in range(3):
        message = _sent_message(fake_gateway)
        record_receipt(gateway_message_id=message.gateway_message_id, status="failed", error="UNDELIV")
        record_receipt(gateway_message_id=message.gateway_message_id, status="failed")  # replay: not counted
        assert recipient_is_failing("+6281234567890") is (i == 2)
    health = RecipientHealth.objects.get(recipient="+6281234567890")
    assert health.consecutive_failures == 3 and health.last_error == "UNDELIV"
    user.refresh_from_db()
    assert user.phone_failing

    [suppressed] = queue_case_message(case=make_case(), event="answered")
    assert suppressed.status == MessageStatus.SUPPRESSED
    assert deliver(now=later(hours=1)) == 0
    otp = queue_direct_message(channel="sms", recipient="+6281234567890", language="id", event="otp",
                               context={"otp": "9"})
    assert otp.status == MessageStatus.QUEUED  # the citizen is asking for a code right now

    clear_recipient_failing(recipient="+6281234567890")
    user.refresh_from_db()
    assert not recipient_is_failing("+6281234567890") and not user.phone_failing
    # cleared with .update() (no signal, as another process would): the remembered set of failing
    # recipients is stale, but a "failing" answer is always confirmed, so nothing is suppressed
    [message] = queue_case_message(case=make_case(), event="answered")
    assert message.status == MessageStatus.QUEUED


def test_the_failing_check_costs_no_query_for_a_healthy_recipient(django_assert_num_queries):
    RecipientHealth.objects.create(recipient="+6281300000000", contact_failing=True)
    assert outbox._initial_status(recipient="+6281300000000", event="received") == MessageStatus.SUPPRESSED
    with django_assert_num_queries(0):
        assert outbox._initial_status(recipient="+6281234567890", event="received") == MessageStatus.QUEUED


def test_a_delivered_message_resets_the_failure_count(fake_gateway):
    first = _sent_message(fake_gateway)
    record_receipt(gateway_message_id=first.gateway_message_id, status="failed")
    assert RecipientHealth.objects.get().consecutive_failures == 1
    second = _sent_message(fake_gateway)
    record_receipt(gateway_message_id=second.gateway_message_id, status="delivered")
    assert RecipientHealth.objects.get().consecutive_failures == 0
