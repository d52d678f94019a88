"""Switch an account on or off, or change its staff / superuser flags, from the server's shell (e.g. to
shut a compromised account at once). Audited, one record per flag changed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from balai.people.backends import find_user_by_login
from balai.people.services import user_set_access

VIA = "command:user_access"


class Command(BaseCommand):
    help = "Change whether an account is active, staff or superuser. Audited."

    def add_arguments(self, parser):
        parser.add_argument("login", help="E-mail address or phone number of the account.")
        for flag, help_on, help_off in (
            ("active", "Allow the account to sign in.", "Stop the account from signing in."),
            ("staff", "Mark the account as staff.", "Remove the staff flag."),
            ("superuser", "Give the account every permission.", "Remove the superuser flag."),
        ):
            group = parser.add_mutually_exclusive_group()
            group.add_argument(f"--{flag}", dest=flag, action="store_const", const=True, help=help_on)
            group.add_argument(f"--no-{flag}", dest=flag, action="store_const", const=False, help=help_off)
        parser.add_argument(
            "--even-without-actor", action="store_true",
            help="With --no-active: switch the account off even when a route is then left without anyone who "
                 "can act on its cases (a compromised account); the routes are written in the audit record.")

    def handle(self, *args, **options):
        user = find_user_by_login(options["login"])
        if user is None:
            raise CommandError(f"no account for {options['login']!r}")
        try:
            actions = user_set_access(actor=None, user=user, is_active=options["active"], is_staff=options["staff"],
                                      is_superuser=options["superuser"], via=VIA,
                                      even_without_actor=options["even_without_actor"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " (--even-without-actor switches it off anyway.)") from exc
        return (f"Account #{user.pk}: " + ", ".join(actions)) if actions else f"Account #{user.pk}: nothing changed."
