"""Set a person's password from the server's shell, audited ("user.password.reset"): Django's
`changepassword`, finding the account by e-mail or phone number (any spelling)."""

from __future__ import annotations

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from balai.people.backends import find_user_by_login
from balai.people.services import user_set_password

VIA = "command:changepassword"
MAX_TRIES = 3


class Command(BaseCommand):
    help = "Change a person's password (asked twice, never on the command line). Audited."
    requires_migrations_checks = True
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("username", help="E-mail address or phone number of the account.")

    def _get_pass(self, prompt: str = "Password: ") -> str:
        password = getpass.getpass(prompt=prompt)
        if not password:
            raise CommandError("aborted")
        return password

    def handle(self, *args, **options):
        user = find_user_by_login(options["username"])
        if user is None:
            raise CommandError(f"no account for {options['username']!r}")
        self.stdout.write(f"Changing the password of account #{user.pk}")
        for _attempt in range(MAX_TRIES):
            first, second = self._get_pass(), self._get_pass("Password (again): ")
            if first != second:
                self.stdout.write("Passwords do not match. Please try again.")
                continue
            try:
                with transaction.atomic():
                    user_set_password(actor=None, user=user, password=first, via=VIA)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return f"Password changed for account #{user.pk}."
        raise CommandError(f"Aborting after {MAX_TRIES} attempts.")
