"""Label Studio: tasks with annotations (JSON), and the labeling config they belong to.

One task per paragraph; each annotator's record becomes one entry of the task's
`annotations`. Claim attributes are per-region `choices` / `textarea` results that share
the claim region's id; a claimant entity in the same paragraph is a `relation`.

Every annotation of ours has an owner, so it goes out as an LS annotation, never as an LS
prediction: one a person accepted from a model's suggestion ("model:NAME") is their work and
their training data, its regions marked with origin "prediction". A model's guesses nobody
accepted are suggestions, not annotations, and are not exported. LS `predictions` read back
as prediction drafts: `annotator import --as-predictions` stores them as suggestions, a
plain import counts them and leaves them out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any
from xml.etree import ElementTree as ET

from annotator.formats.drafts import (
    Parsed,
    RecordDraft,
    SpanDraft,
    article_key,
    consistent,
    describe,
    encodable,
    paragraph_index,
    text_of,
)
from annotator.formats.safe import json_text
from annotator.ingest import STRICT_JSON, UNSTORABLE, IngestError, unreadable_json
from annotator.text import unstorable_path

TO_NAME = "text"
MODEL = "model:"


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
    """A task for one paragraph: each record, a person's work, is one of its annotations."""
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
            "annotators": [record["annotator"] for record in records],
        },
        "annotations": [_annotation(r, number) for number, r in enumerate(records, start=1)],
        "predictions": [],
    }


def _annotation(record: dict[str, Any], number: int) -> dict[str, Any]:
    # No completed_by: Label Studio takes only its own user ids or members' e-mails there and
    # refuses the import otherwise; data.annotators keeps the names, in this order.
    return {
        "id": number,
        "was_cancelled": False,
        "ground_truth": record["gold"],
        "created_at": record["updated_at"],
        "updated_at": record["updated_at"],
        "result": results(record),
    }


