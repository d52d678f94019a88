"""Django admin lists of rows tied to a case (outgoing messages, inbound messages) show a citizen's address
only to whom `balai.cases.visibility` shows the case's identity, the same rule as the staff workspace.

An anonymous citizen's phone number next to their case is exactly what anonymity hides; so for a row
whose case's identity the viewer may not see, the address column shows a marker, the citizen's free text
is masked as officers read it (`redact_for_case`), the case is named by its code and the title officers
see, and searching by an address does not find the row (a hit would link the number to the case).
"""

from __future__ import annotations

from types import MethodType
from typing import Any

from django.contrib import admin
from django.db.models import BooleanField, Q, QuerySet, Value, When
from django.db.models import Case as CaseWhen
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from balai.cases.models import Case
from balai.cases.visibility import identity_visible_q, redact_for_case, sealed_contact, staff_access_q


class SealedIdentityAdmin(admin.ModelAdmin):
    """Read-only admin of a model with a `case` foreign key and contact/text columns to seal.

    `fields`: every column the detail page shows; `address_fields`: columns holding the citizen's phone
    or e-mail; `text_fields`: free text that may quote them; `open_search_fields`: other columns searched
    for everyone (codes, gateway ids).
    """

    address_fields: tuple[str, ...] = ()
    text_fields: tuple[str, ...] = ()
    open_search_fields: tuple[str, ...] = ()

    def __init__(self, model, admin_site) -> None:
        super().__init__(model, admin_site)
        # `<field>_shown` display methods, labelled with the model field's own verbose name.
        fields = {f.name: f for f in model._meta.get_fields()}
        for kind, names in (("address", self.address_fields), ("text", self.text_fields)):
            for name in names:
                method = _shown(kind, name)
                method.short_description = getattr(fields.get(name), "verbose_name", name)
                setattr(self, f"{name}_shown", MethodType(method, self))

    def get_queryset(self, request) -> QuerySet:
        return self._with_case(super().get_queryset(request)).annotate(
            identity_visible=_flag(identity_visible_q(request.user, prefix="case__")),
            content_visible=_flag(staff_access_q(request.user, prefix="case__")))

    def _with_case(self, queryset: QuerySet) -> QuerySet:
        """The rows with their case read along (a forward foreign key named `case`)."""
        return queryset.select_related("case")

    def _case(self, obj: Any) -> Case | None:
        """The case the row is about, or None."""
        return obj.case

    # --- what is shown ----------------------------------------------------------------------------

    def _sealed(self, obj: Any) -> bool:
        return not getattr(obj, "identity_visible", False)

    def _masked(self, obj: Any, text: str) -> str:
        """`text` of the row's case as this viewer reads it: in full, masked (an anonymous case's staff),
        or not at all (not the viewer's case)."""
        if not text or not self._sealed(obj):
            return text
        case = self._case(obj)
        if case is None or not getattr(obj, "content_visible", False):
            return "—"
        return redact_for_case(text, case=case)

    def _address(self, obj: Any, name: str) -> str:
        value = getattr(obj, name) or ""
        return sealed_contact(value) if value and self._sealed(obj) else value

    def _text(self, obj: Any, name: str) -> str:
        return self._masked(obj, getattr(obj, name) or "")

    @admin.display(description=_("case"))
    def case_shown(self, obj: Any) -> str:
        case = self._case(obj)
        if case is None:
            return "-"
        return f"{case.tracking_code} · {self._masked(obj, case.title)}"  # an anonymous case is always sealed

    def _swap(self, names: Any) -> list:
        shown = {name: f"{name}_shown" for name in (*self.address_fields, *self.text_fields, "case")}
        return [shown.get(name, name) if isinstance(name, str) else name for name in names]

    def get_list_display(self, request) -> list:
        return self._swap(super().get_list_display(request))

    def get_fields(self, request, obj=None) -> list:
        return self._swap(self.fields or ())  # subclasses name their fields: everything is read-only

    def get_readonly_fields(self, request, obj=None) -> list:
        return self._swap(self.fields or ())

    def get_search_results(self, request, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        """Every word must match an open column, or an address column of a row whose identity is shown."""
        if not search_term.strip():
            return queryset, False
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            match = Q()
            for name in self.open_search_fields:
                match |= Q(**{f"{name}__icontains": word})
            for name in self.address_fields:
                match |= Q(**{f"{name}__icontains": word}) & Q(identity_visible=True)
            queryset = queryset.filter(match)
        return queryset, False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # What a citizen was sent or sent: a record of the case, removed only by the retention jobs.
        return False


def _shown(kind: str, name: str):
    def method(self, obj: Any) -> str:
        return self._address(obj, name) if kind == "address" else self._text(obj, name)

    method.__name__ = f"{name}_shown"
    return method


def _flag(condition: Q):
    """A boolean annotation of `condition` (an empty Q: true for every row)."""
    if not condition:
        return Value(True, output_field=BooleanField())
    return CaseWhen(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
