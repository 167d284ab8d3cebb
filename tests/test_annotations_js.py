"""The workspace's pure JavaScript (offsets, snapping, store, undo, save queue) via node --test."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node") or "/usr/bin/node"
    assert Path(node).exists(), "node is needed for tests/js (apt-get install nodejs)"
    result = subprocess.run(
        [node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
