"""Print doccano and annotator side by side from one run of the peers harness on one machine.

    ../shared/peers/run.sh doccano --articles 2000            # writes results/doccano_2000x12.json
    python ../shared/peers/ours_real.py --articles 2000        # writes results/ours_2000x12.json
    python -m bench.side_by_side results/doccano_2000x12.json results/ours_2000x12.json \
        [--scale results/ours_8000x12.json]

Each row is the issue's measure, doccano's figure, ours, the ratio (doccano / ours: how many
times faster we are) and the target ratio. Medians of the runs each file holds.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: (measure, doccano's figure, ours, target ratio); a figure is a function of the JSON.
Getter = Callable[[dict[str, Any]], float | None]


def _step(*path: str) -> Getter:
    def get(result: dict[str, Any]) -> float | None:
        value: Any = result.get("steps", {})
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return float(value) if isinstance(value, int | float) else None

    return get


def _fresh_start_doccano(result: dict[str, Any]) -> float | None:
    init, up = result.get("init_s"), result.get("startup_s")
    return float(init) + float(up) if init is not None and up is not None else None


def _field(name: str) -> Getter:
    return lambda result: float(result[name]) if result.get(name) is not None else None


ROWS: list[tuple[str, Getter, Getter, float, bool]] = [
    # measure, doccano, ours, target ratio, higher_is_better
    (
        "import with annotations, s",
        _step("import", "median_wall_s"),
        _step("import", "median_wall_s"),
        10,
        False,
    ),
    (
        "export all as JSONL, s",
        _step("export", "JSONL", "median_wall_s"),
        _step("export", "native", "median_wall_s"),
        10,
        False,
    ),
    (
        "fetch a paragraph with its annotations p50, ms",
        _step("get_example_and_spans", "median_p50_ms"),
        _step("get_task", "median_p50_ms"),
        5,
        False,
    ),
    (
        "  p95, ms",
        _step("get_example_and_spans", "median_p95_ms"),
        _step("get_task", "median_p95_ms"),
        5,
        False,
    ),
    (
        "save one annotation p50, ms",
        _step("post_annotation", "median_p50_ms"),
        _step("post_annotation", "median_p50_ms"),
        5,
        False,
    ),
    (
        "  p95, ms",
        _step("post_annotation", "median_p95_ms"),
        _step("post_annotation", "median_p95_ms"),
        5,
        False,
    ),
    (
        "saves per second, 8 clients",
        _step("post_annotation_concurrent", "median_throughput_rps"),
        _step("post_annotation_concurrent", "median_throughput_rps"),
        5,
        True,
    ),
    ("fresh start to the first page, s", _fresh_start_doccano, _field("fresh_start_s"), 0, False),
]


def ratio(doccano: float | None, ours: float | None, higher_is_better: bool) -> float | None:
    """How many times better we are: doccano/ours for times, ours/doccano for rates."""
    if not doccano or not ours:
        return None
    return ours / doccano if higher_is_better else doccano / ours


def table(doccano: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    lines = [
        f"{'measure':<50} {'doccano':>9} {'ours':>9} {'ratio':>7} {'target':>8}",
    ]
    for measure, theirs, mine, target, higher in ROWS:
        d, o = theirs(doccano), mine(ours)
        r = ratio(d, o, higher)
        goal = f">= {target}x" if target else "< 1 s"
        met = (r is not None and r >= target) if target else (o is not None and o < 1.0)
        lines.append(
            f"{measure:<50} {_num(d):>9} {_num(o):>9} {_num(r, 'x'):>7} {goal:>8}"
            f"  {'met' if met else 'MISSED'}"
        )
    return lines


def memory_lines(ours: dict[str, Any], label: str) -> list[str]:
    """Peak memory of our import and native export, to show it flat in corpus size."""
    steps = ours.get("steps", {})
    runs = steps.get("import", {}).get("runs", [])
    exports = steps.get("export", {}).get("native", {})
    peak_import = max((r.get("rss_peak_sampled_mib") or 0 for r in runs), default=None)
    imported = _step("import", "median_wall_s")(ours)
    return [
        f"{label}: {ours.get('tasks')} paragraphs; import {_num(imported)} s"
        f" (peak {_num(peak_import)} MiB); native export {_num(exports.get('median_wall_s'))} s"
        f" (server peak {_num(exports.get('median_peak_rss_mib'))} MiB)"
    ]


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:.2f}{unit}" if value < 100 else f"{value:.0f}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.side_by_side", description=__doc__)
    parser.add_argument("doccano", type=Path)
    parser.add_argument("ours", type=Path)
    parser.add_argument(
        "--scale",
        type=Path,
        action="append",
        default=[],
        help="Another of our results (e.g. 4x, --import-export-only) for memory.",
    )
    args = parser.parse_args()
    doccano = json.loads(args.doccano.read_text())
    ours = json.loads(args.ours.read_text())
    print(
        f"doccano {doccano.get('version', '?')} started {doccano.get('started')}; "
        f"annotator {ours.get('git_commit', '?')[:8]} started {ours.get('started')}"
    )
    print("\n".join(table(doccano, ours)))
    for path in [args.ours, *args.scale]:
        print("\n".join(memory_lines(json.loads(path.read_text()), path.name)))


if __name__ == "__main__":
    main()
