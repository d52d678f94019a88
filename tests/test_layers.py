"""Layering: base apps never import domain or face apps; domain apps never import face apps.

Every module under `balai/` is parsed with `ast`; imports anywhere count (module level, inside functions,
relative imports, `importlib.import_module("balai.x")` and `import_string("balai.x...")` with a literal).
`balai.ops`, `balai.settings`, `balai.urls` and other top-level modules are exempt (they wire the layers).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BALAI = Path(__file__).resolve().parent.parent / "balai"

LAYERS: dict[str, int] = {
    **dict.fromkeys(("agencies", "people", "worktime", "audit"), 0),  # base
    **dict.fromkeys(("catalog", "cases", "notify", "survey", "transparency", "participation", "ict", "ppid"),
                    1),  # domain
    **dict.fromkeys(("portal", "office", "api", "channels", "opendata"), 2),  # faces
}
LAYER_NAMES = {0: "base", 1: "domain", 2: "face"}
DYNAMIC_IMPORTERS = {"import_module", "import_string", "__import__"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, *, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of everything `source` imports."""
    found: list[tuple[int, str]] = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts)
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from balai import cases` imports the app itself
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in DYNAMIC_IMPORTERS and node.args and isinstance(node.args[0], ast.Constant):
                if isinstance(node.args[0].value, str):
                    found.append((node.lineno, node.args[0].value))
    return found


def app_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    if len(parts) >= 2 and parts[0] == "balai" and parts[1] in LAYERS:
        return parts[1]
    return None


def violations(root: Path = BALAI) -> list[str]:
    problems: dict[tuple[str, int, str], str] = {}  # one message per (file, line, imported app)
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        importer = app_of(module)
        if importer is None:
            continue  # top-level modules (ops, settings, urls, ...) are exempt
        source = path.read_text(encoding="utf-8")
        for line, target in imported_modules(source, module=module, is_package=path.name == "__init__.py"):
            imported = app_of(target)
            if imported is not None and LAYERS[imported] > LAYERS[importer]:
                where = str(path.relative_to(root.parent))
                problems.setdefault(
                    (where, line, imported),
                    f"{where}:{line}: {LAYER_NAMES[LAYERS[importer]]} app "
                    f"'{importer}' imports {LAYER_NAMES[LAYERS[imported]]} app '{imported}' ({target})",
                )
    return sorted(problems.values())


def test_every_app_is_placed_in_a_layer():
    apps = {p.name for p in BALAI.iterdir() if (p / "apps.py").exists()}
    assert apps - {"ops"} <= set(LAYERS), f"apps without a layer: {sorted(apps - {'ops'} - set(LAYERS))}"


def test_no_layer_imports_a_higher_layer():
    found = violations()
    assert not found, "layering violations:\n" + "\n".join(found)


# --- the checker itself ---------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "balai"

    def write(relative: str, source: str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")

    write("__init__.py", "")
    write("urls.py", "import balai.portal.views\n")
    write("ops/demo.py", "from balai.portal import views\n")
    write("cases/__init__.py", "")
    write("portal/__init__.py", "")
    return root, write


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        (
            "audit/services.py",
            "from balai.cases.models import Case\n",
            "base app 'audit' imports domain app 'cases'",
        ),
        (
            "people/x.py",
            "def f():\n    import balai.portal.views\n",
            "base app 'people' imports face app 'portal'",
        ),
        ("cases/x.py", "from balai import portal\n", "domain app 'cases' imports face app 'portal'"),
        (
            "cases/sub/x.py",
            "from ...opendata import feeds\n",
            "domain app 'cases' imports face app 'opendata'",
        ),
        ("notify/x.py", "from ..api import views\n", "domain app 'notify' imports face app 'api'"),
        (
            "survey/x.py",
            "from django.utils.module_loading import import_string\n"
            "def f():\n    return import_string('balai.channels.sms.send')\n",
            "domain app 'survey' imports face app 'channels'",
        ),
    ],
)
def test_checker_finds_upward_imports(tree, relative, source, expected):
    root, write = tree
    write(relative, source)
    found = violations(root)
    assert len(found) == 1 and expected in found[0]


def test_checker_allows_downward_and_exempt_imports(tree):
    root, write = tree
    write(
        "portal/views.py", "from balai.cases import services\nfrom balai.audit.services import audit_record\n"
    )
    write("cases/services.py", "from balai.audit.services import audit_record\nfrom . import models\n")
    write("audit/services.py", "from balai.people.models import User\nimport balai.agencies\n")
    assert violations(root) == []
