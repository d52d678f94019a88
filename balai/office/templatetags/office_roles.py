"""`{% office_role_links as links %}`: the role pages (counter, bulk, head, inspectorate, agency
administration) the signed-in officer may open, for the workspace navigation (rules in balai/office/rules.py)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from balai.office.rules import RULES
from balai.people.permissions import has_permission

register = template.Library()

ROLE_PAGES = (
    ("office:ict_desk", "ict"),
    ("office:applications", "applications"),
    ("office:counter", "counter"),
    ("office:bulk", "bulk"),
    ("office:head", "head"),
    ("office:inspectorate", "inspectorate"),
    ("office:agency_admin", "agency"),
    ("office:participation", "participation"),
)


def _labels() -> dict[str, str]:
    return {"counter": _("Counter"), "bulk": _("Bulk actions"), "head": _("Head of unit"),
            "inspectorate": _("Inspectorate"), "agency": _("Agency administration"),
            "participation": _("Participation"), "ict": _("ICT desk"), "applications": _("Applications")}


@register.simple_tag(takes_context=True)
def office_role_links(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    labels = _labels()
    links = []
    for name, section in ROLE_PAGES:
        permission = RULES[name].permission
        if permission and not has_permission(user, permission):
            continue
        links.append({"url": reverse(name), "label": labels[section], "section": section})
    return links
