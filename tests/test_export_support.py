"""Shared by the export tests: the seed article annotated by hand, and id normalisation.

Annotations are created with the models directly (not through any API), exactly as
docs/data-model.md stores them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Annotation, ArticleStatus, Paragraph, User
from tests.conftest import import_text

EXPECTED = Path(__file__).resolve().parent / "data" / "export"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs/schema/native-record.schema.json").read_text()
)
REGION = re.compile(r"^([ec])(\d+)$")


@dataclass
class Seeded:
    """Ids of what the fixture created, in creation order."""

    article_id: int
    annotation_ids: list[int]

    def normalise(self, value: Any) -> Any:
        """Replace database ids by their creation order and times by "TIME"."""
        order = {aid: n for n, aid in enumerate(self.annotation_ids, start=1)}
        return _normalise(value, order, self.article_id)


def _normalise(value: Any, order: dict[int, int], article_id: int, key: str = "") -> Any:
    if key == "tokens":
        return value  # a token's id is its index in the paragraph, not an annotation's id
    if isinstance(value, list):
        return [_normalise(v, order, article_id, key) for v in value]
    if not isinstance(value, dict):
        return value
    is_span = any(k in value for k in ("start", "start_offset", "from_id"))
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k in ("updated_at", "created_at") and v is not None:
            out[k] = "TIME"
        elif k == "article_id" or (key == "article" and k == "id"):
            out[k] = 1 if v == article_id else v
        elif k in ("entity_id", "from_id", "to_id") or (k == "id" and (is_span or _region(v))):
            out[k] = _annotation_id(v, order)
        else:
            out[k] = _normalise(v, order, article_id, k)
    return out


def _region(value: Any) -> bool:
    """Label Studio region ids: "e<entity id>", "c<claim id>"."""
    return isinstance(value, str) and REGION.match(value) is not None


def _annotation_id(value: Any, order: dict[int, int]) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return order.get(value, value)
    match = REGION.match(value) if isinstance(value, str) else None
    return f"{match.group(1)}{order[int(match.group(2))]}" if match else value


def _user_id(name: str) -> int:
    user = db.session.scalar(select(User).where(User.username_key == name))
    assert user is not None
    return user.id


def _paragraph(article_id: int, index: int) -> Paragraph:
    paragraph = db.session.scalar(
        select(Paragraph).where(Paragraph.article_id == article_id, Paragraph.position == index)
    )
    assert paragraph is not None
    return paragraph


def add(
    article_id: int,
    index: int,
    user: str,
    layer: str,
    label: str,
    span: tuple[int, int] | None = None,
    source: str = "manual",
    **attributes: Any,
) -> int:
    """Store one annotation as the writer does: a sentiment's target mirrored in target_id."""
    paragraph = _paragraph(article_id, index)
    annotation = Annotation(
        paragraph_id=paragraph.id,
        annotator_id=_user_id(user),
        layer=layer,
        start=span[0] if span else None,
        end=span[1] if span else None,
        label=label,
        attributes=attributes,
        target_id=attributes.get("target_id"),
        source=source,
    )
    db.session.add(annotation)
    db.session.flush()
    return annotation.id


def set_status(article_id: int, user: str, status: str) -> None:
    db.session.add(ArticleStatus(article_id=article_id, user_id=_user_id(user), status=status))


