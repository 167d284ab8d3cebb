"""Annotators' work for the agreement tests, stored through the one writer."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from annotator.annotations import writer
from annotator.annotations.rules import Proposal
from annotator.annotations.writer.batch import NewAnnotation
from annotator.extensions import db
from annotator.models import Article, Paragraph, Status, User
from tests.conftest import import_text

#: Two content paragraphs; every test below works on them.
TALKS = "Talks\nWang Yi met Cho Tae-yul in Beijing on Monday.\nSeoul said talks would resume."


class Work:
    """One annotator's hand in one article: entities, claims, sentiments, then done."""

    def __init__(self, app: Flask, article_id: int, username: str) -> None:
        self.app = app
        self.article_id = article_id
        self.username = username

    def _paragraph(self, position: int) -> Paragraph:
        found = db.session.scalar(
            select(Paragraph).where(
                Paragraph.article_id == self.article_id, Paragraph.position == position
            )
        )
        assert found is not None
        return found

    def _user(self) -> User:
        found = db.session.scalar(select(User).where(User.username_key == self.username))
        assert found is not None
        return found

    def _create(self, position: int, proposal: Proposal) -> int:
        with self.app.app_context():
            created = writer.create(db.session, self._user(), self._paragraph(position), proposal)
            db.session.commit()
            return created.annotation.id

    def entity(self, position: int, words: str, label: str) -> int:
        start, end = self._span(position, words)
        return self._create(position, Proposal("entity", start, end, label, {}, words))

    def claim(self, position: int, words: str, label: str, **attributes: Any) -> int:
        start, end = self._span(position, words)
        return self._create(position, Proposal("claim", start, end, label, attributes, words))

    def target(self, position: int, entity_id: int, label: str) -> int:
        proposal = Proposal("sentiment", label=label, attributes={"target_id": entity_id})
        return self._create(position, proposal)

    def sentiment(self, position: int, label: str) -> None:
        with self.app.app_context():
            writer.set_paragraph_sentiment(
                db.session, self._user(), self._paragraph(position), label
            )
            db.session.commit()

    def status(self, status: Status = Status.DONE) -> None:
        with self.app.app_context():
            article = db.session.get(Article, self.article_id)
            assert article is not None
            writer.set_status(db.session, self._user(), article, status.value)
            db.session.commit()

    def gold_entity(self, position: int, words: str, label: str) -> None:
        """A reviewer's gold span: agreement must leave it out."""
        start, end = self._span(position, words)
        with self.app.app_context():
            item = NewAnnotation(
                self._paragraph(position),
                self._user(),
                Proposal("entity", start, end, label, {}, words),
                gold=True,
            )
            writer.create_many(db.session, self._user(), [item])
            db.session.commit()

    def _span(self, position: int, words: str) -> tuple[int, int]:
        with self.app.app_context():
            text = self._paragraph(position).text
        start = text.index(words)
        return start, start + len(words)


def talks(app: Flask, name: str = "talks.txt") -> int:
    return import_text(app, name, TALKS.replace("Talks", f"Talks {name}"))


def anna_and_bob(app: Flask, article_id: int) -> None:
    """The worked example of docs/quality.md: anna and bob finished the article.

    Entities: Wang Yi (same), Cho Tae-yul (PERSON vs ORG), Beijing vs "in Beijing" (GPE),
    Seoul (same). Claims overlap; types differ; both name Seoul, attribution agrees,
    check-worthiness does not. Sentiments: positive/positive, neutral/positive; towards
    Wang Yi positive/negative.
    """
    anna, bob = Work(app, article_id, "anna"), Work(app, article_id, "bob")
    wang = anna.entity(0, "Wang Yi", "PERSON")
    anna.entity(0, "Cho Tae-yul", "PERSON")
    anna.entity(0, "Beijing", "GPE")
    seoul = anna.entity(1, "Seoul", "GPE")
    claimant = {"entity_id": seoul, "text": ""}
    anna.claim(
        1, "talks would resume", "prediction", attribution="reported", checkworthy="yes",
        claimant=claimant,
    )  # fmt: skip
    anna.sentiment(0, "positive")
    anna.sentiment(1, "neutral")
    anna.target(0, wang, "positive")
    anna.status()

    wang = bob.entity(0, "Wang Yi", "PERSON")
    bob.entity(0, "Cho Tae-yul", "ORG")
    bob.entity(0, "in Beijing", "GPE")
    seoul = bob.entity(1, "Seoul", "GPE")
    claimant = {"entity_id": seoul, "text": ""}
    bob.claim(
        1, "said talks would resume", "factual", attribution="reported", checkworthy="no",
        claimant=claimant,
    )  # fmt: skip
    bob.sentiment(0, "positive")
    bob.sentiment(1, "positive")
    bob.target(0, wang, "negative")
    bob.status()
