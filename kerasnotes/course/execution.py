"""Executing one notebook in a kernel with a wall-clock budget, stoppable by signals.

nbclient's own ``execute`` gives each cell at least a second of timeout, and its
SIGINT/SIGTERM handlers only shut the current kernel down, so the run goes on
with the next notebook. Here the notebook runs in an event loop of our own:
:func:`execute` cancels it when the budget is spent or a signal arrives, then
makes sure the kernel is shut down. :class:`StopSignals` turns the first SIGINT
or SIGTERM of a run into that cancellation (or into :class:`RunInterrupted`
outside a kernel's loop) and ignores the later ones while the run cleans up.

Several notebooks may execute at once (``kerasnotes run --jobs N``), each in its
own thread with its own event loop and kernel: every running :func:`execute`
registers its own stop with the one :class:`StopSignals`, so a signal stops all
of them.

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

    Every kernel's event loop that is running registers a stop callback
    (:meth:`add`); the first signal calls them all (each loop then shuts its
    kernel down). With none registered, the handler raises :class:`RunInterrupted`,
    unless ``polling`` is set: then the main thread is only waiting for worker
    threads and looks at ``signum`` itself. Later signals are ignored while the
    run cleans up.

    Example:
        >>> signals = StopSignals()
        >>> stops = []
        >>> signals.add(lambda: stops.append("a")); signals.add(lambda: stops.append("b"))
        >>> signals.polling = True
        >>> signals._handle(2, None)
        >>> signals.signum, stops
        (2, ['a', 'b'])
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self.polling = False
        self.aborted = False
        self._callbacks: list[Callable[[], object]] = []
        self._lock = threading.Lock()
        self._previous: dict[int, object] = {}

    def add(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` (from the main thread) when the first signal arrives."""
        with self._lock:
            self._callbacks.append(callback)

    def remove(self, callback: Callable[[], object]) -> None:
        """Stop calling ``callback``; absent callbacks are ignored."""
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

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

    @property
    def stopped(self) -> bool:
        """A signal arrived, or :meth:`stop_running` was called: start no kernel."""
        return self.signum is not None or self.aborted

    def stop_running(self) -> None:
        """Stop every running execution, and any that starts later, without a signal.

        The run calls this when it fails for a reason of its own, so that no kernel
        goes on working for nobody.
        """
        self.aborted = True
        self._call_all()

    def _call_all(self) -> int:
        # A handler runs in the main thread between two bytecodes: never block on the
        # lock here (the main thread may hold it); a worker that registers in the
        # meantime sees ``stopped`` itself.
        callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback()
            except RuntimeError:  # its loop closed meanwhile: that kernel is already done
                pass
        return len(callbacks)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is not None:
            return
        self.signum = signum
        if not self._call_all() and not self.polling:
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

    def on_signal() -> None:
        loop.call_soon_threadsafe(stop, "interrupted")

    signals.add(on_signal)
    try:
        if signals.stopped:  # after add(): a signal in between is not missed
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
            signals.remove(on_signal)
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
    # The runner's own setting: not the lesson's business, and not part of the cache key
    # (a --jobs 2 run serves what a --jobs 1 run cached).
    env.pop("KERASNOTES_JOBS", None)
    # ipykernel exits within a second when this process goes away (even by SIGKILL).
    env["JPY_PARENT_PID"] = str(os.getpid())
    # Let ipykernel choose its inline backend, so plots land in the executed
    # notebook and its HTML page (a leftover MPLBACKEND=Agg would drop them).
    env.pop("MPLBACKEND", None)
    return env
