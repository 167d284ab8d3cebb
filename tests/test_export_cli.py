"""`annotator export`: the same records as the web, to stdout or a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.test_export_support import Seeded, annotate_seed, expected_jsonl, jsonl_lines


@pytest.fixture
def seeded(app: Flask, users: dict[str, int], seed_article: int) -> Seeded:
    return annotate_seed(app, seed_article)


def test_export_to_stdout_matches_the_expected_file(runner: Any, seeded: Seeded) -> None:
    result = runner.invoke(args=["export", "--project", "default", "-o", "-"])
    assert result.exit_code == 0, result.output
    records = jsonl_lines(result.stdout_bytes)
    assert [seeded.normalise(r) for r in records] == expected_jsonl("native.jsonl")


def test_export_to_a_file_with_filters(runner: Any, seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "anna.doccano.jsonl"
    result = runner.invoke(
        args=[
            "export",
            "--format",
            "doccano",
            "--annotator",
            "anna",
            "--status",
            "done",
            "-o",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.stderr
    records = jsonl_lines(out.read_bytes())
    assert len(records) == 13 and {r["meta"]["annotator"] for r in records} == {"anna"}


def test_export_reports_bad_options(runner: Any, seeded: Seeded) -> None:
    result = runner.invoke(args=["export", "--project", "nope"])
    assert result.exit_code != 0 and "No project with slug 'nope'" in result.output
    result = runner.invoke(args=["export", "--layers", "mood"])
    assert result.exit_code != 0 and "layers: unknown layer 'mood'" in result.output
