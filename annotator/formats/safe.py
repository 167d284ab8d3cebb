"""JSON output shared by every writer."""

from __future__ import annotations

import json
from typing import Any


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_line(record: Any) -> str:
    """One JSONL line."""
    return json_text(record) + "\n"
