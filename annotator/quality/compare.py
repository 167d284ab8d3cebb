"""Compare two annotators' work paragraph by paragraph into tallies that add up.

A Tally holds counts, not figures, so that one pair's tallies over many articles can be
pooled by adding them, and figures are computed once from the pooled counts (report.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.quality.agreement import Span, exact_matches, overlap_matches
from annotator.quality.load import Claim, Work

#: The attributes compared among matched claims, as the JSON names their agreement.
CLAIM_FIGURES = ("type", "attribution", "claimant", "checkworthy")
#: (layer, label, label) with the two labels sorted: how often annotators swapped them.
Swap = tuple[str, str, str]
Judgements = list[tuple[str, str]]


@dataclass(slots=True)
class SpanTally:
    """Spans matched exactly and by overlap, and how many each annotator marked."""

    exact: int = 0
    overlap: int = 0
    a: int = 0
    b: int = 0

    def add(self, other: SpanTally) -> None:
        self.exact += other.exact
        self.overlap += other.overlap
        self.a += other.a
        self.b += other.b

    def agree(self) -> None:
        """One span both marked identically."""
        self.exact += 1
        self.overlap += 1
        self.a += 1
        self.b += 1

    @property
    def unmatched(self) -> int:
        """Spans without an identical partner: what an adjudicator has to decide on."""
        return self.a + self.b - 2 * self.exact


@dataclass
class Tally:
    """Everything two annotators' work yields for agreement, as counts and value pairs."""

    entity: SpanTally = field(default_factory=SpanTally)
    claim: SpanTally = field(default_factory=SpanTally)
    #: Per (layer, label): entity labels, and claim spans matched within one claim type.
    labels: defaultdict[tuple[str, str], SpanTally] = field(
        default_factory=lambda: defaultdict(SpanTally)
    )
    #: Among claims matched by overlap: how many, and how many agree on each attribute.
    claims_matched: int = 0
    claim_agreement: Counter[str] = field(default_factory=Counter)
    sentiment: Judgements = field(default_factory=list)
    target_sentiment: Judgements = field(default_factory=list)
    confusion: Counter[Swap] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.entity.add(other.entity)
        self.claim.add(other.claim)
        for key, counts in other.labels.items():
            self.labels[key].add(counts)
        self.claims_matched += other.claims_matched
        self.claim_agreement.update(other.claim_agreement)
        self.sentiment.extend(other.sentiment)
        self.target_sentiment.extend(other.target_sentiment)
        self.confusion.update(other.confusion)

    @property
    def disagreements(self) -> int:
        """Spans without an identical partner, plus sentiments that differ."""
        differing = sum(1 for x, y in self.sentiment + self.target_sentiment if x != y)
        return self.entity.unmatched + self.claim.unmatched + differing


def compare_paragraph(a: Work, b: Work, tally: Tally) -> None:
    """Add what annotators a and b agree and disagree on in one paragraph to tally."""
    if a.entities or b.entities:
        _compare_entities(a.entities, b.entities, tally)
    if a.claims or b.claims:
        _compare_claims(a.claims, b.claims, tally)
    if a.sentiment is not None and b.sentiment is not None:
        _judged(tally, "sentiment", a.sentiment, b.sentiment)
    for target in a.targets.keys() & b.targets.keys():
        _judged(tally, "target_sentiment", a.targets[target], b.targets[target])


def _judged(tally: Tally, layer: str, x: str, y: str) -> None:
    getattr(tally, layer).append((x, y))
    if x != y:
        tally.confusion[_swap(layer, x, y)] += 1


def _swap(layer: str, x: str, y: str) -> Swap:
    low, high = sorted((x, y))
    return (layer, low, high)


def _by_label(spans: Sequence[Span]) -> dict[str, list[Span]]:
    grouped: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        grouped[span[2]].append(span)
    return grouped


def _compare_spans(layer: str, a: Sequence[Span], b: Sequence[Span], tally: Tally) -> SpanTally:
    """Match spans (a match never crosses labels), filling the per-label counts.

    Spans arrive sorted (load.py), so identical work, the common case, is one comparison."""
    labels = tally.labels
    if a == b:
        for span in a:
            labels[layer, span[2]].agree()
        return SpanTally(len(a), len(a), len(a), len(a))
    matches = overlap_matches(a, b)
    identical = (
        Counter(a) & Counter(b) if len(set(a)) < len(a) else dict.fromkeys(set(a) & set(b), 1)
    )
    for span in a:
        labels[layer, span[2]].a += 1
    for span in b:
        labels[layer, span[2]].b += 1
    for span, times in identical.items():
        labels[layer, span[2]].exact += times
    for i, _ in matches:
        labels[layer, a[i][2]].overlap += 1
    return SpanTally(sum(identical.values()), len(matches), len(a), len(b))


