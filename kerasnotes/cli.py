"""The ``kerasnotes`` command: a dispatcher to each command's own module.

``kerasnotes <command> ARGS`` imports the command's module and calls its
``main(argv) -> int`` with ``ARGS`` untouched; each command has its one parser
there. This module parses only ``--help`` and ``--version``.

Example:
    >>> from kerasnotes.cli import main
    >>> main(["--version"])
    kerasnotes 0.1.0
    0
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
from types import FrameType

from kerasnotes import __version__

__all__ = ["COMMANDS", "main", "usage"]

#: command word -> (module whose ``main(argv)`` runs it, one line of help)
COMMANDS: dict[str, tuple[str, str]] = {
    "doctor": ("kerasnotes.course.doctor", "check that this machine can run the course"),
    "run": ("kerasnotes.course.runner", "execute the notebooks (cached) and build the course site"),
    "table": (
        "kerasnotes.course.notebooks",
        "regenerate the notebook tables of the READMEs (--check: exit 1 if stale)",
    ),
    "migrate": ("kerasnotes.migrate", "report Keras 1/2 and TF 1.x idioms in .py/.ipynb files"),
    "site": ("kerasnotes.course.site", "render the course site from an earlier run's output"),
    "convert": ("kerasnotes.convert", "convert the notes into lesson notebooks"),
}


def usage() -> str:
    """The top-level help text: the usage line and one line per command."""
    width = max(map(len, COMMANDS))
    lines = [
        "usage: kerasnotes [--help] [--version] <command> [ARGS ...]",
        "",
        "Run and check the kerasnotes course: classic Keras notes on Keras 3.",
        "",
        "commands:",
        *(f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()),
        "",
        "`kerasnotes <command> --help` shows a command's options.",
        "Start with `kerasnotes doctor`, then `kerasnotes run`.",
    ]
    return "\n".join(lines)


def _usage_error(message: str) -> int:
    print(
        f"usage: kerasnotes [--help] [--version] <command> [ARGS ...]\nkerasnotes: error: {message}",
        file=sys.stderr,
    )
    return 2


def _dispatch(command: str, args: list[str]) -> int:
    module_name, _ = COMMANDS[command]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name not in (module_name, None):
            print(
                f"kerasnotes {command}: a module it needs is missing: {exc}. "
                "Reinstall with: python -m pip install -e .",
                file=sys.stderr,
            )
            return 1
        print(
            f"kerasnotes {command} is not available: this installation has no {module_name} "
            "module. Update your checkout (git pull) and reinstall with: python -m pip install -e .",
            file=sys.stderr,
        )
        return 1
    entry = getattr(module, "main", None)
    if not callable(entry):
        print(
            f"kerasnotes {command} is not available: {module_name} defines no main(argv).",
            file=sys.stderr,
        )
        return 1
    try:
        code = entry(args)
    except SystemExit as exc:  # its argparse: --help (0) or a usage error (2)
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        return 1
    return int(code or 0)


class _Terminated(BaseException):
    """SIGTERM arrived before a command installed its own handling."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kerasnotes`` console script; returns the exit status.

    Ctrl-C or SIGTERM before a command handles them itself (while its modules are
    imported, say) ends quietly with status 130 or 143, not with a traceback.
    """
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # The reader went away (``kerasnotes migrate src | head``): stop quietly, as
        # Unix tools do, and keep Python from complaining again when it flushes stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("kerasnotes: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except _Terminated:
        print("kerasnotes: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str]) -> int:
    if not argv:
        return _usage_error("a command is required: " + ", ".join(COMMANDS))
    first, rest = argv[0], argv[1:]
    if first in ("-h", "--help"):
        print(usage())
        return 0
    if first == "--version":
        print(f"kerasnotes {__version__}")
        return 0
    if first not in COMMANDS:
        what = "option" if first.startswith("-") else "command"
        return _usage_error(f"unknown {what} {first!r}; choose one of: {', '.join(COMMANDS)}")
    return _dispatch(first, rest)
