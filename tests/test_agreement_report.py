"""Agreement of a project, end to end: work stored through the writer, read back, compared.

The worked example (tests/agreement_support.anna_and_bob, docs/quality.md) has every figure
computed by hand below; a random three-annotator corpus checks the pair means against the
reference libraries.
"""

from __future__ import annotations

import json
import random
from itertools import combinations
from typing import Any

import krippendorff
import numpy as np
import pytest
from flask import Flask
from sklearn.metrics import cohen_kappa_score

from annotator.extensions import db
from annotator.models import Status
from annotator.projects import ensure_default_project
from annotator.quality import project_agreement
from annotator.quality.load import Corpus, Work
from annotator.quality.report import agreement_report
from tests.agreement_support import Work as Hand
from tests.agreement_support import anna_and_bob, talks
from tests.conftest import add_user

SCALE = ["negative", "neutral", "positive"]


def _agreement(app: Flask) -> dict[str, Any]:
    with app.app_context():
        report = project_agreement(db.session, ensure_default_project(db.session))
    json.dumps(report, allow_nan=False)  # never NaN in JSON
    return report


@pytest.fixture
def example(app: Flask, users: dict[str, int]) -> int:
    article = talks(app)
    anna_and_bob(app, article)
    return article


def test_entities_f1_exact_and_overlap(app: Flask, example: int) -> None:
    """4 spans each. Identical: Wang Yi, Seoul (2). By overlap also Beijing ~ in Beijing (3);
    Cho Tae-yul PERSON vs ORG never matches. F1 = 2·2/8 and 2·3/8."""
    entity = _agreement(app)["layers"]["entity"]
    assert entity == {"f1_exact": 0.5, "f1_overlap": 0.75, "items": 8}


def test_claims_span_f1_ignores_type_and_attributes_are_compared_on_matched_claims(
    app: Flask, example: int
) -> None:
    """ "talks would resume" inside "said talks would resume": no exact match, one overlap
    match. Types differ, attribution agrees, both claimants are Seoul (entity ids differ,
    offsets agree), check-worthiness differs."""
    claim = _agreement(app)["layers"]["claim"]
    assert claim == {
        "f1_exact": 0.0,
        "f1_overlap": 1.0,
        "items": 2,
        "matched": 1,
        "type_agreement": 0.0,
        "attribution_agreement": 1.0,
        "claimant_agreement": 1.0,
        "checkworthy_agreement": 0.0,
    }


def test_sentiment_figures(app: Flask, example: int) -> None:
    """(positive, positive), (neutral, positive): raw 1/2. κ: anna half positive, bob all
    positive, chance 1/2, observed 1/2 → 0. α nominal: n_pos = 3, n_neu = 1, observed
    disagreement 2, expected 2·3·1 → 1 − 3·2/6 = 0; α ordinal: δ²(neu, pos) = (4 − 2)² = 4,
    1 − 3·8/24 = 0."""
    sentiment = _agreement(app)["layers"]["sentiment"]
    assert sentiment == {
        "alpha_nominal": 0.0,
        "alpha_ordinal": 0.0,
        "kappa_mean": 0.0,
        "percent": 0.5,
        "items": 2,
    }


def test_target_sentiment_matches_targets_by_the_entity_span(app: Flask, example: int) -> None:
    """Both judged Wang Yi (different entity ids, same span): positive vs negative. One
    unit, n = 2: observed disagreement 2·δ², expected 2·1·1·δ², α = 1 − (2 − 1)·1 = 0."""
    target = _agreement(app)["layers"]["target_sentiment"]
    assert target["items"] == 1
    assert target["percent"] == 0.0
    assert target["kappa_mean"] == 0.0  # anna all positive, bob all negative: chance 0
    assert target["alpha_nominal"] == 0.0
    assert target["alpha_ordinal"] == 0.0


def test_pairs_labels_confusion_and_articles(app: Flask, example: int) -> None:
    report = _agreement(app)
    assert report["annotators"] == ["anna", "bob"]
    [pair] = report["pairs"]
    assert pair["annotators"] == ["anna", "bob"] and pair["articles"] == 1
    assert pair["layers"]["entity"]["f1_exact"] == 0.5
    labels = {(r["layer"], r["label"]): r for r in report["labels"]}
    # PERSON: anna 2, bob 1, one identical → 2/3. GPE: 1 of 2+2 identical, 2 by overlap.
    assert labels["entity", "PERSON"]["agreement"] == pytest.approx(2 / 3)
    assert labels["entity", "GPE"]["f1_exact"] == 0.5
    assert labels["entity", "GPE"]["f1_overlap"] == 1.0
    assert labels["entity", "ORG"]["agreement"] == 0.0
    assert labels["entity", "PERSON"]["items"] == 3
    # Sentiment: positive chosen by both once, by anna once and bob twice → 2/3.
    assert labels["sentiment", "positive"]["agreement"] == pytest.approx(2 / 3)
    assert labels["sentiment", "neutral"]["agreement"] == 0.0
    assert report["labels"][0]["agreement"] == 0.0  # lowest first
    assert {(c["layer"], *c["labels"], c["count"]) for c in report["confusion"]} == {
        ("entity", "ORG", "PERSON", 1),
        ("claim", "factual", "prediction", 1),
        ("sentiment", "neutral", "positive", 1),
        ("target_sentiment", "negative", "positive", 1),
    }
    [article] = report["articles"]
    # 4 entity spans and 2 claims without an identical partner, 2 differing sentiments.
    assert article["disagreements"] == 8
    assert article["review_url"] == f"/review/articles/{example}"
    assert article["layers"]["entity"]["f1_overlap"] == 0.75


