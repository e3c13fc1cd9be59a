"""Executing one notebook in a kernel with a wall-clock budget, stoppable by signals.

nbclient's own ``execute`` gives each cell at least a second of timeout, and its
SIGINT/SIGTERM handlers only shut the current kernel down, so the run goes on
with the next notebook. Here the notebook runs in an event loop of our own:
:func:`execute` cancels it when the budget is spent or a signal arrives, then
makes sure the kernel is shut down. :class:`StopSignals` turns the first SIGINT
or SIGTERM of a run into that cancellation (or into :class:`RunInterrupted`
outside a kernel's loop) and ignores the later ones while the run cleans up.

Example:
    >>> env = kernel_env(allow_downloads=False)
    >>> env["KERASNOTES_OFFLINE"], env["TF_CPP_MIN_LOG_LEVEL"]
    ('1', '3')
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from nbclient import NotebookClient
    from typing_extensions import TypeVarTuple, Unpack

    from kerasnotes.course.notebook_run import Result

    _Ts = TypeVarTuple("_Ts")  # asyncio's signature for add_signal_handler

__all__ = ["SIGNAL_NAMES", "RunInterrupted", "StopSignals", "execute", "kernel_env"]

SIGNAL_NAMES: dict[int, str] = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


class RunInterrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error
    """SIGINT or SIGTERM stopped the run; ``results`` holds what was finished (and written)."""

    def __init__(self, signum: int, results: list[Result] | None = None):
        super().__init__(signum)
        self.signum = signum
        self.results = results or []


class StopSignals:
    """SIGINT/SIGTERM while a run is in progress: remember the first, stop the run.

    Inside a kernel's event loop, ``on_signal`` cancels the execution (the loop
    then shuts the kernel down); elsewhere the handler raises :class:`RunInterrupted`.
    Later signals are ignored while the run cleans up.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self.on_signal: Callable[[], object] | None = None
        self._previous: dict[int, object] = {}

    def install(self) -> None:
        """Handle SIGINT and SIGTERM (main thread only; elsewhere, do nothing)."""
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread
        for sig in SIGNAL_NAMES:
            self._previous[sig] = signal.signal(sig, self._handle)

    def restore(self) -> None:
        """Put the previous handlers back."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is not None:
            return
        self.signum = signum
        if self.on_signal is not None:
            self.on_signal()
        else:
            raise RunInterrupted(signum)


class _Loop(asyncio.SelectorEventLoop):
    """An event loop that leaves SIGINT/SIGTERM to :class:`StopSignals`.

    nbclient installs its own handlers for them, which shut the kernel down and
    let the run go on with the next notebook; ours stop the run.
    """

    def add_signal_handler(
        self, sig: int, callback: Callable[[Unpack[_Ts]], object], *args: Unpack[_Ts]
    ) -> None:
        if sig in SIGNAL_NAMES:
            return None
        return super().add_signal_handler(sig, callback, *args)

    def remove_signal_handler(self, sig: int) -> bool:
        if sig in SIGNAL_NAMES:
            return False
        return super().remove_signal_handler(sig)


def execute(
    client: NotebookClient,
    env: dict[str, str],
    stderr: IO[str],
    seconds: float,
    signals: StopSignals,
) -> str:
    """Run ``client`` for at most ``seconds``; return "ok", "timeout" or "interrupted".

    nbclient's errors (a failing cell, a dead kernel) are raised. In every case
    the kernel is shut down before returning.
    """
    loop = _Loop()
    asyncio.set_event_loop(loop)
    stopped: list[str] = []
    task = loop.create_task(client.async_execute(env=env, stderr=stderr))

    def stop(why: str) -> None:
        if not stopped and not task.done():
            stopped.append(why)
            client.shutdown_kernel = "immediate"
            task.cancel()

    timer = loop.call_later(max(seconds, 0.0), stop, "timeout")
    signals.on_signal = lambda: loop.call_soon_threadsafe(stop, "interrupted")
    try:
        if signals.signum is not None:
            stop("interrupted")
        try:
            loop.run_until_complete(task)
        except BaseException:
            if not stopped:
                raise
        return stopped[0] if stopped else "ok"
    finally:
        timer.cancel()
        try:
            _shutdown_loop(loop, client)
        finally:
            signals.on_signal = None
            asyncio.set_event_loop(None)
            loop.close()


def _shutdown_loop(loop: asyncio.AbstractEventLoop, client: NotebookClient) -> None:
    """Kill a kernel nbclient left running (stopped during start-up), finish pending tasks."""
    import atexit

    atexit.unregister(client._cleanup_kernel)
    km = getattr(client, "km", None)
    if km is not None:
        try:
            if km.has_kernel:
                loop.run_until_complete(km.shutdown_kernel(now=True))
        except Exception:  # already gone: nothing to shut down
            pass
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


def kernel_env(allow_downloads: bool) -> dict[str, str]:
    """The kernel's environment: this one, offline unless asked, TensorFlow quiet.

    Args:
        allow_downloads: Leave ``KERASNOTES_OFFLINE`` unset.

    Returns:
        A new dict.
    """
    env = dict(os.environ)
    if allow_downloads:
        env.pop("KERASNOTES_OFFLINE", None)  # the Makefile exports it; the user asked otherwise
    else:
        env["KERASNOTES_OFFLINE"] = "1"
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"  # TensorFlow's C++ log: errors only
    # ipykernel exits within a second when this process goes away (even by SIGKILL).
    env["JPY_PARENT_PID"] = str(os.getpid())
    # Let ipykernel choose its inline backend, so plots land in the executed
    # notebook and its HTML page (a leftover MPLBACKEND=Agg would drop them).
    env.pop("MPLBACKEND", None)
    return env
