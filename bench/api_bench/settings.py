"""The real settings plus one bench-only URL: the bare baseline view (bench/api_bench/urls.py)."""

from balai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_bench.urls"
