"""THE permission function, as a matrix: role × scope × where the object lies."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from balai.agencies.models import Agency
from balai.people.permissions import (
    Rule,
    agencies_for,
    has_permission,
    register_rules,
    registered_rules,
    roles_in,
    units_for,
    unregister_rules,
)
from tests.factories import (
    AgencyFactory,
    GovernmentFactory,
    MembershipFactory,
    RegionFactory,
    StaffFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

TEST_RULES = {
    "test.unit": Rule(frozenset({"operator", "head"}), "unit"),
    "test.agency": Rule(frozenset({"operator", "head"}), "agency"),
    "test.government": Rule(frozenset({"operator", "head"}), "government"),
    "test.any": Rule(frozenset({"operator", "head"}), "any"),
    "test.oversee": [Rule(frozenset({"head"}), "unit"), Rule(frozenset({"inspector"}), "government")],
}


@pytest.fixture(autouse=True)
def rules():
    register_rules(TEST_RULES)
    yield
    unregister_rules(TEST_RULES)


@dataclass
class Tree:
    own: object
    child: object
    grandchild: object
    sibling: object
    other_agency: object
    other_government: object
    inspectorate: object


@pytest.fixture
def tree() -> Tree:
    province = GovernmentFactory()
    city = GovernmentFactory(
        name="Pemerintah Kota Samarinda",
        region=RegionFactory(code="64.72", name="Kota Samarinda", level="city"),
    )
    agency = AgencyFactory(government=province)
    own = UnitFactory(agency=agency, kind="bidang")
    child = UnitFactory(agency=agency, parent=own, kind="seksi")
    grandchild = UnitFactory(agency=agency, parent=child, kind="loket")
    inspektorat = AgencyFactory(government=province, kind=Agency.Kind.INSPEKTORAT, short_name="Inspektorat")
    return Tree(
        own=own,
        child=child,
        grandchild=grandchild,
        sibling=UnitFactory(agency=agency),
        other_agency=UnitFactory(agency=AgencyFactory(government=province)),
        other_government=UnitFactory(agency=AgencyFactory(government=city)),
        inspectorate=UnitFactory(agency=inspektorat),
    )


@dataclass
class FakeCase:
    """Anything with permission_scope() works, like balai.cases.models.Case."""

    unit: object

    def permission_scope(self):
        return (self.unit.agency.government_id, self.unit.agency_id, self.unit.pk)


TARGETS = ["own", "child", "grandchild", "sibling", "other_agency", "other_government"]
EXPECTED = {
    "unit": {"own", "child", "grandchild"},
    "agency": {"own", "child", "grandchild", "sibling"},
    "government": {"own", "child", "grandchild", "sibling", "other_agency"},
    "any": set(TARGETS),
}


@pytest.mark.parametrize("scope", list(EXPECTED))
@pytest.mark.parametrize("as_case", [False, True], ids=["unit", "case"])
def test_matrix(tree, scope, as_case):
    """Every role (two in the rule, two not) × every place of the object, for one scope."""
    users = {
        role: MembershipFactory(unit=tree.own, role=role).user
        for role in ("operator", "head", "verifier", "admin")
    }
    outcome, expected = {}, {}
    for role, user in users.items():
        for target in TARGETS:
            unit = getattr(tree, target)
            obj = FakeCase(unit) if as_case else unit
            outcome[role, target] = has_permission(user, f"test.{scope}", obj)
            expected[role, target] = role in {"operator", "head"} and target in EXPECTED[scope]
    assert outcome == expected


@pytest.mark.parametrize("scope", ["unit", "agency", "government"])
def test_agency_and_government_objects(tree, scope):
    user = MembershipFactory(unit=tree.own, role="head").user
    agency, government = tree.own.agency, tree.own.agency.government
    assert has_permission(user, f"test.{scope}", agency) is (scope != "unit")
    assert has_permission(user, f"test.{scope}", government) is (scope == "government")
    assert has_permission(user, f"test.{scope}", tree.other_government.agency) is False


def test_member_of_a_child_unit_does_not_cover_its_parent(tree):
    user = MembershipFactory(unit=tree.child, role="operator").user
    assert has_permission(user, "test.unit", tree.grandchild)
    assert has_permission(user, "test.unit", tree.child)
    assert not has_permission(user, "test.unit", tree.own)


def test_inspector_has_government_scope_only_for_rules_registered_so(tree):
    user = MembershipFactory(unit=tree.inspectorate, role="inspector").user
    for target in ["own", "child", "sibling", "other_agency", "inspectorate"]:
        assert has_permission(user, "test.oversee", getattr(tree, target)), target
    assert not has_permission(user, "test.oversee", tree.other_government)
    assert not has_permission(user, "test.unit", tree.own)  # not among the roles of that rule


def test_several_rules_for_one_action(tree):
    head = MembershipFactory(unit=tree.own, role="head").user
    assert has_permission(head, "test.oversee", tree.child)
    assert not has_permission(head, "test.oversee", tree.other_agency)


def test_agency_admin_manages_units_and_members_of_own_agency_only(tree):
    admin = MembershipFactory(unit=tree.own, role="admin").user
    operator = MembershipFactory(unit=tree.own, role="operator").user
    for action in ("agency.manage_units", "agency.manage_members"):
        assert has_permission(admin, action, tree.own.agency)
        assert has_permission(admin, action, tree.sibling)
        assert not has_permission(admin, action, tree.other_agency.agency)
        assert not has_permission(operator, action, tree.own.agency)


def test_inactive_membership_grants_nothing(tree):
    membership = MembershipFactory(unit=tree.own, role="head", is_active=False)
    assert not has_permission(membership.user, "test.unit", tree.own)
    assert not has_permission(membership.user, "test.any")
    assert not units_for(membership.user).exists()


def test_membership_in_an_inactive_unit_grants_nothing(tree):
    tree.own.is_active = False
    tree.own.save()
    user = MembershipFactory(unit=tree.own, role="head").user
    assert not has_permission(user, "test.unit", tree.child)


def test_inactive_user_grants_nothing_even_superuser(tree):
    membership = MembershipFactory(unit=tree.own, role="head")
    membership.user.is_active = False
    membership.user.is_superuser = True
    membership.user.save()
    assert not has_permission(membership.user, "test.unit", tree.own)


def test_anonymous_and_none(tree):
    assert not has_permission(AnonymousUser(), "test.any", tree.own)
    assert not has_permission(None, "test.any", tree.own)
    assert not units_for(AnonymousUser()).exists()
    assert roles_in(AnonymousUser(), tree.own) == set()


def test_superuser_passes_registered_actions_only(tree):
    root = StaffFactory(is_superuser=True)
    assert has_permission(root, "test.unit", tree.other_government)
    assert has_permission(root, "agency.manage_members", tree.own.agency)
    assert not has_permission(root, "test.no_such_action", tree.own)
    assert units_for(root).count() == 7


def test_unknown_action_is_denied(tree, caplog):
    user = MembershipFactory(unit=tree.own, role="head").user
    assert not has_permission(user, "test.unkown_typo", tree.own)
    assert "test.unkown_typo" in caplog.text


def test_without_object_asks_whether_anywhere(tree):
    user = MembershipFactory(unit=tree.own, role="operator").user
    assert has_permission(user, "test.unit")
    assert not has_permission(user, "agency.manage_units")


def test_object_of_unknown_kind_is_denied(tree):
    user = MembershipFactory(unit=tree.own, role="operator").user
    assert not has_permission(user, "test.any", object())
    assert not has_permission(user, "test.any", "a string")


def test_units_agencies_and_roles(tree):
    user = MembershipFactory(unit=tree.own, role="head").user
    MembershipFactory(user=user, unit=tree.other_agency, role="operator")
    assert set(units_for(user)) == {tree.own, tree.child, tree.grandchild, tree.other_agency}
    assert set(units_for(user, roles=["head"])) == {tree.own, tree.child, tree.grandchild}
    assert set(units_for(user, roles=["verifier"])) == set()
    assert set(agencies_for(user)) == {tree.own.agency, tree.other_agency.agency}
    assert set(agencies_for(user, roles={"operator"})) == {tree.other_agency.agency}
    assert roles_in(user, tree.grandchild) == {"head"}
    assert roles_in(user, tree.other_agency) == {"operator"}
    assert roles_in(user, tree.sibling) == set()


def test_memberships_are_loaded_once_per_user_object(
    tree, django_assert_max_num_queries, django_assert_num_queries
):
    user = MembershipFactory(unit=tree.own, role="head").user
    objects = [FakeCase(getattr(tree, name)) for name in TARGETS] * 20
    for case in objects:  # touch the related objects now, so only permission queries are counted
        case.permission_scope()
    with django_assert_max_num_queries(2):
        has_permission(user, "test.unit", objects[0])
    with django_assert_num_queries(0):
        results = [has_permission(user, "test.agency", case) for case in objects]
        roles_in(user, tree.child)
    assert sum(results) == 4 * 20


def test_rule_validation():
    with pytest.raises(ImproperlyConfigured):
        Rule(frozenset({"wizard"}), "unit")
    with pytest.raises(ImproperlyConfigured):
        Rule(frozenset({"head"}), "planet")
    with pytest.raises(ImproperlyConfigured):
        Rule(frozenset(), "unit")
    assert Rule({"head"}, "unit").roles == frozenset({"head"})  # any iterable of roles


def test_registering_twice_same_is_fine_conflict_raises():
    register_rules({"test.unit": TEST_RULES["test.unit"]})
    with pytest.raises(ImproperlyConfigured):
        register_rules({"test.unit": Rule(frozenset({"admin"}), "unit")})
    assert registered_rules()["test.unit"] == (TEST_RULES["test.unit"],)
    assert "agency.manage_members" in registered_rules()
