"""Where the comparison's import spends its time, in the parts no cut to our own code removes
(docs/benchmarks.md, eighth pass): the two processes' start, SQLite's own calls and the
decoding of the JSON lines, added up against the budget of ten times doccano's import.

For each of the comparison's two commands (`annotator import ARTICLES`, then `annotator
import ANNOTATIONS --as-annotator anna`, on a fresh instance, as bench.import_pair runs them):

- the whole command, its wall time;
- its SQLite calls: the driver's execute, executemany and commit, timed inside the command by
  wrappers around annotator.sqlite_writes' cursor and connection (the calls every statement
  and commit of the import goes through);
- its start and exit: the same command on the file's first line alone (one article; one
  record about it), on another fresh instance (its own few statements and commit included,
  a few milliseconds counted twice in the floor);
- decoding the file's lines with the standard library's JSON reader, in this process.

Usage: python -m bench.import_parts [--data /tmp/peers-ours/data] [--articles 2000]
                                    [--paragraphs 12] [--runs 3] [--doccano D.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cli_runs import _env, run
from bench.import_pair import DATA, DOCCANO_SECONDS, TARGET_RATIO, _files, doccano_seconds

#: The command, with annotator.sqlite_writes' calls timed; the totals go to the file that
#: BENCH_SQLITE_TIMES names when the command exits.
TIMED_COMMAND = """
import atexit, json, os, time
from annotator import sqlite_writes as writes

totals = {"execute": 0.0, "executemany": 0.0, "commit": 0.0}

def timed(name, call):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - started
    return wrapper

writes._QueuedCursor.execute = timed("execute", writes._QueuedCursor.execute)
writes._QueuedCursor.executemany = timed("executemany", writes._QueuedCursor.executemany)
writes.QueuedWriterConnection.commit = timed("commit", writes.QueuedWriterConnection.commit)

def report():
    with open(os.environ["BENCH_SQLITE_TIMES"], "w") as out:
        json.dump(totals, out)

atexit.register(report)
from annotator.cli import main
main()
"""

PARTS = ("whole", "start", "execute", "executemany", "commit", "json")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_parts", description=__doc__)
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--doccano", default=None, help="the peers harness's doccano JSON")
    args = parser.parse_args()
    doccano = doccano_seconds(Path(args.doccano)) if args.doccano else DOCCANO_SECONDS
    print(f"Load average at start: {' '.join(map(str, os.getloadavg()))}")
    with tempfile.TemporaryDirectory(prefix="annotator-parts-") as name:
        folder = Path(name)
        files = _files(Path(args.data), folder, args.articles, args.paragraphs)
        firsts = [_first_line(path, folder) for path in files]
        runs = [_measure(files, firsts, folder / f"run-{k}") for k in range(args.runs)]
    report(runs, doccano)


def _first_line(path: Path, folder: Path) -> Path:
    first = folder / f"first-{path.name}"
    with path.open("rb") as source:
        first.write_bytes(source.readline())
    return first


def _measure(files: tuple[Path, Path], firsts: list[Path], folder: Path) -> dict[str, Any]:
    """One run: both commands whole, timed inside; both on their first line; the JSON."""
    whole = _pair(list(files), folder / "whole", timed=True)
    start = _pair(firsts, folder / "start", timed=False)
    return {
        step: {**whole[step], "start": start[step]["whole"], "json": _decoding(path)}
        for step, path in zip(("articles", "annotations"), files, strict=True)
    }


def _pair(paths: list[Path], instance: Path, timed: bool) -> dict[str, dict[str, float]]:
    env = _env(instance)
    run(["db", "upgrade"], env)
    run(["user", "create", "anna", "--role", "annotator", "--generate"], env)
    figures = {}
    for step, path in zip(("articles", "annotations"), paths, strict=True):
        extra = ["--as-annotator", "anna"] if step == "annotations" else []
        figures[step] = _command(["import", str(path), *extra], env, instance, timed)
    return figures


def _command(args: list[str], env: dict[str, str], instance: Path, timed: bool) -> dict[str, float]:
    if not timed:
        return {"whole": run(args, env)["wall_s"]}
    times = instance / "sqlite-times.json"
    env = dict(env, BENCH_SQLITE_TIMES=str(times))
    command = [sys.executable, "-c", TIMED_COMMAND]
    whole = run(args, env, command)["wall_s"]
    return {"whole": whole, **json.loads(times.read_text(encoding="utf-8"))}


def _decoding(path: Path) -> float:
    """Seconds to decode every line of the file with the standard library's reader."""
    with path.open("rb") as handle:
        lines = [line for line in handle if line.strip()]
    started = time.perf_counter()
    for line in lines:
        json.loads(line)
    return time.perf_counter() - started


def report(runs: list[dict[str, Any]], doccano: float) -> None:
    """Medians of the runs, each command's parts, and the floor the parts add up to."""
    print(f"\n{'seconds':<12}" + "".join(f"{part:>12}" for part in PARTS))
    floor = 0.0
    for step in ("articles", "annotations"):
        medians = {part: statistics.median(r[step][part] for r in runs) for part in PARTS}
        print(f"{step:<12}" + "".join(f"{medians[part]:12.3f}" for part in PARTS))
        floor += sum(medians[part] for part in PARTS if part != "whole")
    whole = sum(statistics.median(r[step]["whole"] for r in runs) for step in runs[0])
    budget = doccano / TARGET_RATIO
    print(
        f"both commands {whole:.2f} s; their starts, SQLite and JSON decoding alone "
        f"{floor:.2f} s; ten times doccano's {doccano:.2f} s is {budget:.2f} s"
    )


if __name__ == "__main__":
    main()
