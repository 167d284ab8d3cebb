"""The schema comes from the migrations, and they agree with the models."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text

from annotator import create_app, database
from annotator.extensions import db
from annotator.models import Base
from tests.conftest import make_config


def test_models_and_migrations_agree(app: Flask) -> None:
    """The test database was built by `annotator db upgrade`; autogenerate finds nothing to do."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_upgrade_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    app = create_app(make_config(f"sqlite:///{tmp_path / 'fresh.db'}"))
    with app.app_context():
        database.upgrade()
        assert "annotation" in inspect(db.engine).get_table_names()
        database.downgrade("base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        database.upgrade()
        assert database.current_revision() is not None
        db.engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    app = create_app(make_config(f"sqlite:///{tmp_path / 'pragmas.db'}"))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    with app.app_context():
        db.engine.dispose()
