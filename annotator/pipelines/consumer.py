"""huey's consumer for `annotator worker`, in its own module: importing huey.consumer costs
0.1 s that the commands registered beside `worker` should not pay."""

from __future__ import annotations

import signal
from types import FrameType

from huey.consumer import Consumer


class GracefulConsumer(Consumer):  # type: ignore[misc]
    """huey's consumer, stopping gracefully on SIGTERM as on Ctrl-C, and telling running
    jobs to stop at their next batch (a batch is the unit of work that is committed)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._signal_actions[signal.SIGTERM] = (False, True)  # (restart, graceful)

    def _handle_signal(self, signum: int, frame: FrameType | None) -> None:
        from annotator.pipelines.runner import request_stop

        request_stop()
        super()._handle_signal(signum, frame)
