from django.apps import AppConfig


class PpidConfig(AppConfig):
    name = "balai.ppid"
    label = "ppid"

    def ready(self) -> None:
        # The refusal of an information request must cite a consequence test (docs/regulations.md §11):
        # the case engine asks the registered checks before it applies a transition.
        from balai.ppid import hooks

        hooks.register()
