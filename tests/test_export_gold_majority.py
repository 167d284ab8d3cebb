"""prefer=gold and majority=K: the expected records of tests/gold_support.py's case, written
out by hand; every format takes them; bad values are a 400 (a usage error in the CLI)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from annotator.export.filters import FilterError, parse_filters
from tests.conftest import Auth
from tests.gold_support import FIRST, SECOND, build_case
from tests.test_export_support import jsonl_lines
from tests.test_input_hygiene import rows

EXPORT = "/projects/default/export"
JSON = {"Accept": "application/json"}


@pytest.fixture
def case(app: Flask, users: dict[str, int]) -> dict[str, int]:
    return build_case(app)


def brief(record: dict[str, Any]) -> dict[str, Any]:
    """What a record says, without times and article details."""
    return {
        "article": record["article"]["title"],
        "paragraph": record["paragraph_index"],
        "annotator": record["annotator"],
        "gold": record["gold"],
        "status": record["status"],
        "entities": [(e["id"], e["text"], e["label"]) for e in record["entities"]],
        "claims": [
            (c["id"], c["text"], c["type"], c["attribution"], c["checkworthy"], c["claimant"])
            for c in record["claims"]
        ],
        "sentiment": record["sentiment"]
        and {
            "label": record["sentiment"]["label"],
            "targets": [(t["entity_id"], t["label"]) for t in record["sentiment"]["targets"]],
        },
    }


def export(auth: Auth, **params: str) -> list[dict[str, Any]]:
    response = auth.client.get(EXPORT, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [brief(r) for r in jsonl_lines(response.data)]


def gold_ids(app: Flask, case: dict[str, int]) -> list[int]:
    """Gold rows in creation order: alice, paris, monday, claim, sentiment, target, p1."""
    first = case["gold_alice"]
    return list(range(first, first + 7))


def test_majority_of_two_keeps_what_two_of_three_agree_on(auth: Auth, case: dict[str, int]) -> None:
    auth.login("rita")
    anna_alice, anna_paris = case["anna_alice"], case["anna_paris"]
    claimant = {"entity_id": anna_alice, "text": "Alice"}
    records = export(auth, majority="2")
    assert records == [
        {
            "article": "Talks",
            "paragraph": 0,
            "annotator": "majority",
            "gold": False,
            "status": "in_progress",  # cleo has not finished
            "entities": [
                (anna_alice, "Alice", "PERSON"),  # anna and bob; cleo said ORG
                (anna_paris, "Paris", "GPE"),  # all three
                (records[0]["entities"][2][0], "Monday", "DATE"),  # bob and cleo
            ],
            # anna and bob: factual; checkworthy yes against no is a tie, so null
            "claims": [(records[0]["claims"][0][0], FIRST, "factual", "reported", None, claimant)],
            # neutral twice against negative; Paris positive twice against negative once.
            # anna alone felt negative about Alice: not kept
            "sentiment": {"label": "neutral", "targets": [(anna_paris, "positive")]},
        },
        {
            "article": "Talks",
            "paragraph": 1,
            "annotator": "majority",
            "gold": False,
            "status": "in_progress",
            "entities": [],
            "claims": [],
            "sentiment": None,  # positive against negative: a tie
        },
        # "Weather" has one annotator: no majority of two is possible, so no records
    ]
    monday = records[0]["entities"][2][0]
    assert monday not in (anna_alice, anna_paris) and records[0]["claims"][0][0] > monday


def test_majority_counts_only_annotators_the_other_filters_keep(
    auth: Auth, case: dict[str, int]
) -> None:
    auth.login("admin")
    records = export(auth, majority="2", status="done")  # anna and bob
    first = records[0]
    assert first["status"] == "done"
    assert [e[1:] for e in first["entities"]] == [("Alice", "PERSON"), ("Paris", "GPE")]
    everyone = export(auth, majority="3")
    assert [(r["paragraph"], r["entities"], r["claims"], r["sentiment"]) for r in everyone] == [
        (0, [(case["anna_paris"], "Paris", "GPE")], [], None),
        (1, [], [], None),
    ]
    assert export(auth, majority="4") == []


def test_majority_of_one_is_everything_anyone_marked(auth: Auth, case: dict[str, int]) -> None:
    auth.login("admin")
    records = export(auth, majority="1")
    assert [(r["article"], r["paragraph"]) for r in records] == [
        ("Talks", 0),
        ("Talks", 1),
        ("Weather", 0),
    ]
    labels = [e[1:] for e in records[0]["entities"]]
    assert labels == [
        ("Alice", "PERSON"),  # anna's (and bob's): the earlier id comes first
        ("Alice", "ORG"),  # cleo's
        ("Bob", "PERSON"),
        ("Paris", "GPE"),
        ("Monday", "DATE"),
    ]
    assert [c[2] for c in records[0]["claims"]] == ["factual", "opinion"]
    assert records[2]["entities"] == [(case["oslo"], "Oslo", "GPE")]


def test_prefer_gold_takes_adjudicated_gold_and_everyone_else_elsewhere(
    app: Flask, auth: Auth, case: dict[str, int]
) -> None:
    auth.login("rita")
    alice, paris, monday, claim, _, _, _ = gold_ids(app, case)
    claimant = {"entity_id": alice, "text": "Alice"}
    gold = {"annotator": None, "gold": True, "status": "done", "claims": [], "entities": []}
    assert export(auth, prefer="gold") == [
        {
            **gold,
            "article": "Talks",
            "paragraph": 0,
            "entities": [
                (alice, "Alice", "PERSON"),
                (paris, "Paris", "GPE"),
                (monday, "Monday", "DATE"),
            ],
            "claims": [(claim, FIRST, "factual", "reported", "yes", claimant)],
            "sentiment": {"label": "neutral", "targets": [(paris, "negative")]},
        },
        {
            **gold,
            "article": "Talks",
            "paragraph": 1,
            "sentiment": {"label": "positive", "targets": []},
        },
        {  # in review: the gold draft (Oslo as LOC) does not count yet
            "article": "Weather",
            "paragraph": 0,
            "annotator": "anna",
            "gold": False,
            "status": "done",
            "entities": [(case["oslo"], "Oslo", "GPE")],
            "claims": [],
            "sentiment": None,
        },
    ]


def test_prefer_gold_by_article_and_count(auth: Auth, case: dict[str, int]) -> None:
    auth.login("admin")
    response = auth.client.get(EXPORT, query_string={"prefer": "gold", "by": "article"})
    records = jsonl_lines(response.data)
    assert [(r["article"]["title"], r["annotator"], len(r["paragraphs"])) for r in records] == [
        ("Talks", None, 2),
        ("Weather", "anna", 1),
    ]
    for params, expected in [({"prefer": "gold"}, 3), ({"majority": "2"}, 2)]:
        count = auth.client.get(f"{EXPORT}/count", query_string=params, headers=JSON)
        assert count.get_json() == {"records": expected}


@pytest.mark.parametrize("params", [{"prefer": "gold"}, {"majority": "2"}])
@pytest.mark.parametrize("fmt", ["native", "spacy", "docbin", "doccano", "labelstudio", "conll"])
def test_every_format_takes_gold_and_majority_records(
    auth: Auth, case: dict[str, int], fmt: str, params: dict[str, str]
) -> None:
    auth.login("admin")
    response = auth.client.get(EXPORT, query_string={**params, "format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)
    name = "majority" if "majority" in params else None
    data = response.data
    if fmt == "docbin":
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        docs = list(DocBin().from_bytes(data).get_docs(Vocab()))
        assert [(e.text, e.label_) for e in docs[0].ents] == [
            ("Alice", "PERSON"),
            ("Paris", "GPE"),
            ("Monday", "DATE"),
        ]
    elif fmt == "labelstudio":
        tasks = json.load(io.BytesIO(data))
        assert tasks[0]["data"]["annotators"] == [name]
        assert tasks[1]["data"]["text"] == SECOND
    elif fmt == "conll":
        text = data.decode()
        assert f"-DOCSTART- one {name or 'gold'} O" in text
        assert "Monday -X- _ B-DATE" in text
    else:
        first = jsonl_lines(data)[0]
        assert "Monday" in json.dumps(first) and json.dumps(name) in json.dumps(first)


BAD = [
    ({"majority": "0"}, "majority", "whole number of annotators, at least 1"),
    ({"majority": "x"}, "majority", "whole number of annotators, at least 1"),
    ({"majority": "-1"}, "majority", "whole number"),
    ({"majority": "1.5"}, "majority", "whole number"),
    ({"majority": "²"}, "majority", "whole number"),
    ({"prefer": "silver"}, "prefer", "must be one of gold"),
    ({"majority": "2", "gold": "true"}, "majority", "cannot be combined with gold"),
    ({"majority": "2", "prefer": "gold"}, "majority", "cannot be combined with prefer"),
    ({"prefer": "gold", "gold": "true"}, "prefer", "cannot be combined with gold"),
]


@pytest.mark.parametrize(("params", "field", "reason"), BAD)
def test_bad_values_are_refused_naming_the_parameter(
    params: dict[str, str], field: str, reason: str
) -> None:
    with pytest.raises(FilterError) as error:
        parse_filters(params)
    assert error.value.field == field and reason in error.value.message


@pytest.mark.parametrize("path", [EXPORT, f"{EXPORT}/count"])
@pytest.mark.parametrize(("params", "field", "reason"), BAD)
def test_bad_values_are_a_400_and_change_nothing(
    app: Flask,
    auth: Auth,
    case: dict[str, int],
    path: str,
    params: dict[str, str],
    field: str,
    reason: str,
) -> None:
    auth.login("admin")
    before = rows(app)
    response = auth.client.get(path, query_string=params, headers=JSON)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and reason in error["message"]
    assert rows(app) == before


def test_an_annotator_may_not_ask_for_gold_in_place_of_work(
    auth: Auth, case: dict[str, int]
) -> None:
    auth.login("anna")
    assert auth.client.get(EXPORT, query_string={"prefer": "gold"}).status_code == 403
    own = export(auth, majority="1")  # a majority of herself: her own work, nobody else's
    assert [e[1] for r in own for e in r["entities"]] == ["Alice", "Bob", "Paris", "Oslo"]


def test_the_command_line_takes_both_and_refuses_bad_values(
    app: Flask, runner: Any, case: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "majority.jsonl"
    result = runner.invoke(args=["export", "--majority", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["annotator"] for r in jsonl_lines(out.read_bytes())] == ["majority", "majority"]
    result = runner.invoke(args=["export", "--prefer", "gold"])
    assert [r["annotator"] for r in jsonl_lines(result.stdout_bytes)] == [None, None, "anna"]
    before = rows(app)
    for options in (["--majority", "0"], ["--prefer", "silver"], ["--majority", "2", "--gold"]):
        bad = tmp_path / "bad.jsonl"
        result = runner.invoke(args=["export", *options, "-o", str(bad)])
        assert result.exit_code == 2 and "Usage:" in result.output
        assert options[0].lstrip("-") + ":" in result.output
        assert not bad.exists()
    assert rows(app) == before
