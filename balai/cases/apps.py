from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "balai.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        register_case_rules()
        from balai.agencies.services import register_unit_closing_guard
        from balai.cases.actors import account_guard, membership_guard
        from balai.cases.units import unit_closing_guard
        from balai.people.services import register_account_guard, register_membership_guard

        register_membership_guard(membership_guard)
        register_account_guard(account_guard)
        register_unit_closing_guard(unit_closing_guard)


def register_case_rules() -> None:
    """Register `case.<action>` and `case.<kind>.<action>` with the permission function."""
    from balai.cases.workflows import permission_rules
    from balai.people.permissions import Rule, register_rules

    register_rules({name: [Rule(roles=roles, scope=scope) for roles, scope in grants]
                    for name, grants in permission_rules().items()})
