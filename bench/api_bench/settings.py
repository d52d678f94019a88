"""The real settings plus one bench-only URL: the bare baseline view (bench/api_bench/urls.py)."""

from balai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_bench.urls"

# The portal's final step is measured from one address: its per-address and per-session limits are lifted.
BALAI_SUBMIT_LIMITS = {"ip": (10**9, 60), "session": (10**9, 60)}
