"""Time article import through the real path: `annotator import FOLDER` into a fresh SQLite file.

Two corpora, generated: 2,000 plain-text articles (target under 3 s) and 500 saved web pages
made from the house styles in tests/data/boilerplate/html/ with varied text (target under 30 s,
on one core). Prints figures; it is not a test.

Usage: python -m bench.import_speed [--articles 2000] [--paragraphs 12] [--pages 500]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import paragraph

TEXT_TARGET_SECONDS = 3.0
HTML_TARGET_SECONDS = 30.0
TEMPLATES = Path(__file__).parent.parent / "tests" / "data" / "boilerplate" / "html"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_speed", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=12)
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotator-import-") as folder:
        root = Path(folder)
        if args.articles:
            texts = _write(root / "text", args.articles, lambda i: text_article(i, args.paragraphs))
            timing = _time_import(root / "text.db", texts)
            _report("plain text", texts, timing, TEXT_TARGET_SECONDS)
        if args.pages:
            _one_core()
            pages = _write(root / "html", args.pages, saved_page)
            timing = _time_import(root / "html.db", pages)
            _report("saved pages", pages, timing, HTML_TARGET_SECONDS)


def _one_core() -> None:
    """Pin the process to one core, as the HTML target asks, where the OS allows it."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def text_article(number: int, paragraphs: int) -> tuple[str, bytes]:
    """A plain-text article: a title line, then one generated paragraph per line."""
    rng = random.Random(number)
    body = [paragraph(rng, i).text for i in range(paragraphs)]
    text = "\n".join([f"Generated article {number}", *body]) + "\n"
    return f"article-{number:05d}.txt", text.encode("utf-8")


def saved_page(number: int) -> tuple[str, bytes]:
    """One of the saved pages, its title and article paragraphs replaced by generated text,
    kept in the page's own encoding (characters it cannot hold become character references)."""
    templates = sorted(TEMPLATES.glob("*.html"))
    template = templates[number % len(templates)]
    expected = json.loads(template.with_suffix(".expected.json").read_text("utf-8"))
    raw = template.read_bytes()
    bom, encoding = (b"\xef\xbb\xbf", "utf-8") if raw.startswith(b"\xef\xbb\xbf") else (b"", "")
    encoding = encoding or ("cp1252" if b"iso-8859-1" in raw[:400] else "utf-8")
    markup = raw[len(bom) :].decode(encoding)
    rng = random.Random(number)
    markup = markup.replace(expected["title"], f"{expected['title']} ({number})")
    for index, text in enumerate(expected["paragraphs"]):
        fresh = paragraph(rng, index).text
        markup = markup.replace(html.escape(text, quote=False), html.escape(fresh, quote=False))
    data = bom + markup.encode(encoding, errors="xmlcharrefreplace")
    return f"{template.stem}-{number:04d}.html", data


def _write(folder: Path, count: int, make: Callable[[int], tuple[str, bytes]]) -> Path:
    folder.mkdir()
    for number in range(count):
        name, data = make(number)
        (folder / name).write_bytes(data)
    return folder


def _time_import(database: Path, folder: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds for `annotator import FOLDER` on an upgraded, empty database, and
    its output. CPU time is shown too because other work on a shared machine inflates wall time."""
    from annotator import create_app
    from annotator import database as schema
    from annotator.extensions import db

    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench" * 8})
    with app.app_context():
        schema.upgrade()
        db.session.remove()
    runner = app.test_cli_runner()
    started, cpu = time.perf_counter(), time.process_time()
    result = runner.invoke(args=["import", str(folder)])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return seconds, cpu, result.output.strip().splitlines()[-1]


def _report(what: str, folder: Path, timing: tuple[float, float, str], target: float) -> None:
    seconds, cpu, output = timing
    files = sum(1 for _ in folder.iterdir())
    size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    verdict = "OK" if seconds < target else "MISSED"
    print(f"\n== {what}: {files} files, {size:.1f} MB ==")
    print(output)
    print(
        f"import {what}: {seconds:.2f} s wall, {cpu:.2f} s CPU "
        f"({seconds / files * 1000:.1f} ms a file; target < {target:.0f} s) {verdict}"
    )


if __name__ == "__main__":
    main()
