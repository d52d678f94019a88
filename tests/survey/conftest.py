"""Survey tests reuse the case-engine world (one agency, unit, staff, services, category)."""

from __future__ import annotations

from tests.cases.conftest import submit, world  # noqa: F401  (fixtures)
