"""Records of every agency's citizens that belong to no agency are a superuser's in the admin (ADR 0015): an
agency's administrator holding every permission of the people, ppid, audit and task-queue apps reads no data
subject request (the person's contact and words), no notice subscriber (a phone number or e-mail address),
no audit record (which links to the citizen who acted and holds tracking codes of other agencies' cases)
and no queued job; a superuser's answer to a data subject request and every change of a subscriber are in
the audit chain without the contact or the free text."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from balai.audit.models import AuditRecord
from balai.audit.services import audit_record, verify_chain
from balai.people.data_requests import data_request_answer, data_request_create
from balai.people.models import DataRequest
from balai.ppid.models import NoticeSubscriber
from tests.otp import verified_login
from tests.security.helpers import agency_admin, superuser

pytestmark = pytest.mark.django_db
PHONE = "+6281234567890"
NIK = "6472011203850004"
CITIZEN_RECORDS = ("people_datarequest", "ppid_noticesubscriber", "audit_auditrecord",
                   "django_tasks_database_dbtaskresult")


def _admin_with_every_permission():
    """The demo's agency administrator, given every permission of the apps holding these records too."""
    user = agency_admin()
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label__in=("people", "ppid", "audit", "django_tasks_database")))
    return user


def _request() -> DataRequest:
    return data_request_create(user=None, kind=DataRequest.Kind.DELETION, contact=PHONE, channel="counter",
                               details=f"Hapus data saya, NIK {NIK}")


def test_an_agency_administrator_reads_no_citizen_record_of_no_agency(client):
    request = _request()
    subscriber = NoticeSubscriber.objects.create(channel="sms", recipient=PHONE)
    record = audit_record(action="case.link_account", actor_label="system", data={"tracking_code": "LPR-7Q2X9K"})
    verified_login(client, _admin_with_every_permission())
    for name in CITIZEN_RECORDS:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
    for name, row in (("people_datarequest", request), ("ppid_noticesubscriber", subscriber),
                      ("audit_auditrecord", record)):
        assert client.get(reverse(f"admin:{name}_change", args=[row.pk])).status_code == 403, name
    assert client.get(reverse("admin:ppid_noticesubscriber_add")).status_code == 403
    assert client.post(reverse("admin:ppid_noticesubscriber_add"), {
        "channel": "sms", "recipient": "+6281299990000", "language": "id", "is_active": "on"}).status_code == 403
    assert client.post(reverse("admin:people_datarequest_change", args=[request.pk]), {
        "status": "completed", "outcome": "Selesai"}).status_code == 403
    request.refresh_from_db()
    assert request.status == DataRequest.Status.RECEIVED and NoticeSubscriber.objects.count() == 1
    index = client.get(reverse("admin:index")).content.decode()
    assert PHONE not in index and not any(name.split("_")[-1] in index for name in CITIZEN_RECORDS)


def test_the_answer_service_refuses_anyone_but_a_superuser():
    request = _request()
    request.status = DataRequest.Status.REFUSED
    with pytest.raises(PermissionDenied):
        data_request_answer(actor=agency_admin(), data_request=request, via="admin")
    assert DataRequest.objects.get(pk=request.pk).status == DataRequest.Status.RECEIVED


def test_a_superusers_answer_to_a_data_request_is_audited_without_the_persons_words(client):
    request = _request()
    root = superuser()
    verified_login(client, root)
    url = reverse("admin:people_datarequest_change", args=[request.pk])
    page = client.get(url)
    assert page.status_code == 200 and PHONE in page.content.decode()
    response = client.post(url, {"status": "completed", "outcome": f"Akun {PHONE} dihapus",
                                 "completed_at_0": "2026-05-04", "completed_at_1": "10:00:00"})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    request.refresh_from_db()
    assert request.status == DataRequest.Status.COMPLETED and request.contact == PHONE
    answer = AuditRecord.objects.get(action="people.data_request.answer")
    assert answer.actor == root and answer.target_id == str(request.pk) and answer.data["via"] == "admin"
    assert answer.data["status"] == {"before": "received", "after": "completed"}
    assert answer.data["outcome_changed"] is True and answer.data["completed_at"]["after"]
    assert PHONE[1:] not in str(answer.data) and NIK not in str(answer.data)
    before = AuditRecord.objects.count()
    client.post(url, {"status": "completed", "outcome": f"Akun {PHONE} dihapus",
                      "completed_at_0": "2026-05-04", "completed_at_1": "10:00:00"})
    assert AuditRecord.objects.count() == before  # nothing changed, nothing recorded
    assert verify_chain().ok


def test_a_superusers_subscriber_changes_are_audited_without_the_address(client):
    root = superuser()
    verified_login(client, root)
    response = client.post(reverse("admin:ppid_noticesubscriber_add"), {
        "channel": "sms", "recipient": PHONE, "language": "id", "is_active": "on"})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    subscriber = NoticeSubscriber.objects.get()
    added = AuditRecord.objects.get(action="ppid.noticesubscriber.save", target_id=str(subscriber.pk))
    assert added.actor == root and added.data["created"] is True and added.data["after"]["recipient"] is True
    assert client.post(reverse("admin:ppid_noticesubscriber_delete", args=[subscriber.pk]),
                       {"post": "yes"}).status_code == 302
    assert not NoticeSubscriber.objects.exists()
    deleted = AuditRecord.objects.get(action="ppid.noticesubscriber.delete", target_id=str(subscriber.pk))
    assert deleted.actor == root and deleted.data["via"] == "admin"
    assert not AuditRecord.objects.filter(data__icontains=PHONE[1:]).exists()
    assert verify_chain().ok


def test_a_superuser_reads_the_audit_chain_and_the_queue_but_changes_neither(client):
    record = audit_record(action="case.link_account", actor_label="system", data={"tracking_code": "LPR-7Q2X9K"})
    verified_login(client, superuser())
    for name in ("audit_auditrecord", "django_tasks_database_dbtaskresult"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403, name
    assert client.post(reverse("admin:audit_auditrecord_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()