def _compare_entities(a: list[Span], b: list[Span], tally: Tally) -> None:
    tally.entity.add(_compare_spans("entity", a, b, tally))
    if a == b:
        return
    theirs = {(start, end): label for start, end, label in b}
    for start, end, label in a:
        other = theirs.get((start, end))
        if other is not None and other != label:
            tally.confusion[_swap("entity", label, other)] += 1


def _compare_claims(a: list[Claim], b: list[Claim], tally: Tally) -> None:
    """Span F1 with the claim type left out; then type and attributes of matched claims."""
    if a == b:  # identical work (sorted by load.py), the common case: everything agrees
        _agreeing_claims(a, tally)
        return
    spans_a, spans_b = [c.span for c in a], [c.span for c in b]
    matches = overlap_matches(spans_a, spans_b)
    tally.claim.add(SpanTally(exact_matches(spans_a, spans_b), len(matches), len(a), len(b)))
    # Per claim type: claims match only within one type (the layer total ignores types).
    _compare_spans("claim", [_typed(c) for c in a], [_typed(c) for c in b], tally)
    for i, j in matches:
        _compare_claim_attributes(a[i], b[j], tally)


def _agreeing_claims(claims: list[Claim], tally: Tally) -> None:
    """What _compare_claims adds when both annotators made the very same claims."""
    count = len(claims)
    tally.claim.add(SpanTally(count, count, count, count))
    for claim in claims:
        tally.labels["claim", claim.type].agree()
    tally.claims_matched += count
    for name in CLAIM_FIGURES:
        tally.claim_agreement[name] += count


def _typed(claim: Claim) -> Span:
    return (claim.start, claim.end, claim.type)


def _compare_claim_attributes(x: Claim, y: Claim, tally: Tally) -> None:
    tally.claims_matched += 1
    agree = {
        "type": x.type == y.type,
        "attribution": x.attribution == y.attribution,
        "claimant": same_claimant(x, y),
        "checkworthy": x.checkworthy == y.checkworthy,
    }
    tally.claim_agreement.update(name for name, same in agree.items() if same)
    if x.type != y.type:
        tally.confusion[_swap("claim", x.type, y.type)] += 1


def same_claimant(x: Claim, y: Claim) -> bool:
    """Neither names a claimant, or both name the same entity span, or the same text."""
    if x.claimant_text is None or y.claimant_text is None:
        return x.claimant_text is None and y.claimant_text is None
    same_entity = x.claimant_entity is not None and x.claimant_entity == y.claimant_entity
    return same_entity or x.claimant_text == y.claimant_text


def compare_article(paragraphs: dict[int, dict[int, Work]], first: int, second: int) -> Tally:
    """The tally of two annotators who both finished the article, over all its paragraphs."""
    tally = Tally()
    empty = Work()
    for people in paragraphs.values():
        a, b = people.get(first), people.get(second)
        if a is not None or b is not None:
            compare_paragraph(a or empty, b or empty, tally)
    return tally


#: (layer, None) counts a layer's items; (layer, label) the annotations with that label.
ItemKey = tuple[str, str | None]


def compared_items(paragraphs: dict[int, dict[int, Work]], people: list[int]) -> Counter[ItemKey]:
    """What one article contributes: every span of its finishers; a sentiment unit once two
    or more of them judged it, and per value each of those judgements."""
    items: Counter[ItemKey] = Counter()
    keys: list[ItemKey] = []
    for work in paragraphs.values():
        mine = [work[p] for p in people if p in work]
        for w in mine:
            keys += [("entity", label) for _, _, label in w.entities]
            keys += [("claim", c.type) for c in w.claims]
        _count_judged(items, "sentiment", [w.sentiment for w in mine if w.sentiment])
        if any(w.targets for w in mine):
            for key in {key for w in mine for key in w.targets}:
                values = [w.targets[key] for w in mine if key in w.targets]
                _count_judged(items, "target_sentiment", values)
    items.update(keys)
    items["entity", None] = sum(n for (layer, _), n in items.items() if layer == "entity")
    items["claim", None] = sum(n for (layer, _), n in items.items() if layer == "claim")
    return items


def _count_judged(items: Counter[ItemKey], layer: str, values: list[str]) -> None:
    if len(values) >= 2:
        items[layer, None] += 1
        for value in values:  # not Counter.update: called once per paragraph, it adds up
            items[layer, value] += 1
