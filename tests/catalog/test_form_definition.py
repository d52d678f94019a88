"""Form definitions: validation of the definition, cleaning of answers, the generated Django form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from balai.agencies.models import Region
from balai.catalog.form_definition import build_form_class, validate_answers, validate_form_definition

L = {"id": "Label", "en": "Label"}

GOOD = [
    {"name": "full_name", "type": "text", "label": {"id": "Nama", "en": "Name"}, "required": True, "max_length": 20},
    {"name": "story", "type": "textarea", "label": L, "help": {"id": "Bantuan", "en": "Help"}, "step": 2},
    {"name": "children", "type": "number", "label": L, "min": 0, "max": 10},
    {"name": "birth_date", "type": "date", "label": L},
    {"name": "size", "type": "choice", "label": L, "required": True,
     "choices": [{"value": "s", "label": {"id": "Kecil", "en": "Small"}},
                 {"value": "l", "label": {"id": "Besar", "en": "Large"}}]},
    {"name": "agree", "type": "boolean", "label": L},
    {"name": "ktp", "type": "file", "label": L, "required": True},
    {"name": "nik", "type": "nik", "label": L},
    {"name": "phone", "type": "phone", "label": L},
    {"name": "region", "type": "region", "label": L},
    {"name": "location", "type": "location", "label": L},
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def field(**overrides):
    return {"name": "x", "type": "text", "label": L, **overrides}


def test_good_definition_passes():
    assert validate_form_definition(GOOD) == []
    assert validate_form_definition([]) == []


@pytest.mark.parametrize(("definition", "expected"), [
    ({"name": "x"}, "must be a list"),
    ("[]", "must be a list"),
    (["text"], "Field 1 must be an object"),
    ([{"type": "text", "label": L}], "Field 1 has no name"),
    ([field(name="Nama Lengkap")], "is not valid: use lower-case letters"),
    ([field(name="1st")], "is not valid"),
    ([field(), field()], "\"x\" is used more than once"),
    ([field(type=None)], "has no type"),
    ([field(type="email")], "unknown type \"email\""),
    ([field(colour="red")], "keys that do not apply to it: colour"),
    ([field(choices=[])], "keys that do not apply to it: choices"),
    ([field(min=1)], "keys that do not apply to it: min"),
    ([{"name": "x", "type": "text"}], "needs a label in Indonesian and English"),
    ([field(label="Nama")], "label of field \"x\" must have"),
    ([field(label={"id": "Nama"})], "label of field \"x\" must have"),
    ([field(label={"id": "Nama", "en": "Name", "fr": "Nom"})], "label of field \"x\" must have"),
    ([field(help={"id": "", "en": "x"})], "help of field \"x\""),
    ([field(required="yes")], "\"required\" of field \"x\" must be true or false"),
    ([field(step=0)], "\"step\" of field \"x\""),
    ([field(max_length=-3)], "\"max_length\" of field \"x\""),
    ([field(type="choice")], "needs a list of choices"),
    ([field(type="choice", choices=[])], "must be a non-empty list"),
    ([field(type="choice", choices=["a"])], "Choice 1 of field \"x\""),
    ([field(type="choice", choices=[{"value": "a", "label": "A"}])], "Choice 1 of field \"x\""),
    ([field(type="choice", choices=[{"value": "a", "label": L}, {"value": "a", "label": L}])],
     "offers the choice \"a\" more than once"),
    ([field(type="number", min=5, max=1)], "\"min\" (5) is greater than \"max\" (1)"),
    ([field(type="number", min=1.5)], "\"min\" of field \"x\" must be a whole number"),
    ([field(type="number", max="10")], "\"max\" of field \"x\" must be a whole number"),
    ([field(type="number", max=True)], "\"max\" of field \"x\" must be a whole number"),
])
def test_each_malformed_case_has_a_clear_message(definition, expected):
    errors = validate_form_definition(definition)
    assert errors, f"{definition!r} should be rejected"
    assert any(expected in e for e in errors), errors


def test_messages_follow_the_active_language():
    with translation.override("id"):
        errors = validate_form_definition({"not": "a list"})
    assert errors and "must be a list" not in errors[0]


@pytest.fixture
def samarinda(db):
    Region.objects.create(code="64", name="Kalimantan Timur", level="province")
    return Region.objects.create(code="64.72", name="Kota Samarinda", level="city")


GOOD_ANSWERS = {
    "full_name": "  Siti   Aminah ", "story": "Rumah saya rusak.", "children": "2", "birth_date": "17-08-1990",
    "size": "l", "agree": "on", "nik": "6472015205900001", "phone": "0812-3456-7890", "region": "6472",
    "location": "-0.502106, 117.153709", "unknown": "ignored",
}


def test_valid_answers_are_cleaned_to_json_safe_values(samarinda):
    files = {"ktp": SimpleUploadedFile("ktp.jpg", b"x")}
    cleaned, errors = validate_answers(GOOD, GOOD_ANSWERS, files)
    assert errors == {}
    assert cleaned == {
        "full_name": "Siti Aminah", "story": "Rumah saya rusak.", "children": 2, "birth_date": "1990-08-17",
        "size": "l", "agree": True, "nik": "6472015205900001", "phone": "+6281234567890", "region": "64.72",
        "location": "-0.502106,117.153709",
    }


@pytest.mark.parametrize(("name", "value", "message"), [
    ("full_name", "", "This field is required."),
    ("full_name", "x" * 21, "at most 20 characters"),
    ("children", "banyak", "Enter a number."),
    ("children", "11", "at most 10"),
    ("children", "-1", "at least 0"),
    ("birth_date", "31-02-2020", "Enter a date"),
    ("size", "xl", "Choose one of the options"),
    ("agree", "maybe", "Answer yes or no."),
    ("nik", "123", ""),
    ("nik", "6472015205900000", ""),
    ("phone", "12345", "valid phone number"),
    ("region", "99.99", "Choose a region"),
    ("location", "51.5,-0.12", "inside Indonesia"),
    ("location", "utara pasar", "latitude,longitude"),
])
def test_invalid_answer_per_type(samarinda, name, value, message):
    data = {**GOOD_ANSWERS, name: value}
    cleaned, errors = validate_answers(GOOD, data, {"ktp": SimpleUploadedFile("k.jpg", b"x")}, lang="en")
    assert name in errors and name not in cleaned
    assert message in errors[name][0]
    assert set(errors) == {name}


def test_number_accepts_decimal_comma(samarinda):
    cleaned, errors = validate_answers(GOOD, {**GOOD_ANSWERS, "children": "2,5"}, {"ktp": "x"})
    assert errors == {} and cleaned["children"] == 2.5


def test_missing_required_file_and_choice(samarinda):
    cleaned, errors = validate_answers(GOOD, {"full_name": "Budi"}, {}, lang="en")
    assert errors == {"size": ["This field is required."], "ktp": ["Please attach this file."]}
    assert cleaned == {"full_name": "Budi", "agree": False}


def test_required_checkbox_must_be_ticked():
    definition = [{"name": "consent", "type": "boolean", "label": L, "required": True}]
    assert validate_answers(definition, {}, lang="en")[1] == {"consent": ["Please tick this box to continue."]}
    assert validate_answers(definition, {"consent": "true"})[0] == {"consent": True}


def test_errors_in_indonesian_by_default():
    _, errors = validate_answers([field(required=True)], {})
    assert errors["x"] and errors["x"][0] != "This field is required."


def test_built_form_has_labels_in_the_language_and_same_rules(samarinda):
    form_class = build_form_class(GOOD, lang="id")
    form = form_class()
    assert form.fields["full_name"].label == "Nama"
    assert form.fields["story"].help_text == "Bantuan"
    assert form.fields["story"].step == 2
    assert ("l", "Besar") in form.fields["size"].widget.choices
    assert form.fields["ktp"].required
    assert build_form_class(GOOD, lang="en")().fields["full_name"].label == "Name"
    rendered = str(form["region"])
    assert "64.72" in rendered and "Kota Samarinda" in rendered

    bound = form_class(GOOD_ANSWERS, {"ktp": SimpleUploadedFile("ktp.pdf", b"%PDF")})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["phone"] == "+6281234567890"
    bad = form_class({**GOOD_ANSWERS, "children": "99"}, {})
    assert not bad.is_valid()
    assert set(bad.errors) == {"children", "ktp"}
