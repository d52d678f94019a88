"""Settings for the worker benchmark's `run_worker` processes: the real settings, with only the
queued-intake registration as a periodic job (every second), so the figures are registration alone."""

from balai.settings import *  # noqa: F403

BALAI_PERIODIC_TASKS = {"balai.cases.tasks.register_queued_submissions": 1}
BALAI_WORKER_RECONNECT_MAX_SECONDS = 5
