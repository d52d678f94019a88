"""What the public archive may say about an information request: the text masked by the case engine's rules
(phones, e-mails, NIKs, the requester's name) and, in addition, the requester's address as they gave it
(the law asks every requester for it, UU 14/2008 art. 22; docs/regulations.md §3, §5)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from balai.cases.visibility import redact_for_case


def mask_identity(text: str | None, *, case: Any) -> str:
    masked = redact_for_case(text or "", case=case)
    address = (case.contact_address or "").strip()
    if len(address) >= 5:
        masked = re.sub(re.escape(address), "[" + _("address hidden") + "]", masked, flags=re.IGNORECASE)
    return masked
