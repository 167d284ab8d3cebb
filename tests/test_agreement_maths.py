"""The agreement maths: small cases worked out by hand, random data against the reference
libraries (krippendorff, scikit-learn), and None wherever a figure is undefined."""

from __future__ import annotations

import math
import random
import warnings

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.quality.agreement import (
    cohen_kappa,
    exact_matches,
    f1,
    krippendorff_alpha,
    mean,
    overlap_matches,
    percent,
    specific_agreement,
)

SCALE = ["negative", "neutral", "positive"]


# --- spans -------------------------------------------------------------------------------


def test_exact_f1_needs_offsets_and_label_overlap_f1_needs_label_and_a_shared_character() -> None:
    a = [(0, 5, "PERSON"), (10, 15, "ORG"), (20, 25, "GPE")]
    b = [(0, 5, "PERSON"), (11, 15, "ORG"), (20, 25, "ORG")]
    assert exact_matches(a, b) == 1  # only PERSON is identical
    assert f1(exact_matches(a, b), len(a), len(b)) == pytest.approx(2 * 1 / 6)
    # PERSON, and ORG 10-15 with ORG 11-15; GPE and ORG on the same span do not match.
    assert overlap_matches(a, b) == [(0, 0), (1, 1)]
    assert f1(2, 3, 3) == pytest.approx(2 / 3)


def test_touching_spans_do_not_overlap() -> None:
    assert overlap_matches([(0, 5, "X")], [(5, 9, "X")]) == []


def test_overlap_matching_is_one_to_one() -> None:
    """One long span against two parts: one match (the larger overlap), F1 = 2 × 1 / (1 + 2)."""
    matches = overlap_matches([(0, 10, "X")], [(0, 4, "X"), (5, 10, "X")])
    assert matches == [(0, 1)]
    assert f1(len(matches), 1, 2) == pytest.approx(2 / 3)


def test_overlap_matching_is_maximum_not_greedy() -> None:
    """a0 overlaps b0 most, but a1 can only pair with b0: the largest matching pairs a0 with
    b1 and a1 with b0 (a greedy choice would find one match)."""
    a = [(0, 10, "C"), (3, 5, "C")]
    b = [(2, 9, "C"), (9, 12, "C")]
    assert overlap_matches(a, b) == [(0, 1), (1, 0)]


def test_identical_spans_pair_with_each_other_first() -> None:
    a = [(0, 10, "C"), (0, 4, "C")]
    b = [(0, 4, "C"), (0, 10, "C")]
    assert overlap_matches(a, b) == [(0, 1), (1, 0)]


def test_duplicate_spans_match_once_each() -> None:
    assert exact_matches([(0, 3, "X"), (0, 3, "X")], [(0, 3, "X")]) == 1


def test_f1_of_nothing_is_undefined_and_of_one_sided_work_zero() -> None:
    assert f1(0, 0, 0) is None
    assert f1(0, 3, 0) == 0


# --- judgements --------------------------------------------------------------------------


def test_cohen_kappa_by_hand() -> None:
    """Observed 3/4; a says pos half the time, b a quarter: chance 1/2·1/4 + 1/2·3/4 = 1/2;
    κ = (3/4 − 1/2) / (1 − 1/2) = 1/2."""
    pairs = [("pos", "pos"), ("pos", "neg"), ("neg", "neg"), ("neg", "neg")]
    assert cohen_kappa(pairs) == pytest.approx(0.5)
    assert percent(pairs) == pytest.approx(0.75)


def test_specific_agreement_by_hand() -> None:
    """neg: both chose it twice, a twice and b three times: 2·2 / (2 + 3) = 0.8."""
    pairs = [("pos", "pos"), ("pos", "neg"), ("neg", "neg"), ("neg", "neg")]
    assert specific_agreement(pairs, "neg") == pytest.approx(0.8)
    assert specific_agreement(pairs, "pos") == pytest.approx(2 / 3)
    assert specific_agreement(pairs, "mixed") is None


def test_nominal_alpha_by_hand() -> None:
    """Coincidences o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n_a = 3, n_b = 5, n = 8;
    α = 1 − (n − 1)·(o_ab + o_ba) / (2·n_a·n_b) = 1 − 7·2/30 = 8/15."""
    units = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]
    assert krippendorff_alpha(units) == pytest.approx(8 / 15)


