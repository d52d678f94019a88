"""WSGI entry of the bench baseline (bench/baseline_site/settings.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.baseline_site.settings"
application = get_wsgi_application()
