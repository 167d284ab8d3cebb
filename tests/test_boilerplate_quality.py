"""The boilerplate flag measured on the labeled set (tests/data/boilerplate/, see
bench/boilerplate_quality.py): every article through the real import, so corpus learning counts."""

from __future__ import annotations

from flask import Flask

from annotator.extensions import db
from annotator.projects import ensure_default_project
from bench.boilerplate_quality import import_and_score, load_labels, report

TARGET = 0.97


def test_the_labeled_set_is_large_and_varied_enough_to_mean_something() -> None:
    labeled = load_labels()
    assert len(labeled) >= 40
    assert len({item.style for item in labeled}) >= 8
    flags = [flag for item in labeled for flag in item.expected]
    assert 0.2 < sum(flags) / len(flags) < 0.8  # both classes are well represented


def test_boilerplate_precision_and_recall_on_the_labeled_set(app: Flask) -> None:
    with app.app_context():
        project = ensure_default_project(db.session)
        outcome = import_and_score(db.session, project, load_labels())
        db.session.commit()
    print("\n" + report(outcome))
    mistakes = [
        f"{file} #{position} {what}: {text}" for file, position, what, text in outcome.mistakes
    ]
    assert outcome.total.precision >= TARGET, mistakes
    assert outcome.total.recall >= TARGET, mistakes
    assert outcome.wrong_sources == []