def test_only_finished_non_gold_work_of_shared_articles_counts(
    app: Flask, example: int, users: dict[str, int]
) -> None:
    add_user(app, "carl")
    carl = Hand(app, example, "carl")  # started, never done: left out
    carl.entity(0, "Wang Yi", "ORG")
    carl.status(Status.IN_PROGRESS)
    Hand(app, example, "rita").gold_entity(0, "Monday", "DATE")  # gold: left out
    alone = talks(app, "alone.txt")  # only anna finished it: nothing to compare
    Hand(app, alone, "anna").entity(0, "Wang Yi", "GPE")
    Hand(app, alone, "anna").status()
    report = _agreement(app)
    assert report["articles_compared"] == 1
    assert report["annotators"] == ["anna", "bob"]
    assert report["layers"]["entity"] == {"f1_exact": 0.5, "f1_overlap": 0.75, "items": 8}


def test_a_project_without_shared_work_has_null_figures(app: Flask) -> None:
    report = _agreement(app)
    assert report["pairs"] == [] and report["articles"] == []
    assert report["layers"]["entity"] == {"f1_exact": None, "f1_overlap": None, "items": 0}
    assert report["layers"]["sentiment"]["alpha_ordinal"] is None


# --- random three-annotator corpus against the libraries ---------------------------------


def _random_corpus(seed: int) -> Corpus:
    rng = random.Random(seed)
    values = [*SCALE, "mixed"]
    work: dict[int, dict[int, dict[int, Work]]] = {}
    for article in range(6):
        work[article] = {}
        for paragraph in range(article * 10, article * 10 + 8):
            truth = rng.choice(values)
            people = {}
            for person in (1, 2, 3):
                if rng.random() < 0.15:
                    continue  # no sentiment from this one
                value = truth if rng.random() < 0.6 else rng.choice(values)
                people[person] = Work(sentiment=value)
            work[article][paragraph] = people
    names = {1: "ann1", 2: "ann2", 3: "ann3"}
    return Corpus(
        names, {a: f"A{a}" for a in work}, {a: [1, 2, 3] for a in work}, work, list(SCALE)
    )


def _pairs_of(corpus: Corpus, a: int, b: int) -> list[tuple[str, str]]:
    found = []
    for paragraphs in corpus.work.values():
        for people in paragraphs.values():
            if a in people and b in people:
                found.append((people[a].sentiment, people[b].sentiment))
    return found  # type: ignore[return-value]


def _library_alpha(pairs: list[tuple[str, str]], ordinal: bool) -> float:
    codes = {v: float(i) for i, v in enumerate(SCALE)}
    if ordinal:
        codes["mixed"] = np.nan
    else:
        codes["mixed"] = 3.0
    data = np.array([[codes[x] for x, _ in pairs], [codes[y] for _, y in pairs]])
    level = "ordinal" if ordinal else "nominal"
    domain = [0.0, 1.0, 2.0] if ordinal else [0.0, 1.0, 2.0, 3.0]
    return float(krippendorff.alpha(data, level_of_measurement=level, value_domain=domain))


@pytest.mark.parametrize("seed", range(4))
def test_project_sentiment_is_the_mean_over_pairs_of_the_library_figures(seed: int) -> None:
    corpus = _random_corpus(seed)
    report = agreement_report(corpus, "random")
    pairs = [_pairs_of(corpus, a, b) for a, b in combinations((1, 2, 3), 2)]
    kappas = [cohen_kappa_score([x for x, _ in p], [y for _, y in p]) for p in pairs]
    sentiment = report["layers"]["sentiment"]
    assert sentiment["kappa_mean"] == pytest.approx(sum(kappas) / 3)
    nominal = [_library_alpha(p, ordinal=False) for p in pairs]
    assert sentiment["alpha_nominal"] == pytest.approx(sum(nominal) / 3)
    ordinal = [_library_alpha(p, ordinal=True) for p in pairs]
    assert sentiment["alpha_ordinal"] == pytest.approx(sum(ordinal) / 3)
    agree = [sum(x == y for x, y in p) / len(p) for p in pairs]
    assert sentiment["percent"] == pytest.approx(sum(agree) / 3)
    by_pair = {
        tuple(p["annotators"]): p["layers"]["sentiment"]["kappa_mean"] for p in report["pairs"]
    }
    assert by_pair["ann1", "ann2"] == pytest.approx(kappas[0])
