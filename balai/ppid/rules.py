"""Who may do what in the PPID app (registered at start-up; balai.people.permissions).

PPID pelaksana (role `ppid`) of an agency propose register items, make consequence tests, confirm what an
answered request may publish and register objections; the main PPID (`ppid_main`, Diskominfo) approves
the register of the whole government and annotates and publishes the annual report; the PPID's superior
(`head` of the agency) decides objections (docs/regulations.md §3, §11).
"""

from __future__ import annotations

from balai.people.permissions import Rule

PROPOSE = "ppid.item.propose"
APPROVE = "ppid.item.approve"
TEST = "ppid.test.decide"
ARCHIVE = "ppid.archive.confirm"
OBJECTION = "ppid.objection.register"
OBJECTION_DECIDE = "ppid.objection.decide"
REPORT = "ppid.report.annotate"
ANNOUNCE = "ppid.announce"

_OFFICERS = frozenset({"ppid", "ppid_main"})

RULES: dict[str, Rule | tuple[Rule, ...]] = {
    PROPOSE: Rule(_OFFICERS, "agency"),
    APPROVE: Rule(frozenset({"ppid_main"}), "government"),
    TEST: (Rule(_OFFICERS, "agency"), Rule(frozenset({"ppid_main"}), "government")),
    ARCHIVE: (Rule(_OFFICERS, "agency"), Rule(frozenset({"ppid_main"}), "government")),
    OBJECTION: (Rule(_OFFICERS, "agency"), Rule(frozenset({"ppid_main"}), "government")),
    OBJECTION_DECIDE: Rule(frozenset({"head"}), "agency"),
    REPORT: Rule(frozenset({"ppid_main"}), "government"),
    ANNOUNCE: (Rule(_OFFICERS, "agency"), Rule(frozenset({"ppid_main"}), "government")),
}
