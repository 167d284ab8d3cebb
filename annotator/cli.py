"""The `annotator` console script: the fresh-start commands without Flask when they can be
(annotator.quickstart: a tenth of the time), `import` without Flask when it can be
(annotator.standalone), every command through Flask otherwise."""

from __future__ import annotations

import gc
import sys

#: Commands that run until stopped: no garbage collection while they import and build the
#: app (a quarter of their start went to collections); each calls started() once built.
LONG_RUNNING = ("serve", "worker")
#: Commands that start the same way and turn collection on for their load (loading.bulk_load):
#: a tenth of an import's start went to collecting what its imports had just built.
LOADING = ("import",)


def main() -> None:
    """Entry point of the `annotator` console script."""
    if sys.argv[1:2] and sys.argv[1] in LONG_RUNNING + LOADING:
        gc.disable()
    from annotator import quickstart

    if quickstart.run(sys.argv[1:]):
        return
    from annotator import standalone  # imports click, which the commands above do without

    if standalone.run(sys.argv[1:]):
        exiting()
        return
    from annotator.commands import cli

    cli()(prog_name="annotator")


def started() -> None:
    """Put what the start built out of the garbage collector's sight, then let it run again.

    A collection walks every object the collector tracks: during a start, that is the whole
    of Flask, SQLAlchemy and the app, walked again and again as they are imported. Frozen,
    they are never walked again, in this process or in the server's workers forked from it,
    which then share their memory pages instead of copying those a collection writes to (the
    recipe of gc.freeze's documentation). They live as long as the process anyway."""
    gc.freeze()
    gc.enable()


def exiting() -> None:
    """Put what a finished command leaves out of the garbage collector's sight, as the
    process is about to end.

    Python collects garbage as it exits, and that collection walks every object still
    alive, the modules' whole graph included, only for the process to end (bulk_load
    unfroze the start): 150M instructions after an import of 3,000 lines, a twentieth of
    its CPU. Frozen objects are left out; the memory is the system's again all the same.
    Nothing an import leaves needs a finaliser: its session is closed and its engine
    disposed before run() returns."""
    gc.freeze()


if __name__ == "__main__":
    main()
