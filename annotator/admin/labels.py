"""Label-schema editing that keeps existing annotations consistent with the schema.

A rename rewrites every annotation that uses the old name, in the same transaction as the
schema change; a label still in use is only removed by merging it into another one.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from annotator.annotations import Proposal, writer
from annotator.annotations.writer.shared import lock_schema_for_edit, store_schema
from annotator.audit import record
from annotator.models import Annotation, Article, DbSession, Paragraph, Project, User
from annotator.schema import SchemaError, same_name, validate_schema


@dataclass(frozen=True)
class Kind:
    """One list of names in a schema, and where annotations store a value from it."""

    title: str
    path: tuple[str, ...]
    layer: str
    #: None: the value is Annotation.label; else the key in Annotation.attributes.
    attribute: str | None = None


KINDS: dict[str, Kind] = {
    "entity": Kind("Entity labels", ("entities",), "entity"),
    "claim_type": Kind("Claim types", ("claims", "types"), "claim"),
    "attribution": Kind("Claim attributions", ("claims", "attributions"), "claim", "attribution"),
    "checkworthy": Kind("Check-worthiness", ("claims", "checkworthy"), "claim", "checkworthy"),
    "sentiment": Kind("Sentiment scale", ("sentiment",), "sentiment"),
}


class LabelError(ValueError):
    """A schema edit that cannot be made, with a message for the admin."""


class LabelInUse(LabelError):
    def __init__(self, name: str, count: int) -> None:
        noun = "annotation uses" if count == 1 else "annotations use"
        super().__init__(
            f"{count} {noun} {name!r}: it cannot be removed. Merge it into another label instead."
        )
        self.count = count


def kind_for(kind: str) -> Kind:
    if kind not in KINDS:
        raise LabelError(f"Unknown kind of label {kind!r}.")
    return KINDS[kind]


def _items(schema: dict[str, Any], kind: Kind) -> list[Any]:
    node: Any = schema
    for part in kind.path:
        node = node[part]
    return node  # type: ignore[no-any-return]


def names(schema: dict[str, Any], kind: str) -> list[str]:
    items = _items(schema, kind_for(kind))
    return [item["name"] if isinstance(item, dict) else item for item in items]


def _project_annotations(session: DbSession, project: Project, kind: Kind) -> Any:
    in_project = select(Paragraph.id).join(Article).where(Article.project_id == project.id)
    return select(Annotation).where(
        Annotation.paragraph_id.in_(in_project), Annotation.layer == kind.layer
    )


def _value(annotation: Annotation, kind: Kind) -> Any:
    if kind.attribute is None:
        return annotation.label
    return (annotation.attributes or {}).get(kind.attribute)


def _using(session: DbSession, project: Project, kind: Kind, name: str) -> list[Annotation]:
    query = _project_annotations(session, project, kind)
    if kind.attribute is None:
        return list(session.scalars(query.where(Annotation.label == name)))
    return [a for a in session.scalars(query) if _value(a, kind) == name]


def usage_counts(session: DbSession, project: Project) -> dict[str, Counter[str]]:
    """How many annotations use each name, per kind, for the editor's table."""
    counts: dict[str, Counter[str]] = {}
    for key, kind in KINDS.items():
        rows = session.scalars(_project_annotations(session, project, kind))
        counts[key] = Counter(str(_value(a, kind)) for a in rows if _value(a, kind) is not None)
    return counts


def _relabel(session: DbSession, actor: User, rows: list[Annotation], kind: Kind, new: str) -> None:
    """Give each annotation the new value through the writer: version and history kept."""

    def renamed(annotation: Annotation) -> Proposal:
        attributes = dict(annotation.attributes)
        if kind.attribute is not None:
            attributes[kind.attribute] = new
        label = new if kind.attribute is None else annotation.label
        return Proposal(annotation.layer, annotation.start, annotation.end, label, attributes)

    writer.relabel(session, actor, rows, renamed)


