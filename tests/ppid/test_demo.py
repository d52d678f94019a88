"""The PPID demo data (balai/ops/demo/ppid.py): a realistic register, exempt items with their tests, one opening
this month, 40 published answered requests, an objection, a dispute and last year's report; idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from balai.ppid.models import AnnualReport, ArchiveEntry, ConsequenceTest, Dispute, InformationItem, Objection

pytestmark = pytest.mark.django_db

STEPS = ("regions", "agencies", "catalog", "people", "worktime", "cases", "ppid")


def test_ppid_demo(settings):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--only", *STEPS, stdout=StringIO())
    items = InformationItem.objects.filter(status="approved")
    assert items.count() >= 60
    assert set(items.values_list("category", flat=True)) == {"berkala", "serta_merta", "setiap_saat", "dikecualikan"}
    assert ConsequenceTest.objects.filter(item__category="dikecualikan").count() >= 3
    today = timezone.localdate()
    assert ConsequenceTest.objects.filter(exempt_until__year=today.year, exempt_until__month=today.month,
                                          item__isnull=False).exists()
    assert ArchiveEntry.objects.filter(status="published").count() >= 40
    assert Objection.objects.exists() and Dispute.objects.count() == 1
    assert AnnualReport.objects.filter(year=today.year - 1, status="published").exists()
    before = (InformationItem.objects.count(), ArchiveEntry.objects.count(), Dispute.objects.count())
    call_command("load_demo", "--only", "ppid", stdout=StringIO())
    assert (InformationItem.objects.count(), ArchiveEntry.objects.count(), Dispute.objects.count()) == before
