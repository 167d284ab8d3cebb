"""An import inserts one batch's rows in a thread while it checks the next
(annotations.writer.behind): in order, one batch at a time, and an error of the inserts
reaches the importer before its own."""

from __future__ import annotations

import sys
import threading
from typing import Any, cast

import pytest
from sqlalchemy import Connection

from annotator.annotations.writer import behind
from annotator.annotations.writer.batch import Rows
from annotator.annotations.writer.behind import write_behind

#: The inserts are replaced here: they never use the connection.
UNUSED = cast(Connection, object())


def _rows(n: int) -> Rows:
    return Rows(ids=[n])


def test_batches_are_inserted_in_order_in_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    inserted: list[tuple[int, str]] = []
    monkeypatch.setattr(
        behind,
        "insert_batch",
        lambda _connection, rows: inserted.append((rows.ids[0], threading.current_thread().name)),
    )
    before = threading.active_count()

    with write_behind(UNUSED) as writer:
        for n in range(3):
            writer.start(_rows(n))
        writer.wait()
        assert [n for n, _ in inserted] == [0, 1, 2]

    assert {name for _, name in inserted} != {threading.current_thread().name}
    assert threading.active_count() == before


def test_an_error_of_the_inserts_is_raised_before_the_importers_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(_connection: Any, rows: Rows) -> None:
        raise RuntimeError(f"batch {rows.ids[0]} was refused")

    monkeypatch.setattr(behind, "insert_batch", fail)
    interval = sys.getswitchinterval()

    with (
        pytest.raises(RuntimeError, match="batch 7 was refused"),
        write_behind(UNUSED) as writer,
    ):
        writer.start(_rows(7))
        raise ValueError("a later line is broken")

    assert sys.getswitchinterval() == interval
