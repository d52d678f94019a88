"""Settings for worker and web processes started by tests/ops (restart and cluster tests): the real
settings with periods and timeouts short enough to watch within a test."""

from balai.settings import *  # noqa: F403
from balai.settings import BALAI_IDEMPOTENT_TASKS

BALAI_PERIODIC_TASKS = {
    "balai.ops.tasks.heartbeat": 1,
    "balai.cases.tasks.register_queued_submissions": 1,
    "balai.notify.tasks.deliver_due_messages": 2,
    "balai.cases.tasks.sweep_deadlines": 5,
    "balai.transparency.tasks.update_rollups": 5,
}
BALAI_IDEMPOTENT_TASKS = {*BALAI_IDEMPOTENT_TASKS, "tests.ops.jobs.sleep_idempotent"}
# A message cut off between "sending" and its result is resent (same idempotency key) after this long.
BALAI_NOTIFY = {"SENDING_TIMEOUT_SECONDS": 3}
BALAI_WORKER_RECONNECT_MAX_SECONDS = 1
BALAI_WORKER_HEARTBEAT_SECONDS = 1
BALAI_WORKER_STALE_SECONDS = 5
