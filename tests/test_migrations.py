"""The schema comes from the migrations, and they agree with the models."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, inspect, text

from annotator import create_app, database, snapshot
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


def test_upgrade_to_0003_keeps_the_newest_of_duplicate_sentiments_with_history(
    tmp_path: Path,
) -> None:
    """Races before 0003 could store two paragraph sentiments; the unique index needs one."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'old.db'}"))
    with app.app_context():
        database.upgrade("0002")
        with db.engine.begin() as connection:
            for statement in [
                "INSERT INTO project (id, name, slug, description, guidelines, label_schema,"
                " settings, created_at) VALUES (1, 'P', 'p', '', '', '{}', '{}', '2026-01-01')",
                "INSERT INTO user (id, username, username_key, password_hash, role, active,"
                " must_change_password, session_epoch, created_at)"
                " VALUES (1, 'anna', 'anna', 'x', 'annotator', 1, 0, 0, '2026-01-01')",
                "INSERT INTO article (id, project_id, title, meta, content_hash, created_at)"
                " VALUES (1, 1, 'A', '{}', 'h', '2026-01-01')",
                "INSERT INTO paragraph (id, article_id, position, text, is_boilerplate)"
                " VALUES (1, 1, 0, 'Wang spoke.', 0)",
            ]:
                connection.execute(text(statement))
            for annotation_id, label, attributes in [
                (1, "positive", "{}"),
                (2, "negative", "{}"),
                (3, "neutral", '{"target_id": 4}'),
                (4, "GPE", "{}"),
                (5, "mixed", '{"target_id": 9}'),  # its entity was deleted
            ]:
                connection.execute(
                    text(
                        "INSERT INTO annotation (id, paragraph_id, annotator_id, is_gold, layer,"
                        ' "start", "end", label, attributes, version, created_at, updated_at)'
                        " VALUES (:id, 1, 1, 0, :layer, :start, :end, :label, :attributes, 1,"
                        " '2026-01-01', '2026-01-01')"
                    ),
                    {
                        "id": annotation_id,
                        "label": label,
                        "attributes": attributes,
                        "layer": "entity" if label == "GPE" else "sentiment",
                        "start": 0 if label == "GPE" else None,
                        "end": 4 if label == "GPE" else None,
                    },
                )
        database.upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, label, target_id, source FROM annotation ORDER BY id")
            ).all()
            events = connection.execute(
                text("SELECT annotation_id, action FROM annotation_event")
            ).all()
        assert [tuple(r) for r in rows] == [
            (2, "negative", None, "manual"),
            (3, "neutral", 4, "manual"),
            (4, "GPE", None, "manual"),
        ]
        assert sorted(tuple(e) for e in events) == [(1, "delete"), (5, "delete")]
        db.engine.dispose()


def test_upgrade_to_0006t_keeps_old_tokens_working_without_the_admin_scope(
    tmp_path: Path,
) -> None:
    """Tokens made before scopes acted with the whole account; after 0006t they keep what
    scripts used them for, but not the admin pages, and never expire."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'old.db'}"))
    with app.app_context():
        database.upgrade("0005")
        with db.engine.begin() as connection:
            for statement in [
                "INSERT INTO user (id, username, username_key, password_hash, role, active,"
                " must_change_password, session_epoch, created_at)"
                " VALUES (1, 'adm', 'adm', 'x', 'admin', 1, 0, 0, '2026-01-01')",
                "INSERT INTO api_token (id, user_id, name, prefix, token_hash, created_at)"
                " VALUES (1, 1, 'cron', 'ann_x', 'h', '2026-01-01')",
            ]:
                connection.execute(text(statement))
        database.upgrade("0006t")
        with db.engine.connect() as connection:
            row = connection.execute(text("SELECT scopes, expires_at FROM api_token")).one()
        assert tuple(row) == ("read annotate export", None)
        database.downgrade("0005")
        db.engine.dispose()


def test_the_head_read_from_the_files_is_alembics(app: Flask) -> None:
    """`db upgrade` at the head answers without loading Alembic, from the files' own lines."""
    with app.app_context():
        assert database.head_revision() == database._alembic_head()
        assert database.is_current()


