"""Demo step: the province and all its regencies/cities, districts and villages (1,154 rows for 64)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from balai.agencies.regions import import_regions


def load(*, log: Callable[[str], None]) -> None:
    province = settings.BALAI_GOVERNMENT_CODE

    def progress(done: int, total: int) -> None:
        log(f"  regions {done}/{total}")

    count = import_regions(province=province, progress=progress, via="command:load_demo")
    log(f"  {count} regions for province {province}")
