from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "balai.notify"
    label = "notify"

    def ready(self) -> None:
        # The outbox enqueues the delivery job; the job calls the outbox. Wiring them here keeps the
        # outbox from importing the tasks module (no import cycle, ADR 0030).
        from balai.notify import outbox, tasks

        outbox.register_delivery_task(tasks.deliver_message)
