"""bench.import_parts times SQLite's calls inside the real import commands, and adds up the
parts that no cut to our own code removes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.cli_runs import _write_files
from bench.import_parts import _pair, report


def test_a_timed_import_reports_the_sqlite_calls_each_command_made(tmp_path: Path) -> None:
    articles, annotations, _ = _write_files(tmp_path, 3, 2)

    figures = _pair([articles, annotations], tmp_path / "instance", timed=True)

    for step in ("articles", "annotations"):
        parts = figures[step]
        assert parts["execute"] + parts["executemany"] > 0 and parts["commit"] > 0, step
        assert parts["whole"] > parts["execute"] + parts["executemany"] + parts["commit"]


def test_the_floor_is_each_commands_start_sqlite_and_json_not_its_whole(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parts = {"whole": 2.0, "start": 0.5, "execute": 0.1, "executemany": 0.2, "commit": 0.1}
    runs = [
        {"articles": {**parts, "json": 0.1}, "annotations": {**parts, "json": 0.3}},
        {"articles": {**parts, "json": 0.1}, "annotations": {**parts, "json": 0.3}},
    ]

    report(runs, doccano=20.0)

    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (
        "both commands 4.00 s; their starts, SQLite and JSON decoding alone 2.20 s; "
        "ten times doccano's 20.00 s is 2.00 s"
    )
