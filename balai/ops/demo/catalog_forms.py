"""Building blocks for the demo services' form definitions (`balai.catalog.form_definition` documents the keys)."""

from __future__ import annotations

from typing import Any


def field(name: str, kind: str, label_id: str, label_en: str, *, required: bool = True,
          help: tuple[str, str] | None = None, step: int = 1, **extra: Any) -> dict:
    item: dict[str, Any] = {"name": name, "type": kind, "label": {"id": label_id, "en": label_en},
                            "required": required, "step": step}
    if help:
        item["help"] = {"id": help[0], "en": help[1]}
    item.update(extra)
    return item


def choice(name: str, label_id: str, label_en: str, options: list[tuple[str, str, str]], **kw: Any) -> dict:
    return field(name, "choice", label_id, label_en,
                 choices=[{"value": v, "label": {"id": i, "en": e}} for v, i, e in options], **kw)


def applicant() -> list[dict]:
    """Who applies: a resident (step 1 of every citizen form)."""
    return [
        field("full_name", "text", "Nama lengkap sesuai KTP", "Full name as on your ID card", max_length=150),
        field("nik", "nik", "NIK (Nomor Induk Kependudukan)", "NIK (national identity number)",
              help=("16 angka pada KTP atau Kartu Keluarga.", "The 16 digits on your ID card or family card.")),
        field("phone", "phone", "Nomor HP atau WhatsApp", "Mobile or WhatsApp number",
              help=("Kami mengirim kabar permohonan ke nomor ini.", "We send news about your application here.")),
        field("region", "region", "Desa/kelurahan tempat tinggal", "Village or urban village where you live"),
    ]


def officer() -> list[dict]:
    """Who applies for an ICT service: an officer of a provincial agency (step 1 of ICT forms)."""
    return [
        field("agency_name", "text", "Nama perangkat daerah", "Name of the agency", max_length=200),
        field("officer_name", "text", "Nama petugas penanggung jawab", "Responsible officer", max_length=150),
        field("nip", "text", "NIP petugas", "Officer's civil-servant number (NIP)", max_length=18,
              help=("18 angka Nomor Induk Pegawai.", "The 18-digit civil-servant number.")),
        field("phone", "phone", "Nomor HP petugas", "Officer's mobile number"),
    ]


def reporter() -> list[dict]:
    """Who reports to a public ICT service (anyone: a resident or an officer), step 1."""
    return [
        field("full_name", "text", "Nama pelapor", "Your name", max_length=150),
        field("phone", "phone", "Nomor HP atau WhatsApp", "Mobile or WhatsApp number",
              help=("Tim kami menghubungi Anda di nomor ini bila perlu.", "Our team calls you here if needed.")),
        field("organisation", "text", "Instansi atau organisasi (bila ada)", "Agency or organisation (if any)",
              required=False, max_length=200),
    ]


def request_letter(step: int = 3) -> dict:
    return field("request_letter", "file", "Surat permohonan (PDF)", "Request letter (PDF)", step=step,
                 help=("Ditandatangani kepala perangkat daerah.", "Signed by the head of the agency."))


def upload(name: str, label_id: str, label_en: str, *, required: bool = True, step: int = 3) -> dict:
    return field(name, "file", label_id, label_en, required=required, step=step)


def text(name: str, label_id: str, label_en: str, **kw: Any) -> dict:
    kw.setdefault("step", 2)
    return field(name, "text", label_id, label_en, **kw)


def long_text(name: str, label_id: str, label_en: str, **kw: Any) -> dict:
    kw.setdefault("step", 2)
    kw.setdefault("max_length", 2000)
    return field(name, "textarea", label_id, label_en, **kw)


def number(name: str, label_id: str, label_en: str, low: int, high: int, **kw: Any) -> dict:
    kw.setdefault("step", 2)
    return field(name, "number", label_id, label_en, min=low, max=high, **kw)


def day(name: str, label_id: str, label_en: str, **kw: Any) -> dict:
    kw.setdefault("step", 2)
    return field(name, "date", label_id, label_en, **kw)


def yes_no(name: str, label_id: str, label_en: str, **kw: Any) -> dict:
    kw.setdefault("step", 2)
    kw.setdefault("required", False)
    return field(name, "boolean", label_id, label_en, **kw)


def pick(name: str, label_id: str, label_en: str, options: list[tuple[str, str, str]], **kw: Any) -> dict:
    kw.setdefault("step", 2)
    return choice(name, label_id, label_en, options, **kw)


def place(name: str = "location", label_id: str = "Titik lokasi (lintang,bujur)",
          label_en: str = "Location (latitude,longitude)", **kw: Any) -> dict:
    kw.setdefault("step", 2)
    kw.setdefault("required", False)
    kw.setdefault("help", ("Contoh: -0.502106,117.153709. Boleh dikosongkan.",
                           "For example -0.502106,117.153709. You may leave it empty."))
    return field(name, "location", label_id, label_en, **kw)
