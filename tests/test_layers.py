"""Layering: base apps never import domain or face apps; domain apps never import face apps. The face
edge (ADR 0030): face modules hold no query and no write, no face imports another, no import cycle between
the modules of one app, no import fall-back for a module of this repository. No list of exceptions.

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


# --- the face edge (ADR 0030) ---------------------------------------------------------------

FACES = frozenset(app for app, layer in LAYERS.items() if layer == 2)
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
# methods that always touch the database, whatever they are called on
ALWAYS_DB = frozenset({
    "get_or_create", "update_or_create", "bulk_create", "bulk_update", "select_for_update",
    "select_related", "prefetch_related", "annotate", "aggregate", "values_list", "exclude",
    "filter", "order_by", "in_bulk", "iterator", "raw",
})
# methods that write when called the way a model, queryset or related manager takes them:
# `save(...)`/`delete()` without positional arguments, `create(**kw)`/`update(**kw)` with keywords only
KEYWORD_WRITES = frozenset({"create", "update"})
BARE_WRITES = frozenset({"save", "delete"})


def is_own_service_module(module: str, app: str) -> bool:
    """`balai.<app>...services` / `...selectors` (a module or a package of that name)."""
    parts = module.split(".")
    return parts[:2] == ["balai", app] and any(p in ("services", "selectors") for p in parts[2:])


def is_face_module(module: str, path: Path) -> str | None:
    """The face app `module` belongs to, if it is a face module (models and migrations are not)."""
    app = app_of(module)
    if app not in FACES or path.name == "models.py" or "migrations" in path.parts:
        return None
    return app


def own_model_names(tree: ast.AST, *, module: str, is_package: bool, app: str) -> set[str]:
    """Names bound by `from <the face's own models module> import X`."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base = ".".join(base_parts[: len(base_parts) - (node.level - 1)])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if app_of(target) == app and target.split(".")[-1] == "models":
                names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root_name(node: ast.AST) -> str:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def edge_violations_in(source: str, *, module: str, path: Path, where: str) -> list[str]:
    app = is_face_module(module, path)
    if app is None:
        return []
    tree = ast.parse(source)
    found: list[str] = []
    own_layer = is_own_service_module(module, app)
    own_models = own_model_names(tree, module=module, is_package=path.name == "__init__.py", app=app)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            if not (own_layer and _root_name(node.value) in own_models):
                found.append(f"{where}:{node.lineno}: '{app}' face module uses .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "session":
                continue  # `request.session.save()`: Django's session store, not a model
            writes = (
                method in ALWAYS_DB
                or (method in KEYWORD_WRITES and node.keywords and not node.args)
                or (method in BARE_WRITES and not node.args)
            )
            # the face's own services/selectors work on rows of its own models (reached through `.objects`
            # of those models, checked above)
            if writes and not own_layer:
                found.append(f"{where}:{node.lineno}: '{app}' face module queries or writes (.{method}())")
    return found


def face_edge_violations(root: Path = BALAI) -> list[str]:
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        where = str(path.relative_to(root.parent))
        source = path.read_text(encoding="utf-8")
        problems += edge_violations_in(source, module=module, path=path, where=where)
        importer = app_of(module)
        if importer in FACES:
            for line, target in imported_modules(source, module=module, is_package=path.name == "__init__.py"):
                imported = app_of(target)
                if imported in FACES and imported != importer:
                    problems.append(f"{where}:{line}: face '{importer}' imports face '{imported}' ({target})")
    return sorted(set(problems))


def import_graph(root: Path = BALAI) -> dict[str, set[str]]:
    """module → modules of the same app it imports (anywhere in the file)."""
    modules = {module_name(p, root): p for p in root.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        app = app_of(module)
        if app is None:
            continue
        edges: set[str] = set()
        source = path.read_text(encoding="utf-8")
        for _line, target in imported_modules(source, module=module, is_package=path.name == "__init__.py"):
            while target and target not in modules:  # `from .x import name` → module balai.app.x
                target = target.rpartition(".")[0]
            if target and target != module and app_of(target) == app and target != f"balai.{app}":
                edges.add(target)
        graph[module] = edges
    return graph


def import_cycles(root: Path = BALAI) -> list[str]:
    graph = import_graph(root)
    cycles: set[tuple[str, ...]] = set()
    for start in graph:
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    low = trail.index(min(trail))
                    cycles.add(tuple(trail[low:] + trail[:low]))
                elif nxt not in trail and nxt > start:  # each cycle found once, from its smallest module
                    stack.append((nxt, [*trail, nxt]))
    return sorted(" → ".join([*c, c[0]]) for c in cycles)


def import_fallbacks(root: Path = BALAI) -> list[str]:
    """`try: import balai.x / from .x import y` + `except ImportError` for a module of this repository."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = any(
                h.type is not None and "ImportError" in ast.unparse(h.type) for h in node.handlers
            )
            ours = any(
                (isinstance(s, ast.ImportFrom) and (s.level or (s.module or "").startswith("balai")))
                or (isinstance(s, ast.Import) and any(a.name.startswith("balai") for a in s.names))
                for stmt in node.body for s in ast.walk(stmt)
            )
            if catches and ours:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}: except ImportError for a balai module")
    return found


def test_faces_reach_the_domain_only_through_services_and_selectors():
    found = face_edge_violations()
    assert not found, "face edge violations (ADR 0030):\n" + "\n".join(found)


def test_no_import_cycle_between_modules_of_one_app():
    found = import_cycles()
    assert not found, "import cycles:\n" + "\n".join(found)


def test_no_import_fallback_for_a_module_of_this_repository():
    found = import_fallbacks()
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("relative", "source", "expected"), [
    ("portal/views.py", "from balai.cases.models import Case\nx = Case.objects.all()\n", "uses .objects"),
    ("office/views/x.py", "def f(case):\n    return case.events.filter(is_public=True)\n", "(.filter())"),
    ("api/views.py", "def f(case):\n    case.save()\n", "(.save())"),
    ("opendata/x.py", "def f(qs):\n    qs.update(title='x')\n", "(.update())"),
    ("channels/x.py", "from balai.channels.models import InboundMessage\n"
                      "def f():\n    InboundMessage.objects.create(body='x')\n", "uses .objects"),
    ("api/views.py", "from balai.office import selectors\n", "face 'api' imports face 'office'"),
    ("office/views.py", "def f():\n    from balai.portal import receipts\n", "face 'office' imports face 'portal'"),
    # a face's own services may touch its own models only
    ("office/services.py", "from balai.cases.models import Case\nx = Case.objects.all()\n", "uses .objects"),
])
def test_the_edge_checker_finds(tree, relative, source, expected):
    root, write = tree
    write(relative, source)
    found = face_edge_violations(root)
    assert any(expected in line for line in found), found


def test_the_edge_checker_allows_what_the_adr_allows(tree):
    root, write = tree
    write("office/models.py", "from django.db import models\nclass CannedAnswer(models.Model):\n    pass\n")
    write("office/services.py", "from balai.office.models import CannedAnswer\n"
                                "def f(c):\n    CannedAnswer.objects.filter(pk=1).delete()\n    c.save()\n")
    write("office/views.py", "from balai.cases.selectors import case_by_code\n"
                             "def f(request, ctx):\n    ctx |= {'a': 1}\n    request.session.save()\n"
                             "    return case_by_code('x')\n")
    write("office/migrations/0001.py", "from balai.cases.models import Case\nCase.objects.all()\n")
    assert face_edge_violations(root) == []


def test_the_cycle_checker_counts_imports_inside_functions(tree):
    root, write = tree
    write("cases/a.py", "from balai.cases import b\n")
    write("cases/b.py", "def f():\n    from balai.cases.a import x\n")
    assert import_cycles(root) == ["balai.cases.a → balai.cases.b → balai.cases.a"]


def test_the_fallback_checker(tree):
    root, write = tree
    write("cases/a.py", "try:\n    from balai.cases import b\nexcept ImportError:\n    b = None\n"
                        "try:\n    import weasyprint\nexcept ImportError:\n    weasyprint = None\n")
    assert len(import_fallbacks(root)) == 1
