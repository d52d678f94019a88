"""Cases and messages for the notify tests (a Case made directly, without the case engine)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from balai.cases.models import Case
from tests.factories import AgencyFactory

_seq = itertools.count(1)


def make_case(**overrides) -> Case:
    n = next(_seq)
    agency = overrides.pop("agency", None) or AgencyFactory(short_name="Disdukcapil Samarinda")
    fields = {
        "tracking_code": f"KT-T{n:03d}-2X9P"[:12],
        "kind": "complaint",
        "title": "Jalan berlubang di Jl. Juanda dekat pasar Segiri",
        "government": agency.government,
        "agency": agency,
        "status": "submitted",
        "submitted_at": timezone.now(),
        "due_at": timezone.now() + timedelta(days=7),
        "contact_name": "Siti Rahmawati",
        "contact_phone": "+6281234567890",
        "contact_email": "siti@example.id",
        "contact_channel": "sms",
        "language": "id",
    }
    fields.update(overrides)
    return Case.objects.create(**fields)
