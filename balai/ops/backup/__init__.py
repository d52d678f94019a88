"""Backups that restore (ADR 0025): `manage.py backup`, `manage.py verify_backup`, `manage.py restore`.

An archive is a tar stream, encrypted as it is written (`crypto`), holding the database (PostgreSQL:
`pg_dump` custom format from an exported snapshot; SQLite: the online backup API), every file of the
attachment store, and last a manifest with versions, time, row counts, the audit chain's head and the
SHA-256 of every member.
"""
