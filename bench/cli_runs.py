"""Fresh start and annotation import, measured through the real `annotator` command.

Each step runs in its own process on a fresh instance folder and SQLite database: wall time,
CPU time (user + system, steadier than wall time on a shared machine) and peak RSS.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.corpus import articles

ANNOTATOR = [sys.executable, "-c", "from annotator.cli import main; main()"]


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANNOTATOR_INSTANCE_PATH=str(folder),
    )  # database and secret key in the instance folder, as on a real fresh start
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    return env


def run(args: list[str], env: dict[str, str], command: list[str] | None = None) -> dict[str, float]:
    """One command to completion: wall and CPU seconds, peak RSS in MB. `command`: what runs
    the console script's main() (ANNOTATOR unless given)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        (command or ANNOTATOR) + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    assert process.stderr is not None  # stderr=PIPE
    with process.stderr:
        error = process.stderr.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"annotator {' '.join(args)} failed: {error[-2000:]}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def fresh_start(runs: int = 5) -> list[dict[str, Any]]:
    """`runs` times on an empty instance folder, as the comparison harness does: `db
    upgrade`, `user create admin --role admin --generate`, then `serve --workers 2` until
    /login answers; then `make run`'s `user ensure-admin` and `db upgrade` at the head."""
    return [_fresh_start_once() for _ in range(runs)]


def _fresh_start_once() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="annotator-start-") as name:
        folder = Path(name)
        env = _env(folder)
        figures: dict[str, Any] = {
            "upgrade": run(["db", "upgrade"], env),
            "user_create": run(["user", "create", "admin", "--role", "admin", "--generate"], env),
        }
        figures["serve"] = _serve_until_first_page(env)
        figures["total_wall_s"] = round(sum(f["wall_s"] for f in figures.values()), 3)
        figures["ensure_admin"] = run(["user", "ensure-admin", "--username", "boss"], env)
        figures["upgrade_at_head"] = run(["db", "upgrade"], env)
        return figures


def _serve_until_first_page(env: dict[str, str]) -> dict[str, float]:
    port = _free_port()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    server = subprocess.Popen(
        [*ANNOTATOR, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("annotator serve exited") from None
                time.sleep(0.01)
        wall = time.perf_counter() - started
    finally:
        stop(server)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 3), "cpu_s_until_stopped": round(cpu, 3)}


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server we started, by its process group: gracefully, else at once."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_files(folder: Path, count: int, paragraphs: int) -> tuple[Path, Path, int]:
    """The articles as JSONL, and their annotations as doccano JSONL (one line a paragraph)."""
    article_file, annotation_file = folder / "articles.jsonl", folder / "annotations.jsonl"
    spans = 0
    with (
        article_file.open("w", encoding="utf-8") as out_articles,
        annotation_file.open("w", encoding="utf-8") as out_annotations,
    ):
        for draft, plans in articles(count, paragraphs):
            texts = [p.text for p in draft.paragraphs]
            article = {"title": draft.title, "external_id": draft.external_id}
            out_articles.write(json.dumps({**article, "paragraphs": texts}) + "\n")
            for index, plan in enumerate(plans):
                record = _doccano_line(plan, draft.external_id, index)
                spans += len(record["label"])
                out_annotations.write(json.dumps(record, ensure_ascii=False) + "\n")
    return article_file, annotation_file, spans


def _doccano_line(plan: Any, external_id: str | None, index: int) -> dict[str, Any]:
    labels = [
        [_utf16(plan.text, e.start), _utf16(plan.text, e.end), e.label] for e in plan.entities
    ]
    meta = {"external_id": external_id, "paragraph_index": index}
    return {"text": plan.text, "label": labels, "cats": [plan.sentiment], "meta": meta}


def _utf16(text: str, offset: int) -> int:
    """doccano counts in UTF-16 code units, as a browser does."""
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)
