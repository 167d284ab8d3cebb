"""An import's file is read by a thread ahead of the importer (annotations.readahead): the
importer still sees every item, and any error, in the file's order."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from annotator.annotations import readahead
from annotator.annotations.readahead import read_ahead


def _numbers_then_failure(count: int) -> Iterator[int]:
    yield from range(count)
    raise ValueError(f"line {count + 1} is broken")


def test_every_item_arrives_in_order() -> None:
    with read_ahead(iter(range(1000))) as items:
        assert list(items) == list(range(1000))


def test_an_error_arrives_after_every_item_read_before_it() -> None:
    received = []
    with (
        pytest.raises(ValueError, match="line 76 is broken"),
        read_ahead(
            _numbers_then_failure(75)  # not a whole number of chunks
        ) as items,
    ):
        for item in items:
            received.append(item)
    assert received == list(range(75))


def test_leaving_early_stops_the_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readahead, "DEPTH", 2)
    before = threading.active_count()
    read: list[int] = []

    def endless() -> Iterator[int]:
        n = 0
        while True:
            read.append(n)
            yield n
            n += 1

    with read_ahead(endless()) as items:
        assert next(items) == 0
    assert threading.active_count() == before
    assert len(read) <= (2 + 2) * readahead.CHUNK  # the queue, and one chunk either side
