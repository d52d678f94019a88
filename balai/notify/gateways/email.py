"""E-mail through Django's e-mail backend (SMTP in production)."""

from __future__ import annotations

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from balai.notify.gateways.base import GatewayResult
from balai.notify.models import Message


def message_id_for(message: Message) -> str:
    """A Message-ID derived from the idempotency key: a resend carries the same id, so mail clients
    and our own inbound threading see one message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "balai.invalid"
    return f"<{message.idempotency_key}@{domain}>"


class EmailGateway:
    def send(self, message: Message) -> GatewayResult:
        msg_id = message_id_for(message)
        email = EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
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
