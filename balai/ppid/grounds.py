"""The grounds of an objection, UU 14/2008 art. 35(1) a–g (docs/regulations.md §3 and §11)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OBJECTION_GROUNDS: dict[str, Promise] = {
    "a": _("(a) refusal on exemption grounds"),
    "b": _("(b) periodic information not published"),
    "c": _("(c) request not answered"),
    "d": _("(d) answered not as asked"),
    "e": _("(e) request not fulfilled"),
    "f": _("(f) unreasonable fees"),
    "g": _("(g) delivered later than the law allows"),
}
# Grounds b–g may be settled by deliberation between the parties.
SETTLEABLE = frozenset("bcdefg")
