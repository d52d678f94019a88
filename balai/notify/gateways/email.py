"""E-mail through Django's e-mail backend (SMTP in production).

An e-mail about a case carries a Reply-To address with a per-case, per-recipient key
(``balas+KT-7M4Q-2X9P.<key>@…``, from `BALAI_EMAIL_INBOUND["reply_address"]`): a reply to it proves that
its sender received our e-mail, so inbound e-mail accepts it as the citizen's reply even when the
sender's domain cannot be authenticated (ADR 0018).
"""

from __future__ import annotations

import hmac
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.crypto import salted_hmac

from balai.notify.gateways.base import GatewayResult
from balai.notify.models import Message


def message_id_for(message: Message) -> str:
    """A Message-ID derived from the idempotency key: a resend carries the same id, so mail clients
    and our own inbound threading see one message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "balai.invalid"
    return f"<{message.idempotency_key}@{domain}>"


REPLY_TOKEN_LENGTH = 20  # hex digits: 80 bits, on top of the sender check and the per-sender rate limit


def reply_token(*, code: str, email: str) -> str:
    """The key in a reply address: an HMAC (keyed by SECRET_KEY) of the tracking code and the address we
    wrote to, so it works for that case and that citizen only."""
    value = f"{code.upper()}\x1f{email.strip().lower()}"
    return salted_hmac("balai.notify.reply-address", value, algorithm="sha256").hexdigest()[:REPLY_TOKEN_LENGTH]


def reply_token_matches(*, code: str, email: str, token: str) -> bool:
    return hmac.compare_digest(reply_token(code=code, email=email).encode(), (token or "").lower().encode())


def reply_address_for(*, code: str, email: str) -> str:
    """``balas+<code>.<key>@domain`` for `code` and the recipient `email`; "" without a configured
    `BALAI_EMAIL_INBOUND["reply_address"]` pattern (with {code} in its local part)."""
    pattern = str((getattr(settings, "BALAI_EMAIL_INBOUND", None) or {}).get("reply_address") or "")
    local, at, domain = pattern.rpartition("@")
    if "{code}" not in local or not at or not domain:
        return ""
    return local.replace("{code}", f"{code}.{reply_token(code=code, email=email)}") + "@" + domain


class EmailGateway:
    def send(self, message: Message) -> GatewayResult:
        msg_id = message_id_for(message)
        reply_to = ""
        if message.reference:  # what the message is about (a case's tracking code), quoted by the reply
            reply_to = reply_address_for(code=message.reference, email=message.recipient)
        email = EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient], reply_to=[reply_to] if reply_to else None,
            headers={"Message-ID": msg_id, "X-Balai-Reference": str(message.idempotency_key)},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            return GatewayResult(accepted=False, permanent_error=True, error=f"recipient refused: {exc}")
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            return GatewayResult(accepted=False, permanent_error=permanent, recipient_fault=False,
                                 error=f"SMTP {exc.smtp_code}")
        except (smtplib.SMTPException, OSError) as exc:
            return GatewayResult(accepted=False, error=f"{type(exc).__name__}: {exc}")
        return GatewayResult(accepted=True, gateway_message_id=msg_id)
