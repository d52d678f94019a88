"""Cursor pagination: stable pages however many rows are added meanwhile, and no COUNT(*) or OFFSET."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"
    invalid_cursor_message = _("This cursor is not valid: use the next or previous link of a page.")

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({self.cursor_query_param: [self.invalid_cursor_message]},
                                             code="invalid_cursor") from exc

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value < 1:
                raise exceptions.ValidationError(
                    {self.page_size_query_param: [_("Enter a whole number from 1 to 200.")]}, code="invalid"
                )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for p in params:
            if p["name"] == self.page_size_query_param:
                p["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return params


def ordered_by(field: str) -> type[ApiCursorPagination]:
    """A pagination class ordered by a unique, unchanging field."""
    return type(f"CursorBy{field.title()}", (ApiCursorPagination,), {"ordering": field})
