"""Django's `createsuperuser`, with the new superuser written to the audit chain (ADR 0015).

Everything Django's command offers (prompts, --noinput with DJANGO_SUPERUSER_PASSWORD) is kept; the
account it creates is recorded by `user_record_created_elsewhere` in the same transaction.
"""

from __future__ import annotations

from django.contrib.auth.management.commands import createsuperuser
from django.db import transaction

from balai.people.selectors import superuser_ids, superusers_except
from balai.people.services import user_record_created_elsewhere

VIA = "command:createsuperuser"


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        with transaction.atomic(using=options["database"]):
            before = superuser_ids()
            result = super().handle(*args, **options)
            for user in superusers_except(before):
                user_record_created_elsewhere(user=user, via=VIA)
        return result
