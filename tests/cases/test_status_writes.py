"""Nothing but `balai.cases.services` may write `Case.status` ("a test fails if any other code
writes a case's status"). The scan reads every module of `balai/` with `ast` (and a regex for raw SQL)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import balai

ROOT = Path(balai.__file__).resolve().parent
ALLOWED = {ROOT / "cases" / "services.py"}
RAW_SQL = re.compile(r"update\s+\"?cases_case\"?\s+set\b[^;]*\bstatus\b", re.IGNORECASE | re.DOTALL)


def _chain_root(node: ast.AST) -> str:
    """The name at the start of an attribute/call chain: `Case.objects.filter(...).update` → "Case"."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else ""


def _casey(name: str) -> bool:
    return "case" in name.lower()


def violations(source: str, filename: str = "<src>") -> list[str]:
    found = []
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            keywords = {k.arg for k in node.keywords}
            method = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
            root = _chain_root(func)
            if "status" in keywords and _casey(root) and method in (
                "update", "create", "get_or_create", "update_or_create"
            ):
                found.append(f"{filename}:{node.lineno} {root}...{method}(status=...)")
            if method == "Case" and "status" in keywords:
                found.append(f"{filename}:{node.lineno} Case(status=...)")
            if method == "bulk_update" and _casey(root):
                for arg in [*node.args, *[k.value for k in node.keywords]]:
                    if isinstance(arg, ast.List | ast.Tuple) and any(
                        isinstance(e, ast.Constant) and e.value == "status" for e in arg.elts
                    ):
                        found.append(f"{filename}:{node.lineno} bulk_update of status")
            if method == "setattr" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                    and node.args[1].value == "status" and _casey(_chain_root(node.args[0])):
                found.append(f"{filename}:{node.lineno} setattr(case, 'status')")
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status" and _casey(_chain_root(target.value)):
                found.append(f"{filename}:{node.lineno} case.status = ...")
    if RAW_SQL.search(source):
        found.append(f"{filename}: raw SQL UPDATE of cases_case.status")
    return found


def test_only_the_services_write_case_status():
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if path in ALLOWED or "migrations" in path.parts:
            continue
        problems += violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT.parent)))
    assert problems == [], "Case.status is written outside balai/cases/services.py:\n" + "\n".join(problems)


def test_the_scan_catches_writes():
    bad = '''
from balai.cases.models import Case
def a(case):
    case.status = "closed"
def b(pk):
    Case.objects.filter(pk=pk).update(status="closed", is_open=False)
def c(my_case):
    setattr(my_case, "status", "x")
def d(cases):
    Case.objects.bulk_update(cases, ["status"])
def e():
    Case(status="submitted").save()
SQL = "UPDATE cases_case SET status = 'closed'"
'''
    assert len(violations(bad)) == 6
    fine = '''
def f(message):
    message.status = "sent"
    Message.objects.filter(pk=1).update(status="sent")
'''
    assert violations(fine) == []


def test_the_services_do_write_status_in_one_place():
    source = (ROOT / "cases" / "services.py").read_text(encoding="utf-8")
    assert source.count(".update(**changes)") == 1
