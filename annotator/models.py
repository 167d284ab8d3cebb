"""Typed SQLAlchemy models. Invariants live in the schema where the database can hold them.

Services and views own the rules the schema cannot express (no overlapping entity spans,
offsets within the paragraph text, labels within the project's schema).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    delete,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    object_session,
    registry,
    relationship,
    scoped_session,
)

from annotator.usernames import username_key

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: What services accept: a plain Session, or Flask-SQLAlchemy's scoped db.session.
DbSession: TypeAlias = Session | scoped_session[Any]


def utcnow() -> datetime:
    """Timezone-aware now; every stored time is UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={
            datetime: DateTime(timezone=True),
            dict[str, Any]: JSON,
            str: String(255),
        },
    )


class Role(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    ANNOTATOR = "annotator"


class Layer(enum.StrEnum):
    ENTITY = "entity"
    CLAIM = "claim"
    SENTIMENT = "sentiment"


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ReviewStatus(enum.StrEnum):
    NOT_REVIEWED = "not_reviewed"
    IN_REVIEW = "in_review"
    ADJUDICATED = "adjudicated"


def _one_of(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


def _equal_to_one_of(column: str, values: Iterable[str]) -> str:
    """_one_of as comparisons joined by OR, for a table written a row per annotation: SQLite
    checks `IN (a, b, c)` in a CHECK by building a temporary index of the list for every row
    it inserts (no once-per-statement in a constraint), a tenth of an annotation import."""
    return " OR ".join(f"{column} = {str(value)!r}" for value in values)


#: The partial indexes and the rows each covers, for with_postgresql_predicates.
_PARTIAL_INDEXES: list[tuple[Index, str]] = []


def _partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index over the rows `where` selects. Only SQLite's form of the condition is given
    here: naming postgresql_where would import SQLAlchemy's PostgreSQL dialect with its
    drivers' modules (0.03 s) into every process that loads the models, PostgreSQL or not.
    Engines for PostgreSQL add theirs (annotator.engines.prepare). The migrations create
    both databases' indexes with their own conditions."""
    index = Index(name, *columns, unique=unique, sqlite_where=text(where))
    _PARTIAL_INDEXES.append((index, where))
    return index


def with_postgresql_predicates() -> None:
    """Give the partial indexes their condition on PostgreSQL too (idempotent)."""
    for index, where in _PARTIAL_INDEXES:
        index.dialect_kwargs["postgresql_where"] = text(where)


class LoginUser:
    """What Flask-Login asks of a user object (flask_login.UserMixin's members, with the same
    equality by get_id), here so that the models load without Flask: the import command
    runs on them alone (annotator.standalone)."""

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_authenticated(self) -> bool:
        return self.is_active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LoginUser):
            return self.get_id() == other.get_id()
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


class User(LoginUser, Base):
    __tablename__ = "user"
    __table_args__ = (CheckConstraint(_one_of("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As typed at creation, for display.
    username: Mapped[str] = mapped_column(String(80))
    #: Case-folded username: uniqueness and look-ups are case-insensitive.
    username_key: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str]
    role: Mapped[str] = mapped_column(String(20), default=Role.ANNOTATOR.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Set when an admin resets the password: the user must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bumped whenever all the user's sessions end (password change, deactivation).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    @staticmethod
    def key_for(username: str) -> str:
        """The key a username is stored and found under: NFKC, then case-folded."""
        return username_key(username)

    def get_id(self) -> str:
        """What the session and remember cookies store: the login session, never the user id.

        Without a started login session this is not a loadable id, so a login that skipped
        annotator.auth.sessions fails closed.
        """
        return self.login_session_id or f"no-session:{self.id}"

    @property
    def login_session_id(self) -> str | None:
        """The login session this object was loaded through or logged in with (not stored)."""
        return self.__dict__.get("_login_session_id")

    @login_session_id.setter
    def login_session_id(self, value: str | None) -> None:
        self.__dict__["_login_session_id"] = value

    def end_sessions(self) -> None:
        """Log the user out everywhere: every session and remember cookie stops at once."""
        self.session_epoch += 1
        session = object_session(self)
        if session is not None and self.id is not None:
            session.execute(delete(LoginSession).where(LoginSession.user_id == self.id))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_see_all_work(self) -> bool:
        """Admins and reviewers read every annotator's work; annotators only their own."""
        return self.role in (Role.ADMIN, Role.REVIEWER)


class LoginSession(Base):
    """One logged-in browser; its session and remember cookies carry a secret naming this row.

    Deleting the row (logout, password change, deactivation) ends both cookies at once.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the cookie's secret: a copy of this table opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class Project(Base):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Markdown, rendered through a sanitiser.
    guidelines: Mapped[str] = mapped_column(Text, default="")
    #: Validated by annotator.schema.validate_schema before it is stored.
    label_schema: Mapped[dict[str, Any]]
    #: Edits of label_schema so far (annotations.writer.shared): a write that checked its
    #: labels against an older schema reads and checks again.
    schema_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: e.g. {"snap_to_words": true, "overlap": 1}; see annotator.schema.DEFAULT_SETTINGS.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    articles: Mapped[list[Article]] = relationship(back_populates="project")


class ProjectMember(Base):
    """Who works on a project, and in which role there."""

    __tablename__ = "project_member"
    __table_args__ = (CheckConstraint(_one_of("role", Role), name="role"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), default=Role.ANNOTATOR.value)


class Article(Base):
    __tablename__ = "article"
    __table_args__ = (UniqueConstraint("project_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str | None] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(255))
    published: Mapped[date | None] = mapped_column(Date)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: sha256 of title and paragraph texts: re-importing the same article is a no-op.
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="articles")
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="article", order_by="Paragraph.position", cascade="all, delete-orphan"
    )


class Paragraph(Base):
    __tablename__ = "paragraph"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    #: Stored exactly as imported (line endings normalised); never changes once annotated.
    text: Mapped[str] = mapped_column(Text)
    is_boilerplate: Mapped[bool] = mapped_column(Boolean, default=False)

    article: Mapped[Article] = relationship(back_populates="paragraphs")


class Annotation(Base):
    """One decision by one person: an entity or claim span, or a sentiment.

    Offsets are code points into Paragraph.text, end exclusive. Paragraph sentiment has no
    offsets; sentiment towards an entity names it in attributes["target_id"].
    Gold (adjudicated) annotations sit beside annotators' work with is_gold set.
    """

    __tablename__ = "annotation"
    __table_args__ = (
        CheckConstraint(_equal_to_one_of("layer", Layer), name="layer"),
        CheckConstraint(
            '("start" IS NULL AND "end" IS NULL) OR ("start" >= 0 AND "end" > "start")',
            name="offsets",
        ),
        CheckConstraint(
            "layer = 'sentiment' OR (\"start\" IS NOT NULL)", name="span_layers_have_offsets"
        ),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("layer = 'sentiment' OR target_id IS NULL", name="target_is_sentiment"),
        Index("ix_annotation_paragraph_annotator", "paragraph_id", "annotator_id"),
        # One paragraph sentiment per annotator (and one gold) per paragraph.
        _partial_index(
            "uq_annotation_paragraph_sentiment",
            "paragraph_id",
            "annotator_id",
            "is_gold",
            unique=True,
            where="layer = 'sentiment' AND target_id IS NULL",
        ),
        # Gold is one version per article, whichever reviewer wrote it: one gold paragraph
        # sentiment per paragraph.
        _partial_index(
            "uq_annotation_gold_paragraph_sentiment",
            "paragraph_id",
            unique=True,
            where="layer = 'sentiment' AND target_id IS NULL AND is_gold",
        ),
        # One sentiment towards an entity: the entity belongs to one annotator already. Partial,
        # so that the many rows without a target cost an insert nothing here; it still serves
        # `target_id = ?`, the cascade from a deleted entity included.
        _partial_index(
            "uq_annotation_target_id", "target_id", unique=True, where="target_id IS NOT NULL"
        ),
        # A replayed create finds the row its first attempt stored. Led by annotator_id, it
        # also serves look-ups by annotator (and the foreign-key check on deleting a user), so
        # annotator_id has no index of its own.
        UniqueConstraint("annotator_id", "client_id", name="uq_annotation_client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    is_gold: Mapped[bool] = mapped_column(Boolean, default=False)
    layer: Mapped[str] = mapped_column(String(20))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    #: Claim type, attribution, claimant, check-worthiness, sentiment target, per the schema.
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: A sentiment's target entity, mirrored from attributes["target_id"] by the writer so
    #: that the database can hold "one sentiment per target" and delete it with its entity.
    target_id: Mapped[int | None] = mapped_column(ForeignKey("annotation.id", ondelete="CASCADE"))
    #: The id the page gave the create (a UUID): a replay returns this row, not a second one.
    client_id: Mapped[str | None] = mapped_column(String(64))
    #: Where the decision came from: "manual" (workspace, API), "import", "model:NAME".
    source: Mapped[str] = mapped_column(String(100), default="manual", server_default="manual")
    #: Bumped on every change; a write based on an older version is a conflict (409).
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    paragraph: Mapped[Paragraph] = relationship()
    annotator: Mapped[User] = relationship(foreign_keys=[annotator_id])

    #: Every UPDATE and DELETE also matches the version it read, so a write that raced past
    #: the services' version check still cannot overwrite silently (StaleDataError -> 409).
    #: The services bump the version themselves.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


#: What a history row records.
ACTIONS = ("create", "update", "delete")


class AnnotationEvent(Base):
    """Append-only history of every create, change and delete: any state can be traced."""

    __tablename__ = "annotation_event"
    __table_args__ = (CheckConstraint(_equal_to_one_of("action", ACTIONS), name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Not a foreign key: the history outlives a deleted annotation.
    annotation_id: Mapped[int] = mapped_column(Integer, index=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionLayer(enum.StrEnum):
    ENTITY = "entity"
    SENTIMENT = "sentiment"


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Suggestion(Base):
    """A proposed entity span or paragraph sentiment, never an annotation until accepted.

    Written only through annotator.suggestions.store, which checks offsets and labels.
    Offsets are code points into Paragraph.text like Annotation's; NULL for a paragraph
    sentiment. user_id NULL: for everyone in the project (patterns, models, imports);
    set: for that annotator only (propagation from their own labels).
    """

    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint(_one_of("layer", SuggestionLayer), name="layer"),
        CheckConstraint(
            '("start" IS NULL AND "end" IS NULL) OR ("start" >= 0 AND "end" > "start")',
            name="offsets",
        ),
        CheckConstraint("layer = 'sentiment' OR (\"start\" IS NOT NULL)", name="entity_offsets"),
        # The same suggestion is stored once per source; `key` folds the nullable user and
        # offsets into one non-null value, which a unique constraint can hold on both databases.
        UniqueConstraint(
            "paragraph_id", "source", "key", name="uq_suggestion_paragraph_source_key"
        ),
        # Open suggestions of an article for one user: by paragraph, then user (or NULL).
        Index("ix_suggestion_paragraph_user", "paragraph_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id", ondelete="CASCADE"))
    #: The one annotator it is for; None: everyone in the project.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    layer: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    #: The span's text (empty for sentiment), kept to show and to check against the paragraph.
    text: Mapped[str] = mapped_column(Text, default="")
    #: "propagation", "pattern", "model:NAME" or "import:NAME"; becomes Annotation.source.
    source: Mapped[str] = mapped_column(String(100))
    #: layer:label:start:end:user (user "*" for everyone): what makes it the same suggestion.
    key: Mapped[str] = mapped_column(String(200))
    score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when a newer run of its source no longer proposes it but someone had decided it:
    #: hidden from the open lists, kept for the decisions and the dashboard.
    retired_at: Mapped[datetime | None]

    paragraph: Mapped[Paragraph] = relationship()
    decisions: Mapped[list[SuggestionDecision]] = relationship(
        back_populates="suggestion", cascade="all, delete-orphan", passive_deletes=True
    )


class SuggestionDecision(Base):
    """One annotator's answer to a suggestion: accepting it does not hide it from another."""

    __tablename__ = "suggestion_decision"
    __table_args__ = (CheckConstraint(_one_of("decision", Decision), name="decision"),)

    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    #: The annotation an accept created; None after a reject, or once that annotation is gone.
    annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotation.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    suggestion: Mapped[Suggestion] = relationship(back_populates="decisions")


class PatternFile(Base):
    """An admin's spaCy EntityRuler / Prodigy patterns, validated line by line on upload."""

    __tablename__ = "pattern_file"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    #: The validated patterns: [{"label": ..., "pattern": "phrase" | [token dicts]}].
    patterns: Mapped[list[Any]] = mapped_column(JSON, default=list)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArticleStatus(Base):
    """Where one annotator stands on one article; a missing row means not started."""

    __tablename__ = "article_status"
    __table_args__ = (CheckConstraint(_one_of("status", Status), name="status"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.NOT_STARTED.value)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: How many times the scope was claimed (annotations.writer.status): a save that read
    #: the scope before claiming it knows from this whether another writer came in between.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ArticleReview(Base):
    """Where adjudication of one article stands; a missing row means not reviewed.

    The row is also the lock of the article's gold scope: every gold write upserts it first,
    so two reviewers of one article write one after the other (see annotations/writer)."""

    __tablename__ = "article_review"
    __table_args__ = (CheckConstraint(_one_of("status", ReviewStatus), name="status"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.NOT_REVIEWED.value)
    #: Who last moved the review on.
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Bumped on every change of status: a reviewer acting on an older one gets a 409.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnnotationComment(Base):
    """A reviewer's note on an annotation, shown to the annotator who made it."""

    __tablename__ = "annotation_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class Assignment(Base):
    """An article given to an annotator, automatically or by an admin."""

    __tablename__ = "assignment"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token for scripts; only its hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: The first characters of the token, shown in lists so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: What the token may do, space-separated: read, annotate, export, admin.
    scopes: Mapped[str] = mapped_column(String(100), default="read", server_default="read")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Refused from this moment on; None: until revoked.
    expires_at: Mapped[datetime | None]
    #: Recorded at most once a minute, so reads through a token do not write on every request.
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class AuditLog(Base):
    """Every admin action: who did what to what, with the state before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class BoilerplateRule(Base):
    """An admin's pattern that marks a project's paragraphs boilerplate (or content).

    Applied, it is in force: it also marks the paragraphs of articles imported later. What it
    changed is kept (BoilerplateChange), so undo restores exactly those paragraphs.
    """

    __tablename__ = "boilerplate_rule"
    __table_args__ = (CheckConstraint("kind IN ('exact', 'prefix', 'regex')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    #: exact (whole paragraph, whitespace-normalised), prefix, or regex (searched).
    kind: Mapped[str] = mapped_column(String(10))
    pattern: Mapped[str] = mapped_column(Text)
    #: The flag the rule gives: True boilerplate, False content.
    makes_boilerplate: Mapped[bool] = mapped_column(Boolean)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set while the rule is in force (applied, and applied to every later import).
    applied_at: Mapped[datetime | None]
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class BoilerplateChange(Base):
    """One paragraph a rule flipped, at apply or at import: what undo restores."""

    __tablename__ = "boilerplate_change"

    rule_id: Mapped[int] = mapped_column(
        ForeignKey("boilerplate_rule.id", ondelete="CASCADE"), primary_key=True
    )
    paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("paragraph.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    was_boilerplate: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class BoilerplateProposal(Base):
    """An annotator's proposal that a paragraph is boilerplate (or content), until a reviewer
    or admin confirms or declines it. One pending proposal per paragraph: a unique index."""

    __tablename__ = "boilerplate_proposal"
    __table_args__ = (
        CheckConstraint(_one_of("status", ProposalStatus), name="status"),
        _partial_index(
            "uq_boilerplate_proposal_pending",
            "paragraph_id",
            unique=True,
            where="status = 'pending'",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("paragraph.id", ondelete="CASCADE"), index=True
    )
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: What is proposed: True boilerplate, False content.
    makes_boilerplate: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10), default=ProposalStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]

    paragraph: Mapped[Paragraph] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PipelineJob(Base):
    """One run of a project's spaCy pipeline in the background worker, as the admin sees it."""

    __tablename__ = "pipeline_job"
    __table_args__ = (CheckConstraint(_one_of("status", JobStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    #: The project's pipeline setting when the job was asked for: a package name or a folder.
    pipeline: Mapped[str] = mapped_column(String(500))
    #: Why it runs: settings (the pipeline changed), import, manual.
    reason: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: host:pid of the worker that claimed it: a worker starting on that host fails the
    #: running jobs of workers there that are gone (killed, out of memory, power cut).
    worker: Mapped[str | None] = mapped_column(String(100))
    #: The loaded pipeline's version and a digest of its files; set once it has loaded.
    model_version: Mapped[str | None] = mapped_column(String(100))
    #: Content paragraphs of the project; how many ran, how many were already cached.
    paragraphs: Mapped[int] = mapped_column(Integer, default=0)
    computed: Mapped[int] = mapped_column(Integer, default=0)
    cached: Mapped[int] = mapped_column(Integer, default=0)
    suggestions: Mapped[int] = mapped_column(Integer, default=0)
    #: Entities whose spaCy label is not in the schema, counted per label.
    dropped: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ModelParagraph(Base):
    """A paragraph a pipeline has run on, with its version: the cache that spares a rerun."""

    __tablename__ = "model_paragraph"

    paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("paragraph.id", ondelete="CASCADE"), primary_key=True
    )
    #: The suggestions' source, "model:NAME".
    source: Mapped[str] = mapped_column(String(255), primary_key=True)
    #: The model version and a digest of the label mapping it was computed with.
    model_version: Mapped[str] = mapped_column(String(100))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
