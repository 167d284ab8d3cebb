"""Label Studio: tasks with annotations (JSON), and the labeling config they belong to.

One task per paragraph; each annotator's record becomes one entry of the task's
`annotations`. Claim attributes are per-region `choices` / `textarea` results that share
the claim region's id; a claimant entity in the same paragraph is a `relation`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any
from xml.etree import ElementTree as ET

from annotator.formats.safe import json_text

TO_NAME = "text"


def write(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[str]:
    """A JSON array written task by task: one task per paragraph, its annotators grouped."""
    yield "["
    by_paragraph = groupby(records, key=lambda r: (r["article"]["id"], r["paragraph_index"]))
    for number, (_, group) in enumerate(by_paragraph, start=1):
        yield ("\n" if number == 1 else ",\n") + json_text(task(list(group), number))
    yield "\n]\n"


def write_config(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[str]:
    yield labeling_config(schema)


def labeling_config(schema: dict[str, Any]) -> str:
    """The XML config under which the exported tasks import and display in Label Studio."""
    view = ET.Element("View")
    entities = ET.SubElement(view, "Labels", name="label", toName=TO_NAME)
    for label in schema["entities"]:
        ET.SubElement(entities, "Label", value=label["name"], background=label["color"])
    claims = ET.SubElement(view, "Labels", name="claim", toName=TO_NAME)
    for kind in schema["claims"]["types"]:
        ET.SubElement(claims, "Label", value=kind)
    ET.SubElement(view, "Text", name=TO_NAME, value="$text")
    relations = ET.SubElement(view, "Relations")
    ET.SubElement(relations, "Relation", value="claimant")
    _choices(view, "sentiment", schema["sentiment"])
    _choices(view, "attribution", schema["claims"]["attributions"], when="claim")
    _choices(view, "checkworthy", schema["claims"]["checkworthy"], when="claim")
    ET.SubElement(
        view,
        "TextArea",
        name="claimant",
        toName=TO_NAME,
        perRegion="true",
        whenTagName="claim",
        maxSubmissions="1",
    )
    _choices(view, "entity_sentiment", schema["sentiment"], when="label")
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def _choices(view: ET.Element, name: str, values: Sequence[str], when: str | None = None) -> None:
    attributes = {"name": name, "toName": TO_NAME, "choice": "single"}
    if when:
        attributes |= {"perRegion": "true", "whenTagName": when}
    choices = ET.SubElement(view, "Choices", attributes)
    for value in values:
        ET.SubElement(choices, "Choice", value=value)


def task(records: Sequence[dict[str, Any]], task_id: int) -> dict[str, Any]:
    """A task for one paragraph, holding every exported annotator's work on it."""
    first = records[0]
    article = first["article"]
    return {
        "id": task_id,
        "data": {
            "text": first["text"],
            "article_id": article["id"],
            "external_id": article["external_id"],
            "title": article["title"],
            "paragraph_index": first["paragraph_index"],
            "annotators": [r["annotator"] or "gold" for r in records],
        },
        "annotations": [_annotation(r, i) for i, r in enumerate(records, start=1)],
        "predictions": [],
    }


def _annotation(record: dict[str, Any], number: int) -> dict[str, Any]:
    # No completed_by: Label Studio accepts only its own user ids or e-mails there and
    # assigns the importing user otherwise; data.annotators keeps the names.
    return {
        "id": number,
        "was_cancelled": False,
        "ground_truth": record["gold"],
        "created_at": record["updated_at"],
        "updated_at": record["updated_at"],
        "result": results(record),
    }


def results(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The `result` list of one annotation: regions, per-region attributes, relations."""
    out: list[dict[str, Any]] = []
    entity_ids = {e["id"] for e in record["entities"]}
    for e in record["entities"]:
        out.append(_region(f"e{e['id']}", "label", "labels", e, {"labels": [e["label"]]}))
    for c in record["claims"]:
        out.extend(_claim_results(c, entity_ids))
    sentiment = record.get("sentiment") or {}
    if sentiment.get("label"):
        out.append(_result("sentiment", "choices", {"choices": [sentiment["label"]]}, "s"))
    by_id = {e["id"]: e for e in record["entities"]}
    for target in sentiment.get("targets", []):
        entity = by_id.get(target["entity_id"])
        if entity is not None:
            value = {"choices": [target["label"]]}
            out.append(_region(f"e{entity['id']}", "entity_sentiment", "choices", entity, value))
    return out


def _claim_results(claim: dict[str, Any], entity_ids: set[int]) -> list[dict[str, Any]]:
    region = f"c{claim['id']}"
    out = [_region(region, "claim", "labels", claim, {"labels": [claim["type"]]})]
    for name in ("attribution", "checkworthy"):
        if claim[name]:
            out.append(_region(region, name, "choices", claim, {"choices": [claim[name]]}))
    claimant = claim["claimant"]
    if claimant and claimant["text"]:
        out.append(_region(region, "claimant", "textarea", claim, {"text": [claimant["text"]]}))
    if claimant and claimant["entity_id"] in entity_ids:
        out.append(
            {
                "from_id": region,
                "to_id": f"e{claimant['entity_id']}",
                "type": "relation",
                "direction": "right",
                "labels": ["claimant"],
            }
        )
    return out


def _region(
    region_id: str, control: str, kind: str, span: dict[str, Any], extra: dict[str, Any]
) -> dict[str, Any]:
    value = {"start": span["start"], "end": span["end"], "text": span["text"], **extra}
    return _result(control, kind, value, region_id)


def _result(control: str, kind: str, value: dict[str, Any], region_id: str) -> dict[str, Any]:
    return {
        "id": region_id,
        "from_name": control,
        "to_name": TO_NAME,
        "type": kind,
        "origin": "manual",
        "value": value,
    }
