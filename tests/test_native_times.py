"""Times in the native record: ISO 8601 UTC to the millisecond, whatever the database hands back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import sqlite

from annotator.formats.native import iso_utc

MOMENTS = [
    datetime(2026, 11, 27, 14, 5, 9, 123987),
    datetime(2026, 1, 2, 3, 4, 5, 0),
    datetime(1999, 12, 31, 23, 59, 59, 999999),
]


def sqlite_text(moment: datetime) -> str:
    """The text SQLAlchemy stores in SQLite for this naive UTC time."""
    process = sqlite.DATETIME().bind_processor(sqlite.dialect())
    assert process is not None
    return str(process(moment))


@pytest.mark.parametrize("moment", MOMENTS)
def test_sqlite_text_and_the_datetime_give_the_same_answer(moment: datetime) -> None:
    expected = moment.replace(tzinfo=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    assert iso_utc(sqlite_text(moment)) == expected
    assert iso_utc(moment) == expected
    assert iso_utc(moment.replace(tzinfo=UTC)) == expected


def test_other_offsets_and_shapes_are_converted_to_utc() -> None:
    paris = datetime(2026, 11, 27, 15, 0, 0, 500000, tzinfo=timezone(timedelta(hours=1)))

    assert iso_utc(paris) == "2026-11-27T14:00:00.500Z"
    assert iso_utc("2026-11-27T15:00:00+01:00") == "2026-11-27T14:00:00.000Z"
    assert iso_utc("2026-11-27 14:00:00") == "2026-11-27T14:00:00.000Z"
    assert iso_utc(None) is None
