"""Users (citizens and staff, one model), and staff roles held in units."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


class ContactChannel(models.TextChoices):
    """How a citizen wants to hear from us."""

    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    NONE = "none", _("No messages")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **extra) -> User:
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email=email, password=password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a citizen (by e-mail or phone, often without a password) or a staff member.

    The NIK is never stored in plain text: `nik_encrypted` holds it encrypted (Fernet) and
    `nik_digest` a keyed hash for equality look-ups (see `balai.people.nik`).
    """

    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN
    )
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.SMS
    )
    nik_encrypted = models.TextField(_("NIK (encrypted)"), blank=True, editable=False)
    nik_digest = models.CharField(
        _("NIK look-up digest"), max_length=64, blank=True, db_index=True, editable=False
    )
    phone_failing = models.BooleanField(
        _("phone keeps failing"), default=False, help_text=_("Set when messages to this number keep failing.")
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user may sign in to the staff workspace."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return (self.full_name or "").split(" ")[0]


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    VERIFIER = "verifier", _("Verifier")
    HEAD = "head", _("Head of unit")
    COUNTER = "counter", _("Counter officer")
    PPID = "ppid", _("PPID officer")
    PPID_MAIN = "ppid_main", _("Main PPID (PPID utama)")
    ICT_AGENT = "ict_agent", _("ICT agent")
    INSPECTOR = "inspector", _("Inspector")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """A staff member holds a role in a unit; a person may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "agencies.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self) -> None:
        """The inspector role grants oversight of the whole government (PP 12/2017), so it may only be
        held in a unit of the Inspectorate."""
        from django.core.exceptions import ValidationError

        from balai.agencies.models import Agency

        if self.role == Role.INSPECTOR and self.unit_id and self.unit.agency.kind != Agency.Kind.INSPEKTORAT:
            raise ValidationError(
                {"role": _("The inspector role can only be given in a unit of the Inspectorate.")}
            )
        if self.role == Role.PPID_MAIN and self.unit_id and self.unit.kind != "ppid":
            # The main PPID approves every agency's register (docs/regulations.md §11): a PPID unit only.
            raise ValidationError({"role": _("The main PPID role can only be given in a PPID unit.")})


class ClientApplication(models.Model):
    """A registered machine client of the API (a regency's system, a civic app, a national system).

    Only a hash of its key is stored; the key is shown once when created (see `balai.api`).
    """

    name = models.CharField(_("name"), max_length=120)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("For a government system."),
    )
    key_prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=128, editable=False)
    scopes = models.JSONField(_("allowed scopes"), default=list, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(_("rate limit per minute"), default=60)
    queued_intake = models.BooleanField(
        _("queued intake"), default=False,
        help_text=_("Accept this client's submissions at once and register them within seconds, answering "
                    "with a token instead of a tracking code (for systems that send cases in bulk)."))
    is_active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("client application")
        verbose_name_plural = _("client applications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DataRequest(models.Model):
    """A data subject's request under UU 27/2022 (PDP) arts. 5–13: access/copy, correction, deletion.

    Every request is recorded (docs/regulations.md §5), with the 3×24-hour answer deadline of the law. The
    contact is copied so the record survives the deletion of the account it asks for.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access and copy of my data")
        CORRECTION = "correction", _("Correction of my data")
        DELETION = "deletion", _("Deletion of my data")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="data_requests",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    details = models.TextField(_("details"), blank=True)
    contact = models.CharField(_("contact"), max_length=254, blank=True,
                               help_text=_("E-mail or phone of the person asking, kept after deletion."))
    channel = models.CharField(_("channel"), max_length=10, default="web")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="datarequest_open_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.contact} · {self.requested_at:%Y-%m-%d}"
