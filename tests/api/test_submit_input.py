"""A submission's input is checked by the declared fields directly (`DeclaredFieldsValidation`): for every
input, the same validated data or the same errors (messages and codes) as DRF's own way."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict
from rest_framework import serializers

from balai.api.serializers import CaseSubmitSerializer
from tests.api.conftest import submission

pytestmark = pytest.mark.django_db


class DrfWay(CaseSubmitSerializer):
    """The same serializer validated the whole DRF way (fields copied and bound per instance)."""

    def run_validation(self, data=serializers.empty):
        return serializers.Serializer.run_validation(self, data)


def variants(world) -> list[object]:
    base = submission(world)
    complaint = submission(world, kind="complaint", service="", answers={}, complaint_category=world.category.slug)
    changes: list[dict] = [
        {}, {"unknown": "ignored", "extra": [1, 2]}, {"title": "  padded title  ", "contact_name": "\tSiti  "},
        {"title": 123}, {"title": 1.5}, {"title": True}, {"title": None}, {"title": ""}, {"title": "   "},
        {"title": "x" * 200}, {"title": "x" * 201}, {"title": "nul\x00char"}, {"title": "lone \ud800 surrogate"},
        {"title": ["a"]}, {"title": {"a": 1}}, {"description": "d" * 10001}, {"description": None},
        {"kind": "ict_request"}, {"kind": "nope"}, {"kind": 1}, {"kind": None}, {"kind": ""},
        {"language": "en"}, {"language": "fr"}, {"language": None}, {"language": ""},
        {"contact_channel": "email"}, {"contact_channel": "pigeon"}, {"confidentiality": "public"},
        {"confidentiality": "secret"}, {"latitude": -0.5021, "longitude": 117.1536},
        {"latitude": "-0.502100", "longitude": "117.153600"}, {"latitude": None, "longitude": None},
        {"latitude": 91}, {"longitude": -181}, {"latitude": "abc"}, {"latitude": "1.1234567"},
        {"latitude": "NaN"}, {"latitude": "Infinity"}, {"latitude": 12345678.5}, {"latitude": True},
        {"answers": {"jumlah": 3, "keperluan": "sekolah", "nested": {"a": [1, None]}}}, {"answers": {"jumlah": None}},
        {"answers": []}, {"answers": "jumlah=2"}, {"answers": None}, {"answers": {}},
        {"accommodations": ["sign_language"]}, {"accommodations": ["nope"]}, {"accommodations": "sign_language"},
        {"accommodations": ["sign_language"] * 21}, {"accommodations": None}, {"accommodations": []},
        {"service": "no-such-service"}, {"service": None}, {"service": ""}, {"region": world.region.code},
        {"region": "99.99"}, {"agency": world.agency.slug}, {"agency": "nope"}, {"complaint_category": "nope"},
        {"contact_phone": "0" * 33}, {"contact_email": 5}, {"location_text": "Jl. Gajah Mada"},
        {"accommodation_note": "kursi roda"},
    ]
    out: list[object] = [base | c for c in changes]
    out += [{k: v for k, v in base.items() if k != "title"}, {k: v for k, v in base.items() if k != "kind"}]
    out += [complaint, complaint | {"region": world.region.code, "latitude": "0.5"}, {}, [], "text", None, 5]
    return out


def outcome(serializer_class, data) -> tuple:
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return True, dict(serializer.validated_data)
    return False, serializer.errors


def test_every_input_gets_what_drf_gives(api_world):
    valid = 0
    for data in variants(api_world):
        ours, drf = outcome(CaseSubmitSerializer, data), outcome(DrfWay, data)
        valid += ours[0]
        assert ours == drf, data
        if ours[0] is False:  # codes too ("required", "max_length", "invalid_choice", "not_found", …)
            assert repr(ours[1]) == repr(drf[1]), data
    assert 15 < valid < len(variants(api_world)) - 30  # both kinds well represented


def test_valid_json_input_skips_the_bound_fields(api_world):
    data = submission(api_world, latitude="-0.5", longitude=117, language="en", accommodations=["sign_language"])
    serializer = CaseSubmitSerializer(data=data)
    assert serializer.is_valid(), serializer.errors
    assert "fields" not in serializer.__dict__  # the declared fields checked it; none copied or bound
    assert serializer.validated_data["service"] == api_world.service
    assert serializer.validated_data["latitude"] == Decimal("-0.500000")
    assert serializer.validated_data["description"] == "" and serializer.validated_data["answers"] == {"jumlah": 2}
    assert "language" in serializer.validated_data


def test_form_input_and_refused_input_go_the_drf_way(api_world):
    form = QueryDict(mutable=True)
    form.update({"kind": "service_request", "title": "Surat", "service": api_world.service.code})
    serializer = CaseSubmitSerializer(data=form)
    assert serializer.is_valid(), serializer.errors
    assert "fields" in serializer.__dict__ and dict(serializer.validated_data) == outcome(DrfWay, form)[1]
    refused = CaseSubmitSerializer(data=submission(api_world, title=""))
    assert not refused.is_valid() and "fields" in refused.__dict__
    assert list(refused.errors) == ["title"] and refused.errors["title"][0].code == "blank"
