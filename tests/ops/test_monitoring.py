"""deploy/monitoring: the alert rules and the dashboard use only metrics that /metrics serves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from balai.ops import metrics

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"


def served_names() -> set[str]:
    names = set()
    for family in text_string_to_metric_families(metrics.render().decode()):
        names.update(sample.name for sample in family.samples)
        names.add(family.name)
    metrics.observe_request(route="x", method="GET", status=200, seconds=0.1)  # histograms need one sample
    for family in text_string_to_metric_families(metrics.render().decode()):
        names.update(sample.name for sample in family.samples)
    return names


def expressions() -> list[str]:
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    found = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    found += [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]
    return found


@pytest.mark.django_db
def test_every_metric_used_is_served():
    served = served_names()
    used = {name for expr in expressions() for name in re.findall(r"\bbalai_[a-z_]+", expr)}
    assert used - served == set()


def test_expressions_are_balanced():
    for expr in expressions():
        for opening, closing in ("()", "[]", "{}"):
            assert expr.count(opening) == expr.count(closing), expr


def test_the_required_alerts_exist():
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    alerts = {rule["alert"]: rule for group in rules["groups"] for rule in group["rules"]}
    for name in ("BalaiWorkerStalled", "BalaiOutboxFailing", "BalaiAuditChainVerificationFailed",
                 "BalaiDeadlineBreachesRising"):
        assert name in alerts and alerts[name]["annotations"]["summary"]
    assert "balai_worker_stalled" in alerts["BalaiWorkerStalled"]["expr"]
    assert "balai_audit_last_verification_ok" in alerts["BalaiAuditChainVerificationFailed"]["expr"]
    assert "failed_permanent" in alerts["BalaiOutboxFailing"]["expr"]
    assert "balai_cases_breached" in alerts["BalaiDeadlineBreachesRising"]["expr"]
