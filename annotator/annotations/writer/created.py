"""The rows a batch of new annotations adds: the annotation rows, grouped by the columns
they fill, and one history event each, whose `after` is the row in to_json's shape.

Each value is read once into a local, for the row, the event and the JSON alike (reading
them back out of the JSON's dict cost a tenth of writing a batch). The JSON itself is
orjson's: a template filled in Python (labels and sources encoded once per batch) cost a
fifth more than building the dict and encoding it in C.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import orjson
from sqlalchemy import Table

from annotator.annotations.rules import Proposal
from annotator.annotations.writer.bulk import insert_rows, json_value
from annotator.models import Annotation, AnnotationEvent, DbSession

if TYPE_CHECKING:
    from annotator.annotations.writer.batch import NewAnnotation

ANNOTATIONS = cast(Table, Annotation.__table__)
EVENTS = cast(Table, AnnotationEvent.__table__)
#: The columns of a batch's rows, by kind of row: each leaves out the columns its rows hold
#: no value in (the database stores NULL), because the sqlite3 driver binds None through
#: its adapter look-up, which formats and drops an AttributeError per value. Spans (entities
#: and claims) have no target, sentiments no offsets; a row with a target has every column.
SPAN = (
    *("id", "paragraph_id", "annotator_id", "is_gold", "layer", "start", "end", "label"),
    *("attributes", "source", "created_at", "updated_at"),
)
SENTIMENT = (
    *("id", "paragraph_id", "annotator_id", "is_gold", "layer", "label", "attributes"),
    *("source", "created_at", "updated_at"),
)
TARGETED = (*SPAN, "target_id")
EVENT = ("annotation_id", "paragraph_id", "user_id", "after", "created_at")
#: What every new row and every create event hold alike, written into the statements as
#: SQL rather than bound for each row: a new row's first version, and its event's action
#: and (JSON null) before.
ROW_CONSTANTS = {"version": "1"}
EVENT_CONSTANTS = {"action": "'create'", "before": "'null'"}


class CreatedRows:
    """One batch's new rows and their history, sent by insert()."""

    def __init__(self, stamp: Any) -> None:
        #: created_at and updated_at of every row, as stored_value gives them.
        self.stamp = stamp
        self.spans: list[tuple[Any, ...]] = []
        self.sentiments: list[tuple[Any, ...]] = []
        self.targeted: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []

    def add(
        self, new_id: int, item: NewAnnotation, proposal: Proposal, gold: Any, user_id: int
    ) -> None:
        """The row of a checked item (a NewAnnotation) and its create event; `gold` is
        is_gold as stored_value gives it, `user_id` who the event names."""
        attributes, stamp = proposal.attributes, self.stamp
        paragraph_id, owner_id = item.paragraph.id, item.owner_id
        layer, start, end, label = str(proposal.layer), proposal.start, proposal.end, proposal.label
        stored = json_value(attributes) if attributes else "{}"  # most rows: no encoder call
        target = attributes.get("target_id")
        if target is not None:
            self.targeted.append(
                (new_id, paragraph_id, owner_id, gold, layer, start, end, label, stored,
                 item.source, stamp, stamp, target)
            )  # fmt: skip
        elif start is not None:
            self.spans.append(
                (new_id, paragraph_id, owner_id, gold, layer, start, end, label, stored,
                 item.source, stamp, stamp)
            )  # fmt: skip
        else:
            self.sentiments.append(
                (new_id, paragraph_id, owner_id, gold, layer, label, stored, item.source,
                 stamp, stamp)
            )  # fmt: skip
        shape = {  # to_json's shape (see annotations.types), as history keeps it
            "id": new_id,
            "paragraph_id": paragraph_id,
            "annotator_id": owner_id,
            "layer": layer,
            "start": start,
            "end": end,
            "label": label,
            "attributes": attributes,
            "version": 1,
            "is_gold": item.gold,
            "source": item.source,
            "client_id": None,
        }
        try:  # json_value, inline: a call less per annotation
            after = orjson.dumps(shape).decode()
        except (TypeError, orjson.JSONEncodeError):
            after = json_value(shape)  # what orjson refuses goes json_value's way
        self.events.append((new_id, paragraph_id, user_id, after, stamp))

    def insert(self, session: DbSession) -> None:
        """Entities go before what names them: the foreign key from a targeted sentiment
        finds its entity."""
        insert_rows(session, ANNOTATIONS, SPAN, self.spans, ROW_CONSTANTS)
        insert_rows(session, ANNOTATIONS, SENTIMENT, self.sentiments, ROW_CONSTANTS)
        insert_rows(session, ANNOTATIONS, TARGETED, self.targeted, ROW_CONSTANTS)
        insert_rows(session, EVENTS, EVENT, self.events, EVENT_CONSTANTS)
