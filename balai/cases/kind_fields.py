"""The fields a kind of case asks for itself (not from a service's form definition), as form definitions.

A service request or an ICT request answers its service's form (`Service.form_definition`); an information
request answers the fields UU 14/2008 art. 22 names (purpose, format, delivery) and the accessible formats
of Perki 1/2021 art. 47–48 (docs/regulations.md §3). Written as form definitions (labels and choice labels
in both languages) so that `balai.catalog.answers.answer_rows` shows every kind's answers with labels in
the reader's language and human values, never raw keys such as `accessible_formats` or `softcopy`.

The objection grounds of UU 14/2008 art. 35(1) a–g live here too: the objection form offers them and a
PPID page may reuse them.
"""

from __future__ import annotations

from typing import Any

from balai.cases.models import CaseKind


def _bi(id_text: str, en_text: str) -> dict[str, str]:
    return {"id": id_text, "en": en_text}


INFORMATION_FORMATS = (
    ("softcopy", _bi("Salinan elektronik (softcopy)", "Electronic copy (softcopy)")),
    ("hardcopy", _bi("Salinan cetak (hardcopy)", "Printed copy (hardcopy)")),
)
INFORMATION_ACCESSIBLE = (
    ("audio", _bi("Audio", "Audio")),
    ("braille", _bi("Braille", "Braille")),
    ("large_print", _bi("Huruf besar", "Large print")),
)
INFORMATION_DELIVERY = (
    ("email", _bi("Melalui e-mail", "By e-mail")),
    ("pickup", _bi("Diambil sendiri di instansi", "Picked up at the agency")),
    ("post", _bi("Dikirim lewat pos ke alamat pemohon", "By post to the requester's address")),
)


def _choices(items: tuple[tuple[str, dict[str, str]], ...]) -> list[dict[str, Any]]:
    return [{"value": value, "label": label} for value, label in items]


INFORMATION_REQUEST_FIELDS: list[dict[str, Any]] = [
    {"name": "purpose", "type": "textarea", "label": _bi("Tujuan penggunaan informasi", "Purpose of the request")},
    {"name": "format", "type": "choice", "label": _bi("Bentuk informasi", "Form of the information"),
     "choices": _choices(INFORMATION_FORMATS)},
    {"name": "accessible_formats", "type": "choice", "label": _bi("Format yang mudah diakses",
                                                                 "Accessible format"),
     "choices": _choices(INFORMATION_ACCESSIBLE)},
    {"name": "delivery", "type": "choice", "label": _bi("Cara menerima informasi", "How to receive it"),
     "choices": _choices(INFORMATION_DELIVERY)},
]

KIND_FIELDS: dict[str, list[dict[str, Any]]] = {CaseKind.INFORMATION_REQUEST: INFORMATION_REQUEST_FIELDS}


def form_definition_of(case: Any) -> list[dict[str, Any]]:
    """The definition `case`'s answers follow: its service's form, else its kind's own fields."""
    if getattr(case, "service_id", None) and case.service.form_definition:
        return list(case.service.form_definition) + KIND_FIELDS.get(case.kind, [])
    return KIND_FIELDS.get(case.kind, [])


# UU 14/2008 art. 35(1) a–g: the grounds of an objection (keberatan) to the PPID's superior
# (docs/regulations.md §3). Keys are the letters of the article.
OBJECTION_GROUNDS: tuple[tuple[str, dict[str, str]], ...] = (
    ("a", _bi("Permohonan informasi ditolak dengan alasan pengecualian (pasal 17)",
              "The request was refused on the grounds of an exemption (art. 17)")),
    ("b", _bi("Informasi berkala (pasal 9) tidak disediakan", "Periodic information (art. 9) was not published")),
    ("c", _bi("Permohonan informasi tidak ditanggapi", "The request was not responded to")),
    ("d", _bi("Permohonan ditanggapi tidak sebagaimana yang diminta", "The request was answered, but not as asked")),
    ("e", _bi("Permohonan informasi tidak dipenuhi", "The request was not fulfilled")),
    ("f", _bi("Biaya yang dikenakan tidak wajar", "The fees charged are unreasonable")),
    ("g", _bi("Informasi disampaikan melebihi waktu yang diatur", "The information was delivered later than the law allows")),
)
OBJECTION_GROUND_KEYS = frozenset(key for key, _label in OBJECTION_GROUNDS)


def objection_grounds(lang: str) -> list[tuple[str, str]]:
    """(letter, text) of each ground of UU 14/2008 art. 35(1), in `lang`, for a form's choices."""
    lang = lang if lang in ("id", "en") else "id"
    return [(key, f"{key}. {label[lang]}") for key, label in OBJECTION_GROUNDS]
