"""Sign in with an e-mail address or a phone number."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from balai.people.models import User


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username: str | None = None, password: str | None = None, **kwargs):
        if not username or not password:
            return None
        user = find_user_by_login(username)
        if user is None:
            User().set_password(password)  # same work either way: do not reveal whether the account exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def find_user_by_login(login: str) -> User | None:
    """The user whose e-mail or (normalised) phone number is `login`, or None."""
    login = login.strip()
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    from balai.people.phone import normalize_phone

    try:
        phone = normalize_phone(login)
    except ValueError:
        return None
    return User.objects.filter(phone=phone).first()