def _schema(url: str) -> dict[str, Any]:
    """Everything about each table that the database enforces, names of indexes aside."""
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        return {
            table: {
                "columns": sorted(  # the order differs where migrations added columns
                    (c["name"], str(c["type"]), c["nullable"], str(c["default"]))
                    for c in inspector.get_columns(table)
                ),
                "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
                "foreign keys": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"], str(f["options"]))
                    for f in inspector.get_foreign_keys(table)
                ),
                "indexes": sorted(
                    (tuple(i["column_names"]), bool(i["unique"]), _where(i))
                    for i in inspector.get_indexes(table)
                ),
                "unique": sorted(
                    tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
                ),
                "checks": sorted(
                    " ".join(c["sqltext"].split()) for c in inspector.get_check_constraints(table)
                ),
            }
            for table in sorted(inspector.get_table_names())
        }
    finally:
        engine.dispose()


def _where(index: Any) -> str:
    """The condition of a partial index, as text."""
    options = index.get("dialect_options") or {}
    return " ".join(str(v) for v in options.values())


@pytest.fixture
def two_empty_databases(tmp_path: Path, database_url: str) -> Iterator[dict[str, str]]:
    """Two empty databases of the kind under test: SQLite files, or PostgreSQL schemas."""
    names = ("fast", "migrated")
    if not database_url.startswith("postgresql"):
        yield {name: f"sqlite:///{tmp_path / name}.db" for name in names}
        return
    engine = create_engine(database_url)
    with engine.begin() as connection:
        for name in names:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {name}"))
    yield {name: f"{database_url}?options=-csearch_path%3D{name}" for name in names}
    with engine.begin() as connection:
        for name in names:
            connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
    engine.dispose()


def test_a_fresh_database_gets_the_schema_the_migrations_build(
    two_empty_databases: dict[str, str],
) -> None:
    """`db upgrade` on an empty database builds the very schema that replaying every
    migration gives, stamped with the head (the schema always comes from the migrations)."""
    urls = two_empty_databases
    for name, url in urls.items():
        app = create_app(make_config(url))
        with app.app_context():
            (database.upgrade if name == "fast" else database.migrate)()
            assert database.current_revision() == database.head_revision()
            db.engine.dispose()

    assert _schema(urls["fast"]) == _schema(urls["migrated"])


def test_the_shipped_sqlite_snapshot_is_what_the_migrations_build(app: Flask) -> None:
    """A new migration without a new snapshot fails here (as `annotator db snapshot --check`
    does): run `annotator db snapshot` and commit annotator/migrations/sqlite_schema.sql."""
    with app.app_context():
        assert snapshot.revision() == database.head_revision(), "run `annotator db snapshot`"
        built = database.snapshot_text()
    assert snapshot.canonical(snapshot.SNAPSHOT.read_text()) == snapshot.canonical(built), (
        "run `annotator db snapshot`"
    )


def test_db_snapshot_check_fails_on_a_stale_snapshot(
    app: Flask, runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "sqlite_schema.sql"
    text = snapshot.SNAPSHOT.read_text()
    stale.write_text(text.replace("CREATE INDEX", "CREATE UNIQUE INDEX", 1))
    monkeypatch.setattr(snapshot, "SNAPSHOT", stale)
    result = runner.invoke(args=["db", "snapshot", "--check"])
    assert result.exit_code == 1 and "out of date: run `annotator db snapshot`" in result.output
    assert runner.invoke(args=["db", "snapshot"]).exit_code == 0
    assert snapshot.canonical(stale.read_text()) == snapshot.canonical(text)


def test_annotations_by_target_and_by_annotator_have_an_index(app: Flask) -> None:
    """Neither column has an index of its own, yet each leads one: the partial unique index
    over sentiments with a target, and uq_annotation_client_id (annotator_id, client_id)."""
    with app.app_context():
        inspector = inspect(db.engine)
        indexes = {i["name"]: i for i in inspector.get_indexes("annotation")}
        unique = {u["name"]: u for u in inspector.get_unique_constraints("annotation")}
    target = indexes["uq_annotation_target_id"]
    assert target["column_names"] == ["target_id"] and target["unique"]
    assert "target_id IS NOT NULL" in _where(target)
    assert unique["uq_annotation_client_id"]["column_names"] == ["annotator_id", "client_id"]
    assert not [i for i in indexes.values() if i["column_names"] == ["annotator_id"]]


def test_partial_indexes_keep_their_condition_on_both_databases() -> None:
    """The models give SQLite's form of each condition; PostgreSQL's is added when an engine
    for PostgreSQL is prepared (so SQLite processes never load its dialect)."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    from annotator.models import _PARTIAL_INDEXES, with_postgresql_predicates

    with_postgresql_predicates()
    assert len(_PARTIAL_INDEXES) == 4
    for index, where in _PARTIAL_INDEXES:
        for dialect in (sqlite.dialect(), postgresql.dialect()):
            assert str(CreateIndex(index).compile(dialect=dialect)).endswith(f" WHERE {where}")
