"""The security lint CI runs (`bandit`, .ci/run and `make lint`) finds nothing: every finding in balai/ is
fixed or justified on its line, so a new one fails here as well as in CI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_finds_nothing_in_balai():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", "balai", "-q", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=240,
    )
    report = json.loads(result.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert findings == [] and result.returncode == 0, "\n".join(findings) or result.stderr[-2000:]
    assert not report["errors"], report["errors"]


def test_ci_runs_bandit():
    assert "bandit -c pyproject.toml -r balai" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
