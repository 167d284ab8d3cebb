"""The `annotator` console script: the fresh-start commands without Flask when they can be
(annotator.quickstart: a tenth of the time), `import` without Flask when it can be
(annotator.standalone), every command through Flask otherwise."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Entry point of the `annotator` console script."""
    if sys.argv[1:2] == ["serve"]:
        # No garbage collection while the server imports and builds the app: a quarter of
        # its start went to collections. annotator.server turns it back on once the app is
        # built (keep_startup_objects).
        gc.disable()
    from annotator import quickstart

    if quickstart.run(sys.argv[1:]):
        return
    from annotator import standalone  # imports click, which the commands above do without

    if standalone.run(sys.argv[1:]):
        return
    from annotator.commands import cli

    cli()(prog_name="annotator")


if __name__ == "__main__":
    main()
