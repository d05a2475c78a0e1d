"""Migrations ship inside the package and bring any data dir to the newest schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from backend_server.config import Settings
from backend_server.db.database import Database
from backend_server.db.migrate import MIGRATIONS_DIR, alembic_config, upgrade_to_head
from backend_server.models import Base


def test_migration_files_are_package_data() -> None:
    assert (MIGRATIONS_DIR / "alembic.ini").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == ["0009"]


async def test_fresh_data_dir_is_migrated_and_matches_models(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "new" / "dir")
    db = Database(settings)
    try:
        await db.prepare()
        await upgrade_to_head(db.engine)  # a second start changes nothing
        async with db.engine.connect() as connection:
            assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        await db.dispose()
    assert settings.sqlite_path.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(settings.sqlite_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(Base.metadata.tables) <= tables
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0009",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        for table, model_table in Base.metadata.tables.items():
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            assert columns == set(model_table.columns.keys()), table
    finally:
        conn.close()


def test_jwt_secret_is_created_once_and_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = settings.jwt_secret()
    assert settings.jwt_secret() == first
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o777 == 0o600
