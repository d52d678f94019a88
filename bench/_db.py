"""Shared by the bench scripts: a PostgreSQL database of the benchmark's own."""

from __future__ import annotations


def ensure_postgres_database(database_url: str, *, fresh: bool) -> None:
    """Create the database named in `database_url`; with `fresh`, drop it first if it exists."""
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
