"""One export in a fresh process, so its peak RSS is its own: prints JSON figures."""

from __future__ import annotations

import json
import resource
import sys
import time


def main(database_url: str, fmt: str) -> None:
    from annotator import create_app
    from annotator.export.filters import parse_filters
    from annotator.export.service import build_export
    from annotator.extensions import db
    from annotator.projects import ensure_default_project

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "benchmark secret key, 32 bytes or longer"}
    )
    with app.app_context():
        project = ensure_default_project(db.session)
        baseline = _peak_mb()
        started = time.perf_counter()
        export = build_export(db.session, project, parse_filters({"format": fmt}))
        written = lines = 0
        with open("/dev/null", "wb") as sink:
            for chunk in export.chunks:
                sink.write(chunk)
                written += len(chunk)
                lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "format": fmt,
                "seconds": seconds,
                "bytes": written,
                "lines": lines,
                "baseline_mb": baseline,
                "peak_rss_mb": _peak_mb(),
            }
        )
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
