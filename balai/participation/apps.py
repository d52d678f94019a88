from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "balai.participation"
    label = "participation"

    def ready(self) -> None:
        from balai.people.permissions import Rule, register_rules

        register_rules({
            # Staff of the owner agency run a process: answers, merges, review, moderation, results.
            "participation.manage": Rule(frozenset({"head", "admin", "operator", "verifier"}), "agency"),
            # Counter officers and facilitators anywhere in the government record paper entries and
            # Musrenbang meetings (a village facilitator sits in the district office, not the owner agency).
            "participation.record": Rule(frozenset({"counter", "operator", "head", "admin"}), "government"),
            # Create a process and edit what it is (owner, region, phases, plain-language texts, budget,
            # draft): the head and the administrator of the owner agency only (ADR 0034, note on the editor).
            "participation.edit": Rule(frozenset({"head", "admin"}), "agency"),
            # Who sees the participation page of the workspace at all.
            "participation.staff": Rule(frozenset({"head", "admin", "operator", "verifier", "counter"}), "any"),
        })
