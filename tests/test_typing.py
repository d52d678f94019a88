"""Every base and domain app is type-checked (ADR 0028): listed in pyproject's [tool.mypy] files, its services
and selectors under the strict override (typed, no explicit `Any`). The apps are the layer test's, so a new
domain app is checked from the day it is placed in a layer."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from tests.test_layers import LAYERS

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted(app for app, layer in LAYERS.items() if layer < 2)  # base and domain


@pytest.mark.parametrize("app", APPS)
def test_app_is_under_mypy_strict_on_services_and_selectors(app):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert f"balai/{app}" in config["files"]
    strict = [o for o in config.get("overrides", []) if o.get("disallow_any_explicit")]
    patterns = [m for o in strict for m in o["module"]]
    for module in (f"balai.{app}.services", f"balai.{app}.selectors"):
        assert any(fnmatch.fnmatch(module, p) for p in patterns), module


@pytest.mark.parametrize("app", APPS)
def test_services_and_selectors_name_no_any(app):
    for name in ("services.py", "selectors.py"):
        path = ROOT / "balai" / app / name
        if not path.exists():
            continue
        source = path.read_text(encoding="utf-8")
        assert "import Any" not in source and ": Any" not in source, (app, name)
