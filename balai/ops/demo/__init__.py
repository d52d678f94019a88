"""Demo data for Kalimantan Timur, loaded by `manage.py load_demo` in the order of `STEPS`.

Each step is a module `balai.ops.demo.<name>` defining `load(*, log: Callable[[str], None]) -> None`;
it must be idempotent (update_or_create on natural keys). Steps whose module does not exist yet are
skipped, so other apps add their demo data by adding a module with a name listed here.
Everything here is invented demo content except where docs/regulations.md §9 confirms a name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

STEPS: list[str] = [
    "regions", "agencies", "people", "catalog", "worktime", "audit", "cases", "notify", "survey",
    "participation", "transparency", "office", "ict", "portal", "api", "channels", "opendata", "ppid",
]


def step_module(name: str):
    """The module of step `name`, or None when nobody has written it yet."""
    module_name = f"{__name__}.{name}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


def run_steps(*, log: Callable[[str], None], only: list[str] | None = None) -> list[str]:
    """Run each present step in order; returns the names of the steps run."""
    done: list[str] = []
    for name in STEPS:
        if only and name not in only:
            continue
        module = step_module(name)
        if module is None:
            continue
        log(f"[{name}]")
        module.load(log=log)
        done.append(name)
    return done