def test_ordinal_alpha_by_hand_with_mixed_missing() -> None:
    """n_neg = 1, n_neu = 3, n_pos = 2 (n = 6). δ²(neg, neu) = (1 + 3 − 2)² = 4,
    δ²(neu, pos) = (3 + 2 − 2.5)² = 6.25, δ²(neg, pos) = (1 + 3 + 2 − 1.5)² = 20.25.
    Observed: o(neg, neu) = o(neu, neg) = 1, so 8. Expected: 2·(1·3·4 + 3·2·6.25 + 1·2·20.25)
    = 180. α = 1 − 5·8/180 = 7/9. The unit with "mixed" has one value left: not pairable."""
    units = [["negative", "neutral"], ["positive", "positive"], ["neutral", "neutral"]]
    assert krippendorff_alpha(units, order=SCALE) == pytest.approx(7 / 9)
    with_mixed = [*units, ["mixed", "positive"]]
    assert krippendorff_alpha(with_mixed, order=SCALE) == pytest.approx(7 / 9)
    assert krippendorff_alpha(with_mixed) != pytest.approx(7 / 9)  # nominal keeps mixed


def test_figures_without_items_or_without_variation_are_undefined() -> None:
    assert percent([]) is None
    assert cohen_kappa([]) is None
    assert cohen_kappa([("pos", "pos"), ("pos", "pos")]) is None  # chance agreement is 1
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([["pos"], ["neg"]]) is None  # nothing pairable
    assert krippendorff_alpha([["pos", "pos"], ["pos", "pos"]]) is None
    assert mean([None, None]) is None
    assert mean([None, 0.5, 1.0]) == pytest.approx(0.75)


def test_perfect_agreement_is_one_and_systematic_disagreement_below_zero() -> None:
    agree = [("neg", "neg"), ("pos", "pos"), ("neu", "neu")]
    assert cohen_kappa(agree) == pytest.approx(1)
    assert krippendorff_alpha([list(p) for p in agree]) == pytest.approx(1)
    swapped = [("neg", "pos"), ("pos", "neg")]
    assert cohen_kappa(swapped) == pytest.approx(-1)
    assert krippendorff_alpha([list(p) for p in swapped]) < 0


# --- random data against the reference libraries ---------------------------------------


def _reliability(rng: random.Random, coders: int, units: int, values: int) -> list[list[float]]:
    """A coders × units matrix of value codes, about a fifth missing (nan)."""
    return [
        [math.nan if rng.random() < 0.2 else float(rng.randrange(values)) for _ in range(units)]
        for _ in range(coders)
    ]


def _units(matrix: list[list[float]], missing: set[float] | None = None) -> list[list[float]]:
    skip = missing or set()
    return [
        [v for v in column if not math.isnan(v) and v not in skip]
        for column in zip(*matrix, strict=True)
    ]


@pytest.mark.parametrize("seed", range(8))
def test_nominal_alpha_matches_the_krippendorff_package(seed: int) -> None:
    rng = random.Random(seed)
    matrix = _reliability(rng, coders=rng.randint(2, 5), units=rng.randint(10, 60), values=4)
    expected = krippendorff.alpha(
        reliability_data=np.array(matrix), level_of_measurement="nominal", value_domain=[0, 1, 2, 3]
    )
    assert krippendorff_alpha(_units(matrix)) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(8))
def test_ordinal_alpha_with_mixed_missing_matches_the_krippendorff_package(seed: int) -> None:
    """Code 3 plays "mixed": missing for ordinal α, as the library sees it when it is nan."""
    rng = random.Random(100 + seed)
    matrix = _reliability(rng, coders=rng.randint(2, 5), units=rng.randint(10, 60), values=4)
    as_missing = [[math.nan if v == 3 else v for v in row] for row in matrix]
    expected = krippendorff.alpha(
        reliability_data=np.array(as_missing),
        level_of_measurement="ordinal",
        value_domain=[0, 1, 2],
    )
    assert krippendorff_alpha(_units(matrix), order=[0.0, 1.0, 2.0]) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(8))
def test_cohen_kappa_matches_scikit_learn(seed: int) -> None:
    rng = random.Random(200 + seed)
    values = ["negative", "neutral", "positive", "mixed"]
    n = rng.randint(5, 80)
    skew = rng.random()
    first = [rng.choice(values) for _ in range(n)]
    second = [x if rng.random() < skew else rng.choice(values) for x in first]
    expected = cohen_kappa_score(first, second)
    assert cohen_kappa(list(zip(first, second, strict=True))) == pytest.approx(expected)


def test_where_the_libraries_give_nan_we_give_none() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(cohen_kappa_score(["a", "a"], ["a", "a"]))
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None
