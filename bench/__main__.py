"""Fresh start and annotation import through the real `annotator` command; generate the
corpus at 1x and 4x, load it, and time every export in its own process; then load a corpus
that three annotators all finished and time the project's agreement.

Usage: python -m bench [--articles 2000] [--paragraphs 12] [--scales 1,4]
                       [--parts start,requests,import,export,agreement]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FORMATS = ["native", "spacy", "doccano", "labelstudio", "conll"]
TARGET_SECONDS = 2.0
TARGET_MB = 150.0
AGREEMENT_SECONDS = 5.0
AGREEMENT_MB = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=12)
    parser.add_argument("--scales", default="1,4", help="Export corpus sizes, in --articles.")
    parser.add_argument("--parts", default="start,requests,import,export,agreement")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    print(_machine())
    print(f"Load average at start: {_load_average()} (wall times inflate with it; CPU does less)")
    if "start" in parts:
        _run_start()
    if "requests" in parts:
        _run_requests(args.articles, args.paragraphs)
    if "import" in parts:
        for scale in (int(s) for s in args.scales.split(",")):
            _run_import(scale, args.articles * scale, args.paragraphs)
    if "export" in parts:
        results = []
        for scale in (int(s) for s in args.scales.split(",")):
            results.append(_run_scale(scale, args.articles * scale, args.paragraphs))
        _verdict(results)
    if "agreement" in parts:
        _run_agreement(args.articles, args.paragraphs)


def _machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return (
        f"Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}; SQLite"
    )


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _figures(name: str, run: dict[str, float]) -> str:
    cpu = run.get("cpu_s", run.get("cpu_s_until_stopped", 0.0))
    rss = f", peak RSS {run['peak_rss_mb']:6.1f} MB" if "peak_rss_mb" in run else ""
    return f"{name:<24}{run['wall_s']:7.2f} s wall, {cpu:6.2f} s CPU{rss}"


def _run_start() -> None:
    from statistics import median

    from bench.cli_runs import fresh_start

    runs = fresh_start()
    print("\n== fresh start: db upgrade, user create, serve to the first page (5 runs) ==")
    for figures in runs:
        parts = ("upgrade", "user_create", "serve")
        print(
            "  ".join(f"{name} {figures[name]['wall_s']:.3f} s" for name in parts)
            + f"  = {figures['total_wall_s']:.3f} s wall; CPU "
            + " + ".join(f"{figures[name].get('cpu_s', 0):.3f}" for name in parts[:2])
            + f" (serve's tree until stopped {figures['serve']['cpu_s_until_stopped']:.2f})"
        )
    for name in ("ensure_admin", "upgrade_at_head"):
        print(_figures(name.replace("_", " "), runs[-1][name]))
    total = median(figures["total_wall_s"] for figures in runs)
    verdict = "OK" if total < 1.0 else "MISSED"
    print(f"start in all, median: {total:.2f} s wall (target < 1 s) {verdict}")


def _run_requests(articles: int, paragraphs: int) -> None:
    from bench.requests_run import requests

    figures = requests(articles, paragraphs)
    print(f"\n== requests over HTTP: {articles} articles, `annotator serve` defaults ==")
    for name in ("fetch_ms", "save_ms"):
        p = figures[name]
        print(
            f"{name[:-3]:<24}p50 {p['p50']:6.2f} ms, p95 {p['p95']:6.2f} ms, "
            f"server CPU {p['cpu']:5.2f} ms a request"
        )
    print(
        f"saves per second, 8 clients: {figures['saves_per_second_8_clients']}, "
        f"server CPU {figures['concurrent_save_cpu_ms']:5.2f} ms a save"
    )


def _run_import(scale: int, articles: int, paragraphs: int) -> None:
    """The comparison's two commands (bench.import_pair): the comparison's files when
    they exist, else the same shape generated; each command's figures and their sum."""
    from bench.import_pair import DATA, pair, report

    report(scale, articles, paragraphs, [pair(DATA, articles, paragraphs)])