def results(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The `result` list of one annotation: regions, per-region attributes, relations.

    Each region's origin is "manual", or "prediction" when the person accepted a suggestion
    (propagation, a pattern, a model, imported predictions): Label Studio's own word for a
    region taken over from a prediction.

    A claimant or a sentiment target that is not among the record's entities (another
    paragraph) cannot be linked: regions link only within one annotation.
    """
    out: list[dict[str, Any]] = []
    entity_ids = {e["id"] for e in record["entities"]}
    for e in record["entities"]:
        out.append(_region(f"e{e['id']}", "label", "labels", e, {"labels": [e["label"]]}))
    for c in record["claims"]:
        out.extend(_claim_results(c, entity_ids))
    sentiment = record.get("sentiment") or {}
    if sentiment.get("label"):
        value = {"choices": [sentiment["label"]]}
        out.append(_result("sentiment", "choices", value, "s", sentiment.get("source")))
    by_id = {e["id"]: e for e in record["entities"]}
    for target in sentiment.get("targets", []):
        entity = by_id.get(target["entity_id"])
        if entity is not None:
            value = {"choices": [target["label"]]}
            region = {**entity, "source": target.get("source")}
            out.append(_region(f"e{entity['id']}", "entity_sentiment", "choices", region, value))
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
    return _result(control, kind, value, region_id, span.get("source"))


def _result(
    control: str, kind: str, value: dict[str, Any], region_id: str, source: str | None = None
) -> dict[str, Any]:
    return {
        "id": region_id,
        "from_name": control,
        "to_name": TO_NAME,
        "type": kind,
        "origin": origin_of(source),
        "value": value,
    }


def origin_of(source: str | None) -> str:
    """Label Studio's origin of a person's region: what they accepted from a suggestion
    counts as taken from a prediction; their own, imported or adjudicated work is manual."""
    if source is None or source in ("manual", "import", "adjudication"):
        return "manual"
    return "prediction"


# --- reader ---------------------------------------------------------------------------------


def read(name: str, data: bytes) -> Parsed:
    """A Label Studio JSON export of a project made from our labeling config, as drafts.

    Each annotation becomes a draft for the annotator our export named in data.annotators
    (else nobody: the importer asks for --as-annotator); each prediction (an ML backend's,
    or accepted model work in files we exported before it went out as annotations) a draft
    marked with its model version, whose annotations have source "model:<version>". Cancelled
    annotations are skipped, and so are predictions exported as ids only (Label Studio's
    plain export endpoint does that; its export snapshots can include them in full).
    """
    parsed = Parsed()
    for line, task in _tasks(name, data):
        try:
            drafts = _task_drafts(task, line, parsed.skipped)
            for draft in drafts:
                consistent(draft)
            parsed.drafts.extend(drafts)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise IngestError(
                name, line, f"malformed Label Studio task {task.get('id')} ({describe(exc)})"
            ) from None
    return parsed


def looks_like_tasks(data: bytes) -> bool:
    """A JSON array, as a Label Studio export is (a JSONL file starts with an object)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def _tasks(name: str, data: bytes) -> Iterator[tuple[int, Any]]:
    """Each task of the array with the line it starts on."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(name, None, f"not UTF-8 text ({exc.reason})") from None
    position = _skip(text, text.index("[") + 1)
    while position < len(text) and text[position] != "]":
        line = text.count("\n", 0, position) + 1
        try:
            task, position = STRICT_JSON.raw_decode(text, position)
        except (ValueError, RecursionError) as exc:
            where = exc.lineno if isinstance(exc, json.JSONDecodeError) else line
            raise unreadable_json(name, where, exc) from None
        path = unstorable_path(task)
        if path is not None:
            raise IngestError(name, line, f"'{path}' holds {UNSTORABLE}")
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise IngestError(name, line, "each task must be an object with 'data'")
        yield line, task
        position = _skip(text, position)
        if text.startswith(",", position):
            position = _skip(text, position + 1)
    if text[position:].strip() != "]":
        raise IngestError(name, None, "a Label Studio export is one JSON array of tasks")


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _task_drafts(
    task: dict[str, Any], line: int, skipped: list[tuple[int, str]]
) -> list[RecordDraft]:
    data = task["data"]
    text = text_of(data)
    key = article_key(data)
    index = paragraph_index(data.get("paragraph_index")) if key else None
    names = _names(data, "annotators")
    drafts = []
    for number, annotation in enumerate(task.get("annotations") or []):
        if annotation.get("was_cancelled"):
            skipped.append((line, f"task {task.get('id')}: annotation {number + 1} was cancelled"))
            continue
        ours = number < len(names)
        annotator = names[number] if ours else None
        gold = ours and annotator is None  # as in native records: no annotator, a status
        draft = RecordDraft(line, text, annotator, "done" if gold else None, key, index)
        _fill(draft, annotation["result"], f"{line}.a{number}.", None)
        drafts.append(draft)
    # Exports of ours from before accepted model work became annotations name its owner.
    predicted_for = _names(data, "prediction_annotators")
    predictions = task.get("predictions") or []
    if any(not isinstance(p, dict) for p in predictions):
        why = f"{len(predictions)} prediction(s) exported as ids only"
        skipped.append((line, f"task {task.get('id')}: {why}"))
        predictions = []
    for number, prediction in enumerate(predictions):
        version = prediction.get("model_version") or "model"
        annotator = predicted_for[number] if number < len(predicted_for) else None
        draft = RecordDraft(line, text, annotator, None, key, index, prediction=version)
        _fill(draft, prediction["result"], f"{line}.p{number}.", f"{MODEL}{version}")
        drafts.append(draft)
    return drafts


def _fill(draft: RecordDraft, result: list[Any], prefix: str, source: str | None) -> None:
    """Regions first, then what refers to them: attributes, relations, target sentiment."""
    entities: dict[str, SpanDraft] = {}
    claims: dict[str, SpanDraft] = {}
    for item in result:
        if item.get("from_name") in ("label", "claim"):
            span = _span(item, prefix, source)
            (entities if item["from_name"] == "label" else claims)[item["id"]] = span
    draft.entities, draft.claims = list(entities.values()), list(claims.values())
    for claim in draft.claims:
        claim.attributes = {"attribution": None, "claimant": None, "checkworthy": None}
    for item in result:
        if item.get("type") == "relation":
            _relate(draft, claims, entities, item)
        elif item.get("from_name") not in ("label", "claim"):
            _describe(draft, claims, entities, item, source)


def _span(item: dict[str, Any], prefix: str, source: str | None) -> SpanDraft:
    value = item["value"]
    (label,) = value["labels"]
    text = value.get("text")
    checked = None if text is None else encodable(text, "value.text")
    return SpanDraft(
        value["start"], value["end"], label, checked, prefix + str(item["id"]), source=source
    )


def _describe(
    draft: RecordDraft,
    claims: dict[str, SpanDraft],
    entities: dict[str, SpanDraft],
    item: dict[str, Any],
    source: str | None,
) -> None:
    """A choice or text: the paragraph's sentiment, or an attribute of a region."""
    control, value = item["from_name"], item["value"]
    if control == "sentiment":
        (draft.sentiment,) = value["choices"]
        draft.sentiment_source = source
    elif control == "entity_sentiment":
        entity = _described(entities, item)
        (label,) = value["choices"]
        draft.targets.append((entity.old_id, label))
        draft.target_sources[entity.old_id] = source
    elif control in ("attribution", "checkworthy"):
        (_described(claims, item).attributes[control],) = value["choices"]
    elif control == "claimant":
        attributes = _described(claims, item).attributes
        words = encodable(" ".join(value["text"]), "claimant")
        attributes["claimant"] = {**(attributes["claimant"] or {"entity_id": None}), "text": words}
    else:
        raise ValueError(f"{control!r} is not a control of our labeling config")


def _described(regions: dict[str, SpanDraft], item: dict[str, Any]) -> SpanDraft:
    if item.get("id") not in regions:
        raise ValueError(f"{item['from_name']} result {item.get('id')!r} has no region to describe")
    return regions[item["id"]]


def _relate(
    draft: RecordDraft,
    claims: dict[str, SpanDraft],
    entities: dict[str, SpanDraft],
    item: dict[str, Any],
) -> None:
    """A relation between a claim and an entity, drawn either way, names the claimant."""
    ends = (item["from_id"], item["to_id"])
    claim = next((claims[e] for e in ends if e in claims), None)
    entity = next((entities[e] for e in ends if e in entities), None)
    if claim is None or entity is None:
        return  # no claimant link: nothing of ours to read from it
    current = claim.attributes["claimant"] or {"text": ""}
    text = current["text"] or draft.text[entity.start : entity.end]
    claim.attributes["claimant"] = {"entity_id": entity.old_id, "text": text}


def _names(data: dict[str, Any], key: str) -> list[Any]:
    """The names our export lists in data[key], one per annotation (null for gold)."""
    names = data.get(key) or []
    if not isinstance(names, list):
        raise ValueError(f"'data.{key}' must be a list of names")
    return names
