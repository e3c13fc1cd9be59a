"""The ``kerasnotes`` command: ``doctor``, ``run`` and ``migrate``.

Example:
    >>> from kerasnotes.cli import main
    >>> main(["--version"])
    kerasnotes 0.1.0
    0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from kerasnotes import __version__

__all__ = ["build_parser", "main"]

_MIGRATE_HELP = "report Keras 1/2 and TF 1.x idioms in .py/.ipynb files (its own options follow)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kerasnotes`` (``migrate``'s own options are its module's)."""
    parser = argparse.ArgumentParser(
        prog="kerasnotes",
        description="Run and check the kerasnotes course: classic Keras notes on Keras 3.",
        epilog="Start with `kerasnotes doctor`, then `kerasnotes run`.",
    )
    parser.add_argument("--version", action="version", version=f"kerasnotes {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{doctor,run,migrate}")
    sub.required = True

    doctor = sub.add_parser("doctor", help="check that this machine can run the course")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    doctor.add_argument(
        "--timeout",
        type=_positive_float,
        default=60.0,
        help="seconds allowed for importing TensorFlow in the probe (default 60)",
    )

    run = sub.add_parser(
        "run",
        help="execute notebooks and render the course into build/",
        description="Execute notebooks in a Jupyter kernel; write executed copies, HTML pages, "
        "index.html and summary.json to the output folder. Exit status 1 if any notebook failed.",
    )
    run.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="notebooks or folders (default: notebooks/)",
    )
    run.add_argument(
        "--timeout",
        type=_positive_float,
        default=300.0,
        help="seconds allowed per notebook (default 300)",
    )
    run.add_argument(
        "--output", "-o", default="build", metavar="DIR", help="output folder (default build/)"
    )
    run.add_argument(
        "--allow-downloads",
        action="store_true",
        help="do not set KERASNOTES_OFFLINE=1 in the kernel (lessons may then download data)",
    )
    run.add_argument("--no-html", action="store_true", help="skip the HTML pages and index.html")

    sub.add_parser("migrate", help=_MIGRATE_HELP, add_help=False)
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds, received {text!r}"
        ) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(
            f"expected a positive number of seconds, received {text!r}"
        )
    return value


def _migrate(args: list[str]) -> int:
    try:
        module = importlib.import_module("kerasnotes.migrate")
    except ModuleNotFoundError as exc:
        if exc.name not in ("kerasnotes.migrate", None):
            print(
                f"kerasnotes migrate: a module it needs is missing: {exc}. "
                "Reinstall with: python -m pip install -e .",
                file=sys.stderr,
            )
            return 1
        print(
            "kerasnotes migrate is not available: this installation has no kerasnotes/migrate/ package. "
            "Update your checkout (git pull) and reinstall with: python -m pip install -e .",
            file=sys.stderr,
        )
        return 1
    entry = getattr(module, "main", None)
    if not callable(entry):
        print(
            "kerasnotes migrate is not available: kerasnotes.migrate defines no main(argv).",
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


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kerasnotes`` console script; returns the exit status."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``kerasnotes migrate src | head``): stop quietly, as
        # Unix tools do, and keep Python from complaining again when it flushes stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "migrate":
        # migrate parses its own options: pass everything after the word through untouched
        return _migrate(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (status 2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2

    if args.command == "doctor":
        from kerasnotes.course import doctor

        report = doctor.run_checks(args.timeout)
        if args.json:
            import json

            print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(report.format())
        return report.exit_code

    if args.command == "run":
        from kerasnotes.course import runner

        missing = runner.missing_course_packages()
        if missing:
            print(
                f"kerasnotes run needs {', '.join(missing)}, which is not installed. Fix: "
                f'{sys.executable} -m pip install -e ".[course]"   (from the kerasnotes folder)',
                file=sys.stderr,
            )
            return 1
        paths = runner.expand_paths(args.notebooks)
        if not paths:
            where = args.notebooks or ["notebooks/"]
            print(f"kerasnotes run: no notebooks found in {' '.join(where)}", file=sys.stderr)
            return 1
        print(
            f"kerasnotes run: {len(paths)} notebook(s) -> {args.output}/ (timeout {args.timeout:g} s each)"
        )
        results = runner.run_notebooks(
            paths,
            args.output,
            args.timeout,
            allow_downloads=args.allow_downloads,
            render_html=not args.no_html,
        )
        failed = [r for r in results if not r.ok]
        total = sum(r.seconds for r in results)
        print(f"{len(results) - len(failed)} ok, {len(failed)} failed, {total:.0f} s in all.")
        for result in failed:
            print("\n" + result.report(), file=sys.stderr)
        if not args.no_html:
            print(f"Course page: {args.output}/index.html")
        return 1 if failed else 0

    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse catches it
    return 2
