"""Backups that restore: the round trip on SQLite (and on PostgreSQL under the `postgres` marker), the
encryption's refusals, and the refusal to overwrite an instance that holds data."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from balai.cases.submission import Submission
from balai.ops.backup import crypto
from balai.ops.backup.archive import read_archive
from tests.portal.flow_data import PDF, PNG, build_flow_data

ROOT = Path(__file__).resolve().parents[2]
KEY = crypto.generate_key()


# --- encryption -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK - 1, crypto.CHUNK, crypto.CHUNK + 1, 3 * crypto.CHUNK + 5])
def test_stream_encryption_round_trip(size):
    key = crypto.load_key(KEY)
    plain = os.urandom(size)
    sealed = io.BytesIO()
    writer = crypto.EncryptingWriter(sealed, key)
    for start in range(0, size, 70_001):  # written in odd pieces, as tarfile does
        writer.write(plain[start:start + 70_001])
    writer.close()
    # A plaintext of a few bytes may appear in random ciphertext by chance; 16 bytes never do.
    assert size < 16 or plain[:64] not in sealed.getvalue()
    reader = crypto.DecryptingReader(io.BytesIO(sealed.getvalue()), key)
    assert b"".join(iter(lambda: reader.read(65_536), b"")) == plain


def _sealed(data: bytes) -> bytes:
    sealed = io.BytesIO()
    writer = crypto.EncryptingWriter(sealed, crypto.load_key(KEY))
    writer.write(data)
    writer.close()
    return sealed.getvalue()


@pytest.mark.parametrize("damage", ["flip", "cut_at_chunk", "cut_inside", "swap", "wrong_key", "header"])
def test_any_change_to_an_archive_is_refused(damage):
    data = os.urandom(2 * crypto.CHUNK + 100)
    sealed = bytearray(_sealed(data))
    key = crypto.load_key(KEY)
    body = crypto.HEADER_BYTES
    block = crypto.CHUNK + crypto.TAG
    if damage == "flip":
        sealed[body + block + 10] ^= 1
    elif damage == "cut_at_chunk":
        sealed = sealed[:body + 2 * block]  # the last chunk dropped: the archive still looks whole
    elif damage == "cut_inside":
        sealed = sealed[:-50]
    elif damage == "swap":
        first, second = sealed[body:body + block], sealed[body + block:body + 2 * block]
        sealed[body:body + 2 * block] = second + first
    elif damage == "wrong_key":
        key = crypto.load_key(crypto.generate_key())
    elif damage == "header":
        sealed[len(crypto.MAGIC)] ^= 1  # the salt: every chunk is bound to the header
    with pytest.raises(crypto.BackupCorrupt):
        reader = crypto.DecryptingReader(io.BytesIO(bytes(sealed)), key)
        while reader.read(crypto.CHUNK):
            pass


def test_keys_are_checked():
    for bad in ("", "not base64!", "c2hvcnQ="):
        with pytest.raises(crypto.BackupKeyError):
            crypto.load_key(bad)


def test_backup_refuses_to_run_without_a_key(settings):
    settings.BALAI_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="BALAI_BACKUP_KEY"):
        call_command("backup")


# --- the round trip -------------------------------------------------------------------------------------

@pytest.fixture
def store(settings, tmp_path):
    location = tmp_path / "uploads"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}
    settings.BALAI_BACKUP_KEY = KEY
    return location


def make_data() -> dict:
    """Cases with attachments (through the engine: events, audit records, outbox), an anonymous case, a
    citizen with a NIK, and a transition."""
    from balai.cases.services import case_submit
    from balai.people.nik import set_user_nik
    from tests.factories import UserFactory

    data = build_flow_data()
    citizen = UserFactory(full_name="Siti Aminah", phone="+6281250000001", email="warga1@demo.balai.id")
    set_user_nik(citizen, "6472015507900001")
    cases = []
    for n in range(3):
        cases.append(case_submit(Submission(kind="complaint", channel="web", complaint_category=data["category"], title=f"Jalan rusak {n}",
            description="Lubang besar", contact_name="Budi Santoso", contact_phone="081250000002",
            confidentiality="anonymous" if n == 2 else "public",
            files=[SimpleUploadedFile(f"foto{n}.png", PNG + bytes([n])), SimpleUploadedFile("surat.pdf", PDF)])))
    return {"cases": cases, "citizen": citizen}


def table_counts_sqlite(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def live_counts() -> dict[str, int]:
    from balai.ops.backup.database import live_row_counts

    return live_row_counts(alias="default")


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "BALAI_BACKUP_KEY": KEY, **env})


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def round_trip(tmp_path: Path, store: Path, target_env: dict[str, str], target_counts) -> None:
    from balai.audit.selectors import chain_head
    from balai.cases.models import Attachment

    make_data()
    assert Attachment.objects.count() == 6
    archive = tmp_path / "b.balai-backup"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    assert "6 files" in out.getvalue()
    raw = archive.read_bytes()
    for secret in (b"Siti Aminah", b"Budi Santoso", b"081250000002", b"\x89PNG\r\n\x1a\n", b"CREATE TABLE"):
        assert secret not in raw  # encrypted at rest
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    contents = read_archive(path=archive, key=crypto.load_key(KEY))
    manifest = contents.manifest
    before = live_counts()
    assert manifest["row_counts"] == before
    assert manifest["audit"] == dict(zip(("records", "head"), chain_head(), strict=True))
    assert len(manifest["files"]) == 6 and manifest["problems"] == []
    assert manifest["versions"]["django"] and manifest["database"]["vendor"] == connection.vendor
    checked = run_manage("verify_backup", str(archive), env=target_env)
    assert checked.returncode == 0 and "every checksum matches" in checked.stdout, checked.stderr

    # a NEW, empty instance: its own database and attachment store
    restored = run_manage("restore", str(archive), "--json", env=target_env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    report = json.loads(restored.stdout)
    assert report["ok"] and {c["name"] for c in report["checks"]} == {
        "archive", "row counts", "audit chain", "attachments", "files"}

    after = target_counts()
    assert after.pop("audit_auditrecord") == before["audit_auditrecord"] + 1  # the restore, recorded
    before.pop("audit_auditrecord")
    assert after == before
    new_store = Path(target_env["BALAI_VAR_DIR"]) / "uploads"
    assert files_under(new_store) == files_under(store)

    again = run_manage("restore", str(archive), env=target_env)  # now it holds data: refused
    assert again.returncode != 0 and "not empty" in again.stderr
    forced = run_manage("restore", str(archive), "--force", env=target_env)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert target_counts()["cases_case"] == before["cases_case"]

    archive.write_bytes(raw[:-100])  # cut short: nothing is touched
    cut = run_manage("restore", str(archive), "--force", env=target_env)
    assert cut.returncode != 0 and "nothing restored" in cut.stderr
    assert target_counts()["cases_case"] == before["cases_case"]  # untouched
    with pytest.raises(crypto.BackupCorrupt):
        read_archive(path=archive, key=crypto.load_key(KEY))


@pytest.mark.django_db(transaction=True)
def test_round_trip_sqlite(tmp_path, store):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL round trip is the next test")
    target = tmp_path / "new-instance"
    target.mkdir()
    env = {"DATABASE_URL": f"sqlite:///{target / 'restored.sqlite3'}", "BALAI_VAR_DIR": str(target)}
    round_trip(tmp_path, store, env, lambda: table_counts_sqlite(target / "restored.sqlite3"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_round_trip_postgresql(tmp_path, store):
    """Restore into a scratch database named after the test database, dropped at the end."""
    import psycopg
    from psycopg import sql

    params = connection.settings_dict
    scratch = f"{params['NAME']}_restore"[:63]
    admin = {"host": params["HOST"] or None, "port": params["PORT"] or None, "user": params["USER"] or None,
             "password": params["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}

    def counts() -> dict[str, int]:
        with psycopg.connect(**{**admin, "dbname": scratch}) as conn:
            tables = [t for (t,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
            return {t: conn.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
                    for t in tables}

    with psycopg.connect(**admin) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        target = tmp_path / "new-instance"
        target.mkdir()
        user = params["USER"] or ""
        auth = f"{user}:{params['PASSWORD']}@" if params["PASSWORD"] else f"{user}@" if user else ""
        url = f"postgres://{auth}{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{scratch}"
        round_trip(tmp_path, store, {"DATABASE_URL": url, "BALAI_VAR_DIR": str(target)}, counts)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))


@pytest.mark.django_db(transaction=True)
def test_a_changed_attachment_is_reported_by_backup_and_restore(tmp_path, store):
    from balai.cases.models import Attachment

    make_data()
    victim = Attachment.objects.order_by("id").first()
    (store / victim.storage_name).write_bytes(b"not what was uploaded")
    archive = tmp_path / "b.balai-backup"
    with pytest.raises(CommandError, match="1 problem"):
        call_command("backup", output=archive, stdout=io.StringIO(), stderr=io.StringIO())
    assert archive.exists()  # still written: the rest is worth keeping
    target = tmp_path / "new"
    target.mkdir()
    env = {"DATABASE_URL": f"sqlite:///{target / 'db.sqlite3'}", "BALAI_VAR_DIR": str(target)}
    if connection.vendor != "sqlite":
        pytest.skip("the restore half runs on SQLite")
    restored = run_manage("restore", str(archive), env=env)
    assert restored.returncode != 0
    assert "FAIL attachments: 1 of 6 bad" in restored.stdout and victim.storage_name in restored.stdout


@pytest.mark.django_db(transaction=True)
def test_restore_checks_the_audit_chain(tmp_path, store):
    """A backup of a tampered chain restores, but the restore says the chain is broken."""
    from balai.audit.models import AuditRecord
    from tests.audit.helpers import raw_update

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only (the chain check itself is database-independent)")
    make_data()
    with transaction.atomic():
        raw_update(AuditRecord.objects.order_by("id").values_list("id", flat=True)[1], action="case.rewritten")
    archive = tmp_path / "b.balai-backup"
    call_command("backup", output=archive, stdout=io.StringIO())
    target = tmp_path / "new"
    target.mkdir()
    env = {"DATABASE_URL": f"sqlite:///{target / 'db.sqlite3'}", "BALAI_VAR_DIR": str(target)}
    restored = run_manage("restore", str(archive), env=env)
    assert restored.returncode != 0 and "FAIL audit chain: broken at #" in restored.stdout
