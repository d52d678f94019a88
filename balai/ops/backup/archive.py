"""Writing, checking and restoring backup archives (ADR 0025).

Members of the tar stream, in order: the database (`database/balai.pgdump` or `database/balai.sqlite3`),
every file of the attachment store (`files/<storage name>`; unsent portal drafts excepted: they expire
within a day), and `manifest.json` last, because it holds the SHA-256 of everything before it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import django
from django.core.files.storage import Storage, default_storage

from balai.ops.backup import database
from balai.ops.backup.crypto import CHUNK, BackupCorrupt, DecryptingReader, EncryptingWriter

FORMAT = "balai-backup/1"
MANIFEST = "manifest.json"
FILES = "files/"
SKIPPED_DIRS = ("portal-drafts",)  # balai.portal.drafts.TEMP_DIR: files of unsent drafts, gone within a day


def _balai_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("balai")
    except PackageNotFoundError:
        return "unknown"


# --- the attachment store --------------------------------------------------------------------------------

def storage_files(storage: Storage = default_storage) -> Iterator[str]:
    """Every file name in `storage`, depth first, in a stable order."""

    def walk(prefix: str) -> Iterator[str]:
        try:
            dirs, files = storage.listdir(prefix)
        except FileNotFoundError:
            return
        for name in sorted(files):
            yield f"{prefix}/{name}" if prefix else name
        for name in sorted(dirs):
            if not prefix and name in SKIPPED_DIRS:
                continue
            yield from walk(f"{prefix}/{name}" if prefix else name)

    yield from walk("")


class _Hashing:
    """Wraps a readable file, hashing what passes through."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.sha, self.size = raw, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, name: str, raw: BinaryIO, size: int) -> tuple[int, str]:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    hashing = _Hashing(raw)
    tar.addfile(info, hashing)
    return hashing.size, hashing.sha.hexdigest()


# --- writing ---------------------------------------------------------------------------------------------

@dataclass
class BackupResult:
    path: Path
    manifest: dict
    problems: list[str] = field(default_factory=list)


def create_backup(*, output: Path, key: bytes, alias: str = "default", workdir: Path | None = None,
                  storage: Storage = default_storage) -> BackupResult:
    """Write an encrypted archive of the database and the attachment store to `output`.

    The plain-text dump exists only in a private temporary directory (mode 0700, under `workdir`) while
    it is being encrypted. Attachments whose file is missing or whose content no longer matches the
    SHA-256 recorded at upload are listed in `problems` (the archive is still written)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix="balai-backup-", dir=workdir))
    partial = output.with_name(output.name + ".partial")
    problems: list[str] = []
    try:
        snap = database.dump(alias=alias, workdir=private)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as raw:
            writer = EncryptingWriter(raw, key)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                with open(snap.path, "rb") as dump:
                    db_size, db_sha = _add(tar, snap.member, dump, snap.path.stat().st_size)
                files = []
                for name in storage_files(storage):
                    with storage.open(name, "rb") as handle:
                        size, sha = _add(tar, FILES + name, handle, storage.size(name))
                    files.append({"name": name, "size": size, "sha256": sha})
                by_name = {f["name"]: f for f in files}
                for name, (size, sha) in sorted(snap.attachments.items()):
                    found = by_name.get(name)
                    if found is None:
                        problems.append(f"attachment file missing: {name}")
                    elif found["sha256"] != sha or found["size"] != size:
                        problems.append(f"attachment file does not match its recorded SHA-256: {name}")
                manifest = {
                    "format": FORMAT,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "versions": {"balai": _balai_version(), "django": django.get_version(),
                                 "python": platform.python_version(), "database": snap.server_version,
                                 "dump_tool": snap.tool_version},
                    "database": {"vendor": snap.vendor, "member": snap.member, "size": db_size, "sha256": db_sha},
                    "migrations": snap.migrations,
                    "row_counts": snap.row_counts,
                    "audit": {"records": snap.audit_records, "head": snap.audit_head},
                    "attachments": len(snap.attachments),
                    "files": files,
                    "problems": problems,
                }
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                _add(tar, MANIFEST, io.BytesIO(body), len(body))
            writer.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    finally:
        shutil.rmtree(private, ignore_errors=True)
        if partial.exists():
            partial.unlink()
    return BackupResult(path=output, manifest=manifest, problems=problems)


# --- reading ---------------------------------------------------------------------------------------------

def _safe_member(name: str) -> bool:
    if name in (MANIFEST, "database/balai.sqlite3", "database/balai.pgdump"):
        return True
    path = PurePosixPath(name)
    return (name.startswith(FILES) and not path.is_absolute() and ".." not in path.parts
            and "" not in name.split("/") and len(path.parts) > 1)


@dataclass
class ArchiveContents:
    manifest: dict
    directory: Path | None  # where the members were extracted (None when only checked)
    members: dict[str, tuple[int, str]]  # name → (size, sha256) as read


def read_archive(*, path: Path, key: bytes, extract_to: Path | None = None) -> ArchiveContents:
    """Decrypt `path`, hash (and extract) every member, and check them against the manifest.

    Raises BackupCorrupt when anything does not match: a wrong key, a changed or shortened file, a member
    missing from or not listed in the manifest, a size or checksum that differs."""
    members: dict[str, tuple[int, str]] = {}
    manifest_bytes = b""
    with open(path, "rb") as raw:
        reader = DecryptingReader(raw, key)
        try:
            tar = tarfile.open(fileobj=reader, mode="r|")
        except tarfile.TarError as exc:
            raise BackupCorrupt(f"not a readable archive: {exc}") from exc
        with tar:
            for member in tar:
                if not member.isfile() or not _safe_member(member.name) or member.name in members:
                    raise BackupCorrupt(f"unexpected member in the archive: {member.name!r}")
                source = tar.extractfile(member)
                if source is None:  # not reached for a regular file; an explicit check survives python -O
                    raise BackupCorrupt(f"unreadable member in the archive: {member.name!r}")
                sha, size = hashlib.sha256(), 0
                target = None
                if extract_to is not None and member.name != MANIFEST:
                    destination = extract_to / member.name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    target = open(destination, "wb")  # noqa: SIM115 - closed below
                try:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        if target is not None:
                            target.write(chunk)
                        elif member.name == MANIFEST:
                            manifest_bytes += chunk
                finally:
                    if target is not None:
                        target.close()
                members[member.name] = (size, sha.hexdigest())
        while reader.read(CHUNK):  # authenticate the rest, up to the final chunk: nothing was cut off
            pass
    if MANIFEST not in members:
        raise BackupCorrupt("the archive has no manifest (it was cut short)")
    manifest = json.loads(manifest_bytes)
    if manifest.get("format") != FORMAT:
        raise BackupCorrupt(f"unknown archive format {manifest.get('format')!r}")
    expected = {manifest["database"]["member"]: (manifest["database"]["size"], manifest["database"]["sha256"])}
    expected.update({FILES + f["name"]: (f["size"], f["sha256"]) for f in manifest["files"]})
    found = {name: value for name, value in members.items() if name != MANIFEST}
    if found != expected:
        differing = sorted(set(found.items()) ^ set(expected.items()))
        raise BackupCorrupt(f"the archive's contents do not match its manifest: {differing[:5]}")
    return ArchiveContents(manifest=manifest, directory=extract_to, members=members)
