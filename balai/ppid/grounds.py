"""The grounds of an objection, UU 14/2008 art. 35(1) a–g (docs/regulations.md §3 and §11): the case
engine's list (`balai.cases.kind_fields`), which the portal's objection form offers too."""

from __future__ import annotations

from balai.cases.kind_fields import OBJECTION_GROUND_KEYS, objection_grounds

# Grounds b–g may be settled by deliberation between the parties.
SETTLEABLE = frozenset("bcdefg")

__all__ = ["OBJECTION_GROUND_KEYS", "SETTLEABLE", "objection_grounds"]