def _store_schema(project: Project, schema: dict[str, Any]) -> None:
    try:
        validate_schema(schema)
    except SchemaError as exc:
        raise LabelError(str(exc)) from None
    store_schema(project, schema)


def _index(schema: dict[str, Any], kind: str, name: str) -> int:
    found = names(schema, kind)
    if name not in found:
        raise LabelError(f"There is no {kind.replace('_', ' ')} named {name!r}.")
    return found.index(name)


def rename_label(
    session: DbSession, actor: User, project: Project, kind: str, old: str, new: str
) -> int:
    """Rename a label in the schema and in every annotation using it; returns how many."""
    spec = kind_for(kind)
    lock_schema_for_edit(session, project)
    new = new.strip()
    schema = copy.deepcopy(project.label_schema)
    position = _index(schema, kind, old)
    if new == old:
        return 0
    taken = same_name(new, [name for name in names(schema, kind) if name != old])
    if taken is not None:
        raise LabelError(f"{taken!r} exists already: to combine the two, remove {old!r} and merge.")
    items = _items(schema, spec)
    if isinstance(items[position], dict):
        items[position]["name"] = new
    else:
        items[position] = new
    _store_schema(project, schema)
    rows = _using(session, project, spec, old)
    _relabel(session, actor, rows, spec, new)
    session.flush()
    record(
        session,
        actor,
        "label.rename",
        ("project", project.id),
        {"kind": kind, "name": old},
        {"kind": kind, "name": new, "annotations": len(rows)},
    )
    return len(rows)


def remove_label(
    session: DbSession,
    actor: User,
    project: Project,
    kind: str,
    name: str,
    merge_into: str | None = None,
) -> int:
    """Remove an unused label, or merge a used one into another; returns annotations moved."""
    spec = kind_for(kind)
    lock_schema_for_edit(session, project)
    schema = copy.deepcopy(project.label_schema)
    position = _index(schema, kind, name)
    rows = _using(session, project, spec, name)
    if merge_into:
        if merge_into == name or merge_into not in names(schema, kind):
            raise LabelError(f"Choose another existing label to merge {name!r} into.")
    elif rows:
        raise LabelInUse(name, len(rows))
    removed = _items(schema, spec).pop(position)
    _store_schema(project, schema)
    if merge_into:
        _relabel(session, actor, rows, spec, merge_into)
    session.flush()
    action = "label.merge" if merge_into else "label.remove"
    after = {"kind": kind, "merged_into": merge_into, "annotations": len(rows)}
    record(session, actor, action, ("project", project.id), {"kind": kind, "label": removed}, after)
    return len(rows)


def add_label(
    session: DbSession, actor: User, project: Project, kind: str, entry: dict[str, Any]
) -> None:
    """Append a name (entity labels: with colour, key, description) to a list of the schema."""
    spec = kind_for(kind)
    lock_schema_for_edit(session, project)
    schema = copy.deepcopy(project.label_schema)
    taken = same_name(entry["name"], names(schema, kind))
    if taken is not None:
        raise LabelError(f"{taken!r} exists already (labels must differ by more than case).")
    _items(schema, spec).append(_entity(entry) if kind == "entity" else entry["name"])
    _store_schema(project, schema)
    session.flush()
    record(session, actor, "label.add", ("project", project.id), None, {"kind": kind, **entry})


def _entity(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": entry["name"],
        "color": entry.get("color") or "",
        "key": entry.get("key") or "",
        "description": entry.get("description") or "",
    }


def update_entity(session: DbSession, actor: User, project: Project, entry: dict[str, Any]) -> None:
    """Change an entity label's colour, key or description (renames go through rename_label)."""
    lock_schema_for_edit(session, project)
    schema = copy.deepcopy(project.label_schema)
    position = _index(schema, "entity", entry["name"])
    before = dict(schema["entities"][position])
    schema["entities"][position] = {**before, **_entity(entry)}
    if schema["entities"][position] == before:
        return
    _store_schema(project, schema)
    session.flush()
    after = schema["entities"][position]
    record(session, actor, "label.update", ("project", project.id), before, after)