def _run_scale(scale: int, articles: int, paragraphs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        load = _load(url, articles, paragraphs)
        print(f"\n== {scale}x: {articles} articles x {paragraphs} paragraphs ==")
        print(
            f"import articles:    {load['article_seconds']:7.2f} s "
            f"({load['paragraphs']} paragraphs)"
        )
        print(
            f"load annotations:   {load['annotation_seconds']:7.2f} s "
            f"({load['annotations']} annotations)"
        )
        exports = {fmt: _export(url, fmt) for fmt in FORMATS}
        for fmt, figures in exports.items():
            print(
                f"export {fmt:<12} {figures['seconds']:7.2f} s  peak RSS "
                f"{figures['peak_rss_mb']:6.1f} MB (at start {figures['baseline_mb']:.1f})  "
                f"{figures['bytes'] / 1e6:7.1f} MB written"
            )
        return {"scale": scale, "load": load, "exports": exports}


def _load(url: str, articles: int, paragraphs: int) -> dict[str, Any]:
    from annotator import create_app, database
    from annotator.extensions import db
    from bench.load import load_corpus

    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "benchmark secret key, 32 bytes or longer"}
    )
    with app.app_context():
        started = time.perf_counter()
        database.upgrade()
        figures = load_corpus(articles, paragraphs)
        db.session.remove()
        db.engine.dispose()
    result = dict(figures.__dict__)
    result["total_seconds"] = time.perf_counter() - started
    return result


def _export(url: str, fmt: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.run_export", url, fmt],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def _verdict(results: list[dict[str, Any]]) -> None:
    native = [r["exports"]["native"] for r in results]
    first = results[0]
    ok_time = first["exports"]["native"]["seconds"] < TARGET_SECONDS
    ok_memory = all(n["peak_rss_mb"] < TARGET_MB for n in native)
    growth = native[-1]["peak_rss_mb"] - native[0]["peak_rss_mb"]
    print(
        f"\nnative export at {first['scale']}x: {native[0]['seconds']:.2f} s "
        f"(target < {TARGET_SECONDS} s) {'OK' if ok_time else 'MISSED'}"
    )
    peaks = ", ".join(f"{n['peak_rss_mb']:.1f} MB" for n in native)
    print(
        f"native peak RSS: {peaks} "
        f"(target < {TARGET_MB} MB) {'OK' if ok_memory else 'MISSED'}; "
        f"growth from smallest to largest corpus {growth:+.1f} MB"
    )


def _run_agreement(articles: int, paragraphs: int) -> None:
    from annotator import create_app, database
    from annotator.extensions import db
    from bench.agreement import ANNOTATORS, load_shared_corpus

    print(f"\n== agreement: {articles} articles x {paragraphs} paragraphs x {len(ANNOTATORS)} ==")
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'agreement.db'}"
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "benchmark secret key, 32 bytes or longer"}
        )
        with app.app_context():
            database.upgrade()
            load = load_shared_corpus(articles, paragraphs)
            db.session.remove()
            db.engine.dispose()
        print(
            f"load:               {load['load_seconds']:7.2f} s ({load['annotations']} "
            f"annotations, {load['spans']} spans)"
        )
        output = subprocess.run(
            [sys.executable, "-m", "bench.agreement", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    ok = figures["seconds"] < AGREEMENT_SECONDS and figures["peak_rss_mb"] < AGREEMENT_MB
    print(
        f"agreement:          {figures['seconds']:7.2f} s  "
        f"peak RSS {figures['peak_rss_mb']:6.1f} MB "
        f"(at start {figures['baseline_mb']:.1f})  entity F1 {figures['entity_f1_exact']:.3f}, "
        f"sentiment α {figures['sentiment_alpha_nominal']:.3f}, "
        f"{figures['json_bytes'] / 1e6:.1f} MB of JSON"
    )
    print(
        f"agreement target < {AGREEMENT_SECONDS} s and < {AGREEMENT_MB} MB: "
        f"{'OK' if ok else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
