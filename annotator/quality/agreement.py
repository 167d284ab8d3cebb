"""Agreement maths on plain tuples: span matching and F1, Cohen's κ, Krippendorff's α.

Pure functions with no database and no Flask, so the figures can be checked by hand and
against the reference libraries (tests/test_agreement_maths.py). Every function answers
None where a figure is undefined (nothing to compare, or no variation to measure against):
a figure that cannot be computed is shown as such, never as NaN.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence

#: A span: start, end (code points, end exclusive) and the label it is matched on.
Span = tuple[int, int, str]
Distance = Callable[[Hashable, Hashable], float]


# --- spans ------------------------------------------------------------------------------


def exact_matches(a: Sequence[Span], b: Sequence[Span]) -> int:
    """How many spans of a have an identical span (offsets and label) in b, one to one."""
    mine, theirs = set(a), set(b)
    if len(mine) == len(a) and len(theirs) == len(b):  # no duplicates: the usual case
        return len(mine & theirs)
    return sum((Counter(a) & Counter(b)).values())


def overlap_matches(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int]]:
    """A largest one-to-one matching of same-label spans that share at least one character.

    Index pairs (into a, into b). Augmenting paths (Kuhn) make the matching maximum, so
    the figure does not depend on the order spans were stored in; candidates are tried
    identical span first, then by larger overlap, so identical spans pair with each other.
    """
    candidates = [_overlapping(span, b) for span in a]
    partner_of: dict[int, int] = {}
    for i in range(len(a)):
        _augment(i, candidates, partner_of, set())
    return sorted((i, j) for j, i in partner_of.items())


def _overlapping(span: Span, others: Sequence[Span]) -> list[int]:
    start, end, label = span
    found = [j for j, (s, e, lab) in enumerate(others) if lab == label and s < end and start < e]
    if len(found) < 2:  # nearly always: nothing to order
        return found
    return sorted(found, key=lambda j: (others[j] != span, -_shared(span, others[j]), j))


def _shared(x: Span, y: Span) -> int:
    return min(x[1], y[1]) - max(x[0], y[0])


def _augment(
    i: int, candidates: list[list[int]], partner_of: dict[int, int], seen: set[int]
) -> bool:
    for j in candidates[i]:
        if j in seen:
            continue
        seen.add(j)
        if j not in partner_of or _augment(partner_of[j], candidates, partner_of, seen):
            partner_of[j] = i
            return True
    return False


def f1(matched: int, in_a: int, in_b: int) -> float | None:
    """Pairwise F1 (Dice): 2 × matched ÷ (spans of a + spans of b); symmetric in a and b."""
    total = in_a + in_b
    return 2 * matched / total if total else None


# --- categorical judgements on the same items -------------------------------------------


def percent(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """The fraction (0..1) of items on which both annotators chose the same value."""
    if not pairs:
        return None
    return sum(1 for x, y in pairs if x == y) / len(pairs)


def specific_agreement(pairs: Sequence[tuple[Hashable, Hashable]], value: Hashable) -> float | None:
    """Agreement on one category: 2 × both chose it ÷ (times a chose it + times b chose it)."""
    return specific_agreements(pairs).get(value)


def specific_agreements(pairs: Sequence[tuple[Hashable, Hashable]]) -> dict[Hashable, float]:
    """specific_agreement for every value chosen at least once, in one pass over the pairs."""
    both: Counter[Hashable] = Counter(x for x, y in pairs if x == y)
    chosen: Counter[Hashable] = Counter(x for x, _ in pairs)
    chosen.update(y for _, y in pairs)
    return {value: 2 * both[value] / times for value, times in chosen.items()}


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's κ of two annotators: (observed − chance agreement) ÷ (1 − chance agreement).

    Chance is computed from each annotator's own distribution of values. Undefined (None)
    when chance agreement is 1: both annotators used one and the same value throughout.
    """
    n = len(pairs)
    if not n:
        return None
    first = Counter(x for x, _ in pairs)
    second = Counter(y for _, y in pairs)
    expected = sum(first[v] * second[v] for v in first) / (n * n)
    if expected == 1:
        return None
    observed = sum(1 for x, y in pairs if x == y) / n
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(
    units: Iterable[Sequence[Hashable]], order: Sequence[Hashable] | None = None
) -> float | None:
    """Krippendorff's α over units, each the values its annotators gave (missing left out).

    Nominal when order is None; ordinal over the ranks of order otherwise (values outside
    order are treated as missing). Units with fewer than two values are not pairable and do
    not count. Undefined (None) when fewer than two values are pairable or all are alike.
    """
    distinct = Counter(tuple(sorted(unit, key=repr)) for unit in units)
    if order is not None:
        kept: Counter[tuple[Hashable, ...]] = Counter()
        for unit, times in distinct.items():
            kept[tuple(v for v in unit if v in order)] += times
        distinct = kept
    coincidences = _coincidences({u: n for u, n in distinct.items() if len(u) >= 2})
    totals: Counter[Hashable] = Counter()
    for (c, _), weight in coincidences.items():
        totals[c] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    distance = _nominal if order is None else _ordinal(order, totals)
    observed = sum(w * distance(c, k) for (c, k), w in coincidences.items())
    expected = sum(totals[c] * totals[k] * distance(c, k) for c in totals for k in totals)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def _coincidences(
    units: dict[tuple[Hashable, ...], int],
) -> Counter[tuple[Hashable, Hashable]]:
    """o_ck: every ordered pair of values from different annotators of a unit, 1/(m_u − 1).

    Alike units (same values) come counted once with their number: with a handful of
    categories a pair's thousands of items make a few dozen distinct units."""
    table: Counter[tuple[Hashable, Hashable]] = Counter()
    for unit, times in units.items():
        weight = times / (len(unit) - 1)
        for i, c in enumerate(unit):
            for j, k in enumerate(unit):
                if i != j:
                    table[(c, k)] += weight  # type: ignore[assignment]
    return table


def _nominal(c: Hashable, k: Hashable) -> float:
    return 0.0 if c == k else 1.0


def _ordinal(order: Sequence[Hashable], totals: Counter[Hashable]) -> Distance:
    """δ²(c, k) = (Σ n_g for g from c to k − (n_c + n_k) / 2)², ranks from order."""
    rank = {value: i for i, value in enumerate(order)}
    sizes = [totals[value] for value in order]

    def distance(c: Hashable, k: Hashable) -> float:
        low, high = sorted((rank[c], rank[k]))
        return float((sum(sizes[low : high + 1]) - (sizes[low] + sizes[high]) / 2) ** 2)

    return distance


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the defined values; None when none is defined."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
