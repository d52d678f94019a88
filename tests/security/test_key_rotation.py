"""Field-encryption keys rotate without losing data (ADR 0019).

Old key → add a new key (the old one still decrypts) → `rotate_field_encryption` rewrites everything →
remove the old key → everything is still readable. The look-up digest has its own key, which does not
change with the encryption key; changing it is a re-keying the same command performs.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from balai.audit.models import AuditRecord
from balai.cases.models import Case, QueuedSubmission
from balai.cases.submission import Submission
from balai.cases.visibility import case_view
from balai.people import field_crypto
from balai.people.nik import find_users_by_nik, set_user_nik, unseal_nik, user_nik
from tests.factories import UserFactory
from tests.security.data_world import NIK, NIK_TYPED, data_world_fixture, raw_rows, submit_with_nik  # noqa: F401

pytestmark = pytest.mark.django_db

OLD = "old-field-key-written-in-2026-0123456789abcdef"
NEW = "new-field-key-written-in-2027-fedcba9876543210"
DIGEST = "digest-key-that-never-rotates-0123456789abcdef"
OTHER_NIK = "6402054101850002"


def keys(newest: str, *older: str, digest: str = DIGEST):
    return override_settings(FIELD_ENCRYPTION_KEY=newest, FIELD_ENCRYPTION_OLD_KEYS=list(older),
                             FIELD_DIGEST_KEY=digest)


def _stored(data_world):
    """A user's NIK, a case's NIK answer and a queued submission's NIK answer, all under the old key."""
    from balai.cases.intake import queue_submission
    from balai.people.services import client_application_create

    user = UserFactory()
    set_user_nik(user, OTHER_NIK)
    case = submit_with_nik(data_world)
    app, _key = client_application_create(name="Antrean", scopes=("cases:submit",))
    row, _prepared = queue_submission(Submission(client=app, kind="service_request", channel="api", title="Surat",
                                      service=data_world.service, answers={"nomor_induk": NIK_TYPED},
                                      contact_phone="081234567890"))
    return user, case, row


def _all_readable(data_world, user, case, row) -> None:
    user.refresh_from_db()
    assert user_nik(user) == OTHER_NIK
    assert list(find_users_by_nik(OTHER_NIK)) == [user]
    fresh = Case.objects.get(pk=case.pk)
    assert case_view(case=fresh, viewer=data_world.operator).answers["nomor_induk"] == NIK
    assert Case.objects.filter(answers__nomor_induk__nik_digest=fresh.answers["nomor_induk"]["nik_digest"]).exists()
    assert unseal_nik(QueuedSubmission.objects.get(pk=row.pk).payload["answers"]["nomor_induk"]) == NIK_TYPED


def _tokens(case, row, user) -> list[str]:
    user.refresh_from_db()
    return [user.nik_encrypted, Case.objects.get(pk=case.pk).answers["nomor_induk"]["nik_encrypted"],
            QueuedSubmission.objects.get(pk=row.pk).payload["answers"]["nomor_induk"]["nik_encrypted"]]


def test_old_data_stays_readable_through_a_rotation_and_after_the_old_key_is_removed(data_world):
    with keys(OLD):
        user, case, row = _stored(data_world)
        digests = (user.nik_digest, Case.objects.get(pk=case.pk).answers["nomor_induk"]["nik_digest"])

    with keys(NEW, OLD):  # a new key added: data written under the old one is still readable
        _all_readable(data_world, user, case, row)
        assert not any(field_crypto.is_current(t) for t in _tokens(case, row, user))
        call_command("rotate_field_encryption", stdout=_Sink())
        assert all(field_crypto.is_current(t) for t in _tokens(case, row, user))
        _all_readable(data_world, user, case, row)

    with keys(NEW):  # the old key removed
        _all_readable(data_world, user, case, row)
        user.refresh_from_db()
        # the digest key did not change, so neither did the digests
        assert (user.nik_digest, Case.objects.get(pk=case.pk).answers["nomor_induk"]["nik_digest"]) == digests
        # and the queued submission still registers into a case
        from balai.cases.intake import register_queued

        assert register_queued() == {"registered": 1, "failed": 0}
        registered = QueuedSubmission.objects.get(pk=row.pk).case
        assert case_view(case=registered, viewer=data_world.operator).answers["nomor_induk"] == NIK
    assert NIK not in raw_rows("cases_case") and OTHER_NIK not in raw_rows("people_user")


def test_without_the_rotation_removing_the_old_key_loses_the_data_and_the_command_says_so(data_world):
    with keys(OLD):
        user, case, _row = _stored(data_world)
    with keys(NEW):
        user.refresh_from_db()
        with pytest.raises(ValueError):
            user_nik(user)
        with pytest.raises(CommandError):
            call_command("rotate_field_encryption", stdout=_Sink())
        # nothing was damaged: put the old key back and everything reads again
    with keys(NEW, OLD):
        user.refresh_from_db()
        assert user_nik(user) == OTHER_NIK


def test_the_command_is_idempotent_audited_and_has_a_dry_run(data_world):
    with keys(OLD):
        user, case, row = _stored(data_world)
    with keys(NEW, OLD):
        before = _tokens(case, row, user)
        out = _Sink()
        call_command("rotate_field_encryption", "--dry-run", stdout=out)
        assert _tokens(case, row, user) == before and "would rewrite 1" in out.text
        call_command("rotate_field_encryption", stdout=_Sink())
        after = _tokens(case, row, user)
        assert after != before
        call_command("rotate_field_encryption", stdout=(out := _Sink()))
        assert _tokens(case, row, user) == after and "rewrote 0" in out.text
    record = AuditRecord.objects.filter(action="ops.field_encryption_rotate").first()
    assert record is not None and record.data["rewritten"]["people.user"] == 1


def test_changing_the_digest_key_is_a_rekeying_done_by_the_same_command(data_world):
    with keys(OLD):
        user, case, row = _stored(data_world)
    with keys(OLD, digest="a-brand-new-digest-key-0123456789abcdef-xyz"):
        assert not find_users_by_nik(OTHER_NIK).exists()  # stale digests until the command ran
        call_command("rotate_field_encryption", stdout=_Sink())
        _all_readable(data_world, user, case, row)


def test_digest_key_is_separate_from_the_encryption_key():
    from balai.people.nik import nik_digest

    with keys(OLD):
        digest = nik_digest(NIK)
    with keys(NEW):
        assert nik_digest(NIK) == digest
    with keys(OLD, digest="yet-another-digest-key-0123456789abcdef"):
        assert nik_digest(NIK) != digest


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_an_installation_that_ran_on_the_secret_key_upgrades_without_losing_data(data_world, settings):
    with override_settings(FIELD_ENCRYPTION_KEY="", FIELD_ENCRYPTION_OLD_KEYS=[], FIELD_DIGEST_KEY=""):
        user, case, row = _stored(data_world)  # written as before this change: keys from SECRET_KEY
    with keys(NEW, settings.SECRET_KEY):
        _all_readable_but_lookups(data_world, user, case, row)
        call_command("rotate_field_encryption", stdout=_Sink())
    with keys(NEW):
        _all_readable(data_world, user, case, row)


def _all_readable_but_lookups(data_world, user, case, row) -> None:
    """Before the command, the digests are still those of the old key: only reading is promised."""
    user.refresh_from_db()
    assert user_nik(user) == OTHER_NIK
    assert case_view(case=Case.objects.get(pk=case.pk), viewer=data_world.operator).answers["nomor_induk"] == NIK
    assert unseal_nik(QueuedSubmission.objects.get(pk=row.pk).payload["answers"]["nomor_induk"]) == NIK_TYPED
