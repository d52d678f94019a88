import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
application = get_wsgi_application()

# Production refuses a database with demo data before serving anything (ADR 0017).
from balai.ops.checks import refuse_demo_data_in_production  # noqa: E402 - needs the apps loaded above

refuse_demo_data_in_production()
