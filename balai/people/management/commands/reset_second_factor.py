"""Remove a person's second-factor devices (authenticator app, backup codes) from the server's shell,
e.g. when the only superuser lost their phone. Audited ("user.second_factor.reset")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from balai.people.backends import find_user_by_login
from balai.people.services import user_reset_second_factor

VIA = "command:reset_second_factor"


class Command(BaseCommand):
    help = "Reset a person's second factor: they set up a new one at their next sign-in. Audited."

    def add_arguments(self, parser):
        parser.add_argument("login", help="E-mail address or phone number of the account.")

    def handle(self, *args, **options):
        user = find_user_by_login(options["login"])
        if user is None:
            raise CommandError(f"no account for {options['login']!r}")
        removed = user_reset_second_factor(actor=None, user=user, via=VIA)
        return f"Removed {removed} second-factor device(s) of account #{user.pk}."
