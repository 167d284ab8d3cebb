"""Settings for a process that loads many rows at once (the `annotator import` command)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Young objects between collections while loading: a batch makes hundreds of thousands of
#: short-lived dicts and tuples, and the default (700) collects after every few records.
LOADING_THRESHOLD = 50_000


@contextmanager
def bulk_load() -> Iterator[None]:
    """Cyclic garbage collection tuned for a bulk load, then restored.

    An import allocates a few objects per annotation and keeps almost none; with the default
    thresholds the collector ran hundreds of times and rescanned every module, ORM mapper and
    compiled statement alive since start: a fifth of an annotation import's CPU (issue 13).
    Freezing what exists at start takes those out of every scan; a higher threshold collects
    less often. Reference counting still frees what each batch drops, so memory follows the
    batch as before; the collector still runs, for any cycle a batch makes."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(LOADING_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
