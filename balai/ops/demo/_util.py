"""Helpers shared by the demo steps."""

from __future__ import annotations

from typing import Any

from django.db import models


def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], *,
           clean: bool = True) -> models.Model:
    """update_or_create on a natural key, validating with full_clean() before saving."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    for field, value in values.items():
        setattr(obj, field, value)
    if clean:
        obj.full_clean(validate_unique=False)
    obj.save()
    return obj


def bi(id_text: str, en_text: str) -> dict[str, str]:
    return {"id": id_text, "en": en_text}
