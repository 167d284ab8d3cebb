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
    batch as before; the collector still runs, for any cycle a batch makes, even where the
    command started with it off (annotator.cli.LOADING)."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.freeze()
    gc.set_threshold(LOADING_THRESHOLD, *threshold[1:])
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
        if not enabled:
            gc.disable()


class Collections:
    """A full collection after every `every` batches of a load.

    Under LOADING_THRESHOLD the cycles a batch leaves behind (SQLAlchemy's statements and
    their parameters, among others) survive to the oldest generation, which Python collects
    only once it has grown by a quarter: garbage that grew with the file (the annotation
    import's peak: 68 MB at 1x the corpus, 76 MB at 4x). With the start frozen, a full
    collection walks only what the load holds, a few milliseconds: flat memory for less CPU
    than the noise of a run (issue 13)."""

    def __init__(self, every: int) -> None:
        self.every, self.batches = every, 0

    def batch_done(self) -> None:
        self.batches += 1
        if self.batches % self.every == 0:
            gc.collect()
