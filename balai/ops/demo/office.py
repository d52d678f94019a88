"""Demo step: a TOTP device with a FIXED, PUBLIC secret for every demo staff account, and canned answers.

Demo mode only (settings.DEMO_MODE): the secrets are listed in the README so that anyone trying the demo
can compute the second-factor code (`oathtool --totp -b <secret>`). Never use them anywhere else.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from django.conf import settings

from balai.agencies.models import Agency
from balai.ops.demo._util import upsert
from balai.people.models import User

DOMAIN = "demo.balai.id"
# login → base32 TOTP secret (SHA-1, 6 digits, 30 s). PUBLIC demo values: README "Demo logins".
TOTP_SECRETS: dict[str, str] = {
    "operator": "DFWLBUUBDHX7PZL3M7CSIUTQ6WWNBKNB",
    "verifier": "QN4ZGG7ONP7YPRGS2RJ4NZZWDCZNSRT3",
    "head": "QYDAPMPQILZQKK42S3DNHPZBFVBDRSX5",
    "counter": "5MJLIQOFB3ELK7GCFR5W63PVKTRZQXRV",
    "ppid": "7SLLH4VDF33DSMGFQI2O4MWTHYINJ6SX",
    "ppid_main": "BGCFOTFD556XJ4HWO2KPGO6HBOSIVYRE",
    "ict_agent": "7LPO3TVGWL54FXOE5KVGOUTDSZW3NAVV",
    "inspector": "K34MFUBJLBTINHXJ7SQAQ4KPEJWADSSC",
    "admin": "JGB7GJT2KARJYW3R4C622JFTIRZAHU2R",
    "superadmin": "VAITPPE4WESI5RI55U3DRZ4CGPIBY636",
}
DEVICE_NAME = "demo"

# (agency slug, title, Indonesian text, English text)
CANNED: tuple[tuple[str, str, str, str], ...] = (
    ("dpmptsp", "Berkas belum lengkap",
     "Terima kasih. Berkas Anda belum lengkap. Mohon lengkapi dokumen yang kami sebutkan di bawah ini.",
     "Thank you. Your application is not complete yet. Please add the documents listed below."),
    ("dpmptsp", "Izin sudah terbit",
     "Izin Anda sudah terbit. Dokumen dapat diunduh di Balai atau diambil di loket DPMPTSP pada jam kerja.",
     "Your permit has been issued. Download it from Balai or collect it at the DPMPTSP counter in office hours."),
    ("diskominfo", "Informasi diberikan",
     "Informasi yang Anda minta kami lampirkan. Jika belum sesuai, Anda dapat mengajukan keberatan.",
     "The information you asked for is attached. If it is not what you asked for, you may file an objection."),
)


def hex_key(secret: str) -> str:
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


def load(*, log: Callable[[str], None]) -> None:
    if not settings.DEMO_MODE:
        log("  skipped: demo TOTP secrets exist only in demo mode")
        return
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for login, secret in TOTP_SECRETS.items():
        user = User.objects.filter(email=f"{login}@{DOMAIN}").first()
        if user is None:
            continue
        TOTPDevice.objects.filter(user=user).exclude(name=DEVICE_NAME).delete()
        upsert(TOTPDevice, {"user": user, "name": DEVICE_NAME}, {"key": hex_key(secret), "confirmed": True})
        log(f"  TOTP device for {user.email}")
    from balai.office.models import CannedAnswer

    for slug, title, body_id, body_en in CANNED:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is not None:
            upsert(CannedAnswer, {"agency": agency, "title": title}, {"body_id": body_id, "body_en": body_en})
    log(f"  {len(CANNED)} canned answers")