def annotate_seed(app: Flask, article_id: int) -> Seeded:
    """anna (done) annotates paragraphs 0 and 7 fully; bob (in progress) a little of 0."""
    ids: list[int] = []
    with app.app_context():
        set_status(article_id, "anna", "done")
        set_status(article_id, "bob", "in_progress")
        for span, label in [
            ((1, 10), "ORG"),
            ((38, 49), "GPE"),
            ((54, 59), "GPE"),
            ((99, 106), "GPE"),
            ((115, 124), "DATE"),
            ((151, 153), "GPE"),
            ((183, 194), "GPE"),
        ]:
            ids.append(add(article_id, 0, "anna", "entity", label, span))
        ids.append(add(article_id, 0, "anna", "sentiment", "neutral"))
        ids.append(add(article_id, 0, "anna", "sentiment", "negative", target_id=ids[6]))
        for span, label in [
            ((0, 11), "GPE"),
            ((31, 42), "PERSON"),
            ((47, 52), "GPE"),
            ((55, 62), "PERSON"),
            ((85, 91), "DATE"),
            ((134, 139), "GPE"),
            ((161, 166), "GPE"),
            ((168, 198), "ORG"),
            ((252, 261), "DATE"),
        ]:
            ids.append(add(article_id, 7, "anna", "entity", label, span))
        ministry = ids[-2]
        ids.append(
            add(
                article_id,
                7,
                "anna",
                "claim",
                "factual",
                (0, 166),
                attribution="reported",
                claimant={"entity_id": ministry, "text": "South Korea’s Foreign Ministry"},
                checkworthy="yes",
            )
        )
        ids.append(
            add(
                article_id,
                7,
                "anna",
                "claim",
                "prediction",
                (205, 261),
                attribution="reported",
                claimant={"entity_id": None, "text": "Seoul"},
                checkworthy="no",
            )
        )
        ids.append(add(article_id, 7, "anna", "sentiment", "positive"))
        ids.append(add(article_id, 0, "bob", "entity", "GPE", (38, 49)))
        ids.append(add(article_id, 0, "bob", "entity", "LOC", (54, 59)))
        ids.append(add(article_id, 0, "bob", "sentiment", "negative"))
        db.session.commit()
    return Seeded(article_id, ids)


def jsonl_lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def expected_jsonl(name: str) -> list[dict[str, Any]]:
    return jsonl_lines((EXPECTED / name).read_bytes())


WORLD_TEXT = (
    "Markets\n"
    "北京 (Beijing) said on Monday that 52,000 jobs 👋🏽 were added, a rise of 3.4 percent."
    " Seoul’s ministry disagreed 🇰🇷.\n"
    "東京 and 서울 met again.\n"
)


def at(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def annotate_world(app: Flask, article_id: int) -> list[int]:
    """CJK and emoji text; every layer, claimants and target sentiment, manual and model work.

    anna (done): paragraph 0 fully, paragraph 1 by a model; bob (in progress): one model entity.
    """
    first, second = WORLD_TEXT.splitlines()[1:3]
    with app.app_context():
        set_status(article_id, "anna", "done")
        set_status(article_id, "bob", "in_progress")
        beijing = add(article_id, 0, "anna", "entity", "GPE", at(first, "北京"), "model:zh-ner")
        add(article_id, 0, "anna", "entity", "DATE", at(first, "Monday"))
        ministry = add(article_id, 0, "anna", "entity", "ORG", at(first, "Seoul’s ministry"))
        add(
            article_id,
            0,
            "anna",
            "claim",
            "factual",
            (0, first.index(" Seoul’s") - 1),
            attribution="reported",
            claimant={"entity_id": beijing, "text": "北京"},
            checkworthy="yes",
        )
        add(
            article_id,
            0,
            "anna",
            "claim",
            "opinion",
            at(first, "Seoul’s ministry disagreed"),
            attribution="unattributed",
            claimant=None,
            checkworthy=None,
        )
        add(article_id, 0, "anna", "sentiment", "negative", None, "model:senti")
        add(article_id, 0, "anna", "sentiment", "positive", target_id=ministry)
        add(article_id, 1, "anna", "entity", "GPE", at(second, "서울"), "model:zh-ner")
        add(article_id, 1, "anna", "entity", "GPE", at(second, "東京"), "model:zh-ner")
        add(article_id, 0, "bob", "entity", "GPE", at(first, "北京"), "model:zh-ner")
        db.session.commit()
    return [beijing, ministry]


def add_world(app: Flask) -> int:
    """The CJK and emoji article, imported and annotated; its id."""
    article_id = import_text(app, "world.txt", WORLD_TEXT)
    annotate_world(app, article_id)
    return article_id
