"""balai/ict is type-checked like the other domain apps (ADR 0028): listed in pyproject's [tool.mypy]
files, its services and selectors under the strict override (typed, no explicit `Any`)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_ict_is_under_mypy_strict_on_services_and_selectors():
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["mypy"]
    assert "balai/ict" in config["files"]
    strict = [o for o in config.get("overrides", []) if o.get("disallow_any_explicit")]
    patterns = [m for o in strict for m in o["module"]]
    for module in ("balai.ict.services", "balai.ict.selectors"):
        assert any(fnmatch.fnmatch(module, p) for p in patterns), module


def test_ict_services_and_selectors_name_no_any():
    root = PYPROJECT.parent / "balai" / "ict"
    for name in ("services.py", "selectors.py"):
        source = (root / name).read_text(encoding="utf-8")
        assert "import Any" not in source and ": Any" not in source, name
