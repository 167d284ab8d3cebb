"""Per-project boilerplate rules as a service: patterns, preview, apply, undo, and imports."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from annotator.audit import entries
from annotator.boilerplate.patterns import (
    Pattern,
    PatternError,
    PatternTooSlow,
    matcher,
    validate,
)
from annotator.boilerplate.rules import (
    RuleError,
    add_rule,
    apply_rule,
    candidates,
    undo_rule,
)
from annotator.extensions import db
from annotator.ingest import parse_text_article, store_articles
from annotator.models import BoilerplateRule, Paragraph, Project, User
from tests.admin_support import annotate
from tests.conftest import import_text

ARTICLE = """Rates held steady
The central bank kept its rate at 4 percent on Tuesday.
Weather   looks fine today.
Analysts had expected the decision.
Weather looks fine today, the desk says!
"""
WEATHER = "Weather looks fine today."


def flags(app: Flask, article_id: int) -> list[bool]:
    with app.app_context():
        query = select(Paragraph.is_boilerplate).where(Paragraph.article_id == article_id)
        return list(db.session.scalars(query.order_by(Paragraph.position)))


def admin_and_project() -> tuple[User, Project]:
    admin = db.session.scalar(select(User).where(User.username_key == "admin"))
    project = db.session.scalar(select(Project).where(Project.slug == "default"))
    assert admin is not None and project is not None
    return admin, project


def new_rule(kind: str, pattern: str, flag: str = "boilerplate") -> BoilerplateRule:
    admin, project = admin_and_project()
    rule = add_rule(db.session, admin, project, kind, pattern, flag)
    db.session.commit()
    return rule


@pytest.fixture
def article(app: Flask, users: dict[str, int]) -> int:
    return import_text(app, "rates.txt", ARTICLE)


# --- patterns ----------------------------------------------------------------------------


def test_exact_compares_whitespace_normalised_whole_paragraphs() -> None:
    matches = matcher(validate("exact", "  Weather looks   fine today. "))
    assert matches("Weather   looks fine\ttoday.")
    assert not matches("Weather looks fine today, the desk says!")


def test_prefix_matches_the_start_of_the_normalised_paragraph() -> None:
    matches = matcher(validate("prefix", "Weather looks"))
    assert matches("Weather  looks grim.")
    assert not matches("The weather looks fine.")


def test_a_regex_is_searched_anywhere_and_case_sensitively() -> None:
    matches = matcher(validate("regex", r"today\W*$"))
    assert matches("Weather looks fine today.")
    assert not matches("Today writers met.")


@pytest.mark.parametrize(
    ("kind", "pattern", "problem"),
    [
        ("regex", "(unclosed", "does not compile"),
        ("regex", r"(\w+\s?)+$", "backtracks too much"),
        ("regex", "(a|aa)+$", "backtracks too much"),
        # Compiled, these would take gigabytes: refused before they are compiled.
        ("regex", "x{99999999}", "repeats too much"),
        ("regex", "(x{1000}){1000}", "repeats too much"),
        ("regex", "((ab){400}c){400}", "repeats too much"),
        ("regex", "[a-z]{100001,}", "repeats too much"),
        ("regex", "(?V1)[[a-z]--[aeiou]]", "does not compile"),
        ("prefix", "x" * 201, "longer than 200"),
        ("exact", "   ", "empty"),
        ("glob", "*", "kind must be one of"),
    ],
)
def test_bad_patterns_are_refused_with_a_reason(kind: str, pattern: str, problem: str) -> None:
    with pytest.raises(PatternError, match=problem):
        validate(kind, pattern)


@pytest.mark.parametrize(
    "pattern",
    [r"^\d{4}-\d{2}-\d{2}$", "x{2,99999999}", r"\{99999999\}", "[{]{3}", "a{x}", "(ab){50000}"],
)
def test_repeats_that_stay_small_are_rules(pattern: str) -> None:
    """Only the least count is compiled as copies: an open upper bound, an escaped or
    classed brace and a brace that is no repeat cost nothing."""
    assert validate("regex", pattern).pattern == pattern


def test_a_regex_over_its_scan_budget_is_too_slow() -> None:
    matches = matcher(validate("regex", "a"), seconds=0)
    with pytest.raises(PatternTooSlow):
        matches("a")


def test_at_import_a_match_that_times_out_counts_as_no_match() -> None:
    matches = matcher(Pattern("regex", r"(\w+\s?)+$"), seconds=None)
    assert matches("short words here")
    assert not matches("a" * 3000 + "!")


# --- preview, apply, undo ------------------------------------------------------------------


def test_preview_lists_the_paragraphs_a_rule_would_change_and_changes_nothing(
    app: Flask, article: int
) -> None:
    with app.app_context():
        rule = new_rule("exact", WEATHER)
        found = candidates(db.session, rule)
    assert len(found) == 1 and not found[0].annotated
    assert flags(app, article) == [False, False, False, False]


def test_apply_flips_matching_paragraphs_and_undo_restores_exactly_those(
    app: Flask, article: int
) -> None:
    with app.app_context():
        rule = new_rule("prefix", "Weather")
        admin, _ = admin_and_project()
        outcome = apply_rule(db.session, admin, rule)
        rule_id = rule.id
        db.session.commit()
        assert outcome.changed == 2
    assert flags(app, article) == [False, True, False, True]
    with app.app_context():
        admin, _ = admin_and_project()
        rule = db.session.get(BoilerplateRule, rule_id)
        assert rule is not None
        undo_rule(db.session, admin, rule)
        db.session.commit()
    assert flags(app, article) == [False, False, False, False]
    with app.app_context():
        logged = [e.action for e in entries(db.session, 1, 10)[0]]
    assert logged == ["boilerplate_rule.undo", "boilerplate_rule.apply", "boilerplate_rule.add"]


def test_undo_leaves_paragraphs_the_rule_did_not_change(app: Flask, article: int) -> None:
    with app.app_context():
        admin, _ = admin_and_project()
        db.session.scalars(
            select(Paragraph).where(Paragraph.position == 2)
        ).one().is_boilerplate = True
        db.session.commit()
        rule = new_rule("regex", "Weather|Analysts")
        apply_rule(db.session, admin, rule)
        undo_rule(db.session, admin, rule)
        db.session.commit()
    assert flags(app, article) == [False, False, True, False]


def test_annotated_paragraphs_are_left_alone_unless_the_admin_includes_them(
    app: Flask, article: int
) -> None:
    annotate(app, article, "anna", "sentiment", "neutral", position=1)
    with app.app_context():
        admin, _ = admin_and_project()
        rule = new_rule("prefix", "Weather")
        assert [c.annotated for c in candidates(db.session, rule)] == [True, False]
        outcome = apply_rule(db.session, admin, rule)
        db.session.commit()
        assert outcome.changed == 1 and len(outcome.left_annotated) == 1
        assert [c.annotated for c in candidates(db.session, rule)] == [True]
    assert flags(app, article) == [False, False, False, True]
    with app.app_context():
        admin, _ = admin_and_project()
        rule2 = new_rule("prefix", "Weather   looks fine")
        apply_rule(db.session, admin, rule2, include_annotated=True)
        db.session.commit()
    assert flags(app, article) == [False, True, False, True]


def test_a_rule_cannot_be_applied_twice_or_undone_when_not_applied(
    app: Flask, article: int
) -> None:
    with app.app_context():
        admin, _ = admin_and_project()
        rule = new_rule("exact", WEATHER)
        with pytest.raises(RuleError, match="not applied"):
            undo_rule(db.session, admin, rule)
        apply_rule(db.session, admin, rule)
        with pytest.raises(RuleError, match="already applied"):
            apply_rule(db.session, admin, rule)


def test_a_content_rule_brings_paragraphs_back_and_undo_hides_only_unannotated_ones(
    app: Flask, article: int
) -> None:
    with app.app_context():
        admin, _ = admin_and_project()
        for paragraph in db.session.scalars(select(Paragraph)):
            paragraph.is_boilerplate = True
        db.session.commit()
        rule = new_rule("prefix", "Weather", flag="content")
        assert apply_rule(db.session, admin, rule).changed == 2
        rule_id = rule.id
        db.session.commit()
    annotate(app, article, "anna", "sentiment", "neutral", position=1)
    with app.app_context():
        admin, _ = admin_and_project()
        rule = db.session.get(BoilerplateRule, rule_id)
        assert rule is not None
        outcome = undo_rule(db.session, admin, rule)
        db.session.commit()
        assert outcome.changed == 1 and len(outcome.left_annotated) == 1
    assert flags(app, article) == [True, False, True, True]


# --- imports -------------------------------------------------------------------------------


def test_a_rule_in_force_marks_articles_imported_later_and_its_undo_restores_them(
    app: Flask, users: dict[str, int]
) -> None:
    with app.app_context():
        admin, project = admin_and_project()
        rule = new_rule("exact", WEATHER)
        apply_rule(db.session, admin, rule)
        rule_id = rule.id
        db.session.commit()
        draft = parse_text_article("later.txt", ARTICLE.encode())
        summary = store_articles(db.session, project, [draft])
        db.session.commit()
        article = summary.article_ids[0]
        assert summary.boilerplate == 1
    assert flags(app, article) == [False, True, False, False]
    with app.app_context():
        admin, _ = admin_and_project()
        rule = db.session.get(BoilerplateRule, rule_id)
        assert rule is not None
        assert undo_rule(db.session, admin, rule).changed == 1
        db.session.commit()
    assert flags(app, article) == [False, False, False, False]


def test_a_rule_not_applied_does_not_touch_imports(app: Flask, users: dict[str, int]) -> None:
    with app.app_context():
        new_rule("exact", WEATHER)
    article = import_text(app, "later.txt", ARTICLE)
    assert flags(app, article) == [False, False, False, False]
