"""Label keys never take a key the workspace uses itself (static/js/keymap.js), so no key
has two meanings: a label key can never set a sentiment, switch a mode or accept a suggestion."""

import copy
import re
from pathlib import Path

import pytest

from annotator.schema import DEFAULT_SCHEMA, KEYS, SchemaError, validate_schema

KEYMAP = Path(__file__).resolve().parents[1] / "static" / "js" / "keymap.js"


def with_key(key: str) -> dict[str, object]:
    schema = copy.deepcopy(DEFAULT_SCHEMA)
    schema["entities"][0]["key"] = key
    return schema


@pytest.mark.parametrize("key", list("qwertacbjkxz"))
def test_the_workspaces_own_letters_are_refused_as_label_keys(key: str) -> None:
    with pytest.raises(SchemaError) as refused:
        validate_schema(with_key(key))
    assert refused.value.field == "entities[0].key"


@pytest.mark.parametrize("key", ["1", "g", "l", "y"])
def test_digits_and_free_letters_are_label_keys(key: str) -> None:
    assert validate_schema(with_key(key))["entities"][0]["key"] == key


def test_the_server_and_the_workspace_agree_on_the_reserved_letters() -> None:
    source = KEYMAP.read_text(encoding="utf-8")
    sentiment = re.search(r"SENTIMENT_KEYS = \[([^\]]*)\]", source)
    commands = re.search(r"COMMAND_KEYS = new Set\(\[([^\]]*)\]", source)
    assert sentiment and commands
    reserved = set(re.findall(r'"(\w)"', sentiment.group(1) + commands.group(1)))
    assert reserved == set("qwertabcjkxz")
    assert not reserved & KEYS


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "PERSON\n"), ("color", "#1f77b4\n"), ("name", "PERSON\r\n")],
)
def test_names_and_colours_are_checked_to_their_very_end(field: str, value: str) -> None:
    """Python's $ matches before a final newline; a label "PERSON\n" would be a second
    PERSON that no export consumer tells apart."""
    schema = copy.deepcopy(DEFAULT_SCHEMA)
    schema["entities"][0][field] = value
    with pytest.raises(SchemaError) as refused:
        validate_schema(schema)
    assert refused.value.field == f"entities[0].{field}"


def test_list_values_are_checked_to_their_very_end() -> None:
    schema = copy.deepcopy(DEFAULT_SCHEMA)
    schema["sentiment"] = [*schema["sentiment"], "sarcastic\n"]
    with pytest.raises(SchemaError) as refused:
        validate_schema(schema)
    assert refused.value.field == "sentiment"
