"""answer_rows: a request's answers as people read them, in the definition's order and the language asked."""

from __future__ import annotations

import pytest

from balai.catalog.answers import AnswerFile, answer_rows

DEFINITION = [
    {"name": "nama_usaha", "type": "text", "label": {"id": "Nama usaha", "en": "Business name"}},
    {"name": "jenis", "type": "choice", "label": {"id": "Jenis usaha", "en": "Kind of business"},
     "choices": [{"value": "mikro", "label": {"id": "Usaha mikro", "en": "Micro business"}},
                 {"value": "kecil", "label": {"id": "Usaha kecil", "en": "Small business"}}]},
    {"name": "setuju", "type": "boolean", "label": {"id": "Saya setuju", "en": "I agree"}},
    {"name": "punya_npwp", "type": "boolean", "label": {"id": "Punya NPWP", "en": "Has a tax number"}},
    {"name": "ktp", "type": "file", "label": {"id": "Foto KTP", "en": "Photo of the ID card"}},
    {"name": "karyawan", "type": "number", "label": {"id": "Jumlah karyawan", "en": "Employees"}},
    {"name": "catatan", "type": "textarea", "label": {"id": "Catatan", "en": "Notes"}},
]
ANSWERS = {  # not in the definition's order, as a JSON column may give them back
    "zona_lama": "B",
    "ktp": {"attachment": 42, "name": "ktp.jpg"},
    "setuju": True,
    "punya_npwp": False,
    "jenis": "kecil",
    "nama_usaha": "Warung Bu Sri",
    "karyawan": 3,
    "alamat_lama": "Jl. Merdeka 1",
}


def _by_name(rows):
    return {row.name: row for row in rows}


def test_labels_values_and_order_in_indonesian():
    rows = answer_rows(DEFINITION, ANSWERS, lang="id")
    # The definition's order; a field without an answer (catatan) has no row; removed fields last, by name.
    assert [r.name for r in rows] == ["nama_usaha", "jenis", "setuju", "punya_npwp", "ktp", "karyawan",
                                      "alamat_lama", "zona_lama"]
    assert [(r.label, r.value) for r in rows[:6]] == [
        ("Nama usaha", "Warung Bu Sri"), ("Jenis usaha", "Usaha kecil"), ("Saya setuju", "Ya"),
        ("Punya NPWP", "Tidak"), ("Foto KTP", "ktp.jpg"), ("Jumlah karyawan", "3"),
    ]
    assert all(r.known for r in rows[:6])


def test_labels_and_values_in_english():
    rows = _by_name(answer_rows(DEFINITION, ANSWERS, lang="en"))
    assert (rows["nama_usaha"].label, rows["nama_usaha"].value) == ("Business name", "Warung Bu Sri")
    assert (rows["jenis"].label, rows["jenis"].value) == ("Kind of business", "Small business")
    assert (rows["setuju"].value, rows["punya_npwp"].value) == ("Yes", "No")


def test_file_answer_keeps_the_attachment():
    row = _by_name(answer_rows(DEFINITION, ANSWERS, lang="id"))["ktp"]
    assert row.kind == "file" and row.files == (AnswerFile(name="ktp.jpg", attachment_id=42),)
    # Before the case exists (the portal's check page) a file is only a name.
    draft = answer_rows(DEFINITION, {"ktp": [{"name": "a.pdf"}, {"name": "b.pdf"}]}, lang="id")[0]
    assert draft.value == "a.pdf, b.pdf" and [f.attachment_id for f in draft.files] == [None, None]


def test_answers_to_removed_fields_are_kept_under_their_name():
    rows = _by_name(answer_rows(DEFINITION, ANSWERS, lang="en"))
    old = rows["alamat_lama"]
    assert (old.label, old.value, old.known, old.kind) == ("alamat_lama", "Jl. Merdeka 1", False, "")
    # With no definition at all (a service whose form was emptied) every answer still shows.
    assert [r.name for r in answer_rows(None, {"b": True, "a": "x"}, lang="id")] == ["a", "b"]
    assert answer_rows([], {"b": True}, lang="id")[0].value == "Ya"


def test_unknown_choice_value_and_empty_answers():
    rows = _by_name(answer_rows(DEFINITION, {"jenis": "besar", "nama_usaha": None, "setuju": None}, lang="id"))
    assert rows["jenis"].value == "besar"  # an option since removed: the raw value, not nothing
    assert rows["nama_usaha"].value == ""
    assert rows["setuju"].value == "Tidak"  # an unticked box


def test_english_label_falls_back_to_indonesian():
    definition = [{"name": "x", "type": "text", "label": {"id": "Hanya Indonesia"}}]
    assert answer_rows(definition, {"x": "1"}, lang="en")[0].label == "Hanya Indonesia"


@pytest.mark.django_db
def test_region_by_name_and_date_in_words():
    from balai.agencies.models import Region

    Region.objects.create(code="64.72", name="Kota Samarinda", level="city")
    definition = [{"name": "lokasi", "type": "region", "label": {"id": "Lokasi", "en": "Location"}},
                  {"name": "tanggal", "type": "date", "label": {"id": "Tanggal", "en": "Date"}},
                  {"name": "asal", "type": "region", "label": {"id": "Asal", "en": "From"}}]
    answers = {"lokasi": "64.72", "tanggal": "2026-11-27", "asal": "64.99"}
    rows = _by_name(answer_rows(definition, answers, lang="id"))
    assert rows["lokasi"].value == "Kota Samarinda (64.72)"
    assert rows["tanggal"].value == "27 November 2026"
    assert rows["asal"].value == "64.99"  # an unknown code stays as given
    assert _by_name(answer_rows(definition, {"tanggal": "2026-08-17"}, lang="en"))["tanggal"].value == "17 August 2026"
    assert _by_name(answer_rows(definition, {"tanggal": "2026-08-17"}, lang="id"))["tanggal"].value == "17 Agustus 2026"
