"""The ``kerasnotes migrate`` command line (``kerasnotes/cli.py`` passes its arguments here).

Example:
    >>> import pathlib, tempfile
    >>> old = pathlib.Path(tempfile.mkdtemp()) / "old.py"
    >>> _ = old.write_text("from keras.optimizers import SGD\\nopt = SGD(lr=0.1)\\n")
    >>> main([str(old), "--format", "github"])  # doctest: +ELLIPSIS
    ::error file=...old.py,line=2,col=11,title=KN401::`lr=` on an optimizer ...
    1
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from kerasnotes.migrate.model import FileReport, Finding
from kerasnotes.migrate.output import FORMATS, Summary, render_github, render_json, render_text
from kerasnotes.migrate.rules import RULES, RULES_BY_ID
from kerasnotes.migrate.scanner import scan_path
from kerasnotes.migrate.sources import DIR_SUFFIXES, MAX_BYTES, walk
from kerasnotes.migrate.target import DEFAULT_KERAS_VERSION, KERAS_VERSIONS, parse_keras_version

__all__ = ["build_parser", "main"]


def _rule_filter(values: list[str] | None, option: str) -> list[str]:
    out = []
    for value in values or []:
        for item in value.split(","):
            item = item.strip().upper()
            if not item:
                continue
            if not re.fullmatch(r"KN\d{0,3}", item) or not any(
                r.startswith(item) for r in RULES_BY_ID
            ):
                raise ValueError(
                    f"{option}: unknown rule id or prefix {item!r}; use ids such as KN401 or a "
                    "prefix such as KN4 (see docs/migrate-rules.md or --list-rules)"
                )
            out.append(item)
    return out


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of bytes, got {text!r}"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kerasnotes migrate`` (its only parser)."""
    parser = argparse.ArgumentParser(
        prog="kerasnotes migrate",
        description="Find Keras 1/2 and TF 1.x idioms in .py files and .ipynb notebooks "
        "(the code is read, never run) and say what replaced each one.",
        epilog="Exit status: 0 nothing found, 1 findings (or inputs that could not be read), "
        "2 usage error.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to scan")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: text; github = workflow annotations)",
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="IDS",
        help="only these rule ids/prefixes (comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="IDS",
        help="skip these rule ids/prefixes (comma-separated)",
    )
    parser.add_argument(
        "--include-demos",
        action="store_true",
        help="also report code inside `with expect_error(...)` / `expect_warning(...)` blocks",
    )
    parser.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=MAX_BYTES,
        help=f"larger .py files are reported, not read (default: {MAX_BYTES}; notebooks: "
        "8 times that, their outputs are never parsed)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe rewrites in place (.py files and notebook cells)",
    )
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff: also apply rewrites that may change behaviour",
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the rewrites as a unified diff and write nothing"
    )
    parser.add_argument(
        "--keras-version",
        default=DEFAULT_KERAS_VERSION,
        metavar="VERSION",
        help=f"the Keras version the code was written for: {', '.join(KERAS_VERSIONS)} (a "
        "patch level such as 2.2.4 works too). Defaults that were already the Keras 3 ones "
        "in it are not reported, and the unsafe fixes pin its defaults (default: "
        f"{DEFAULT_KERAS_VERSION}, the oldest assumption: every changed default is reported; "
        "with 2.3 the LSTM/GRU recurrent_activation of Keras 2.3 is not)",
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    parser.add_argument(
        "--write-rules-doc", metavar="FILE", help="write the Markdown rules table to FILE and exit"
    )
    return parser  # fmt: skip


def _write_rules_doc(target: str) -> int:
    from kerasnotes.migrate.docs import render_rules_doc

    path = Path(target)
    if not path.parent.is_dir():
        print(
            f"kerasnotes migrate: error: --write-rules-doc {target!r}: the folder "
            f"{str(path.parent)!r} does not exist; create it first or pick another path",
            file=sys.stderr,
        )
        return 2
    try:
        path.write_text(render_rules_doc(), encoding="utf-8")
    except OSError as exc:
        print(
            f"kerasnotes migrate: error: cannot write {target!r}: {exc.strerror}", file=sys.stderr
        )
        return 2
    print(f"wrote {target} ({len(RULES)} rules)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``kerasnotes migrate``; returns the exit status.

    Args:
        argv: The arguments after ``kerasnotes migrate`` (default: ``sys.argv[1:]``).

    Returns:
        0 when nothing was found, 1 when a legacy idiom was found or an input could
        not be read, 2 on a usage error (unknown option or rule id, missing path).

    Example:
        >>> import pathlib, tempfile
        >>> old = pathlib.Path(tempfile.mkdtemp()) / "old.py"
        >>> _ = old.write_text("from keras.optimizers import SGD\\nopt = SGD(lr=0.1)\\n")
        >>> main([str(old), "--format", "json"])  # doctest: +ELLIPSIS
        {...KN401...}
        1
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help is 0, usage errors are 2
        return int(exc.code or 0)
    if args.write_rules_doc:
        return _write_rules_doc(args.write_rules_doc)
    if args.list_rules:
        for rule in RULES:
            fix = f"  (fix: {rule.fix.safety})" if rule.fix is not None else ""
            print(
                f"{rule.id}  {rule.severity:<10} {rule.title}: {rule.replacement}"
                f"  [{rule.lesson}]{fix}"
            )
        return 0
    if not args.paths:
        parser.print_usage(sys.stderr)
        print(
            "kerasnotes migrate: error: give at least one file or folder to scan", file=sys.stderr
        )
        return 2
    if args.unsafe_fixes and not (args.fix or args.diff):
        print("kerasnotes migrate: error: --unsafe-fixes needs --fix or --diff", file=sys.stderr)
        return 2
    try:
        keras_version = parse_keras_version(args.keras_version)
    except ValueError as exc:
        print(f"kerasnotes migrate: error: {exc}", file=sys.stderr)
        return 2
    try:
        select = _rule_filter(args.select, "--select")
        ignore = _rule_filter(args.ignore, "--ignore")
        if args.fix or args.diff:
            from kerasnotes.migrate.fix import run_fixes

            return run_fixes(args.paths, write=args.fix and not args.diff,
                             unsafe=args.unsafe_fixes, max_bytes=args.max_bytes,
                             keras_version=keras_version)  # fmt: skip
        start = time.perf_counter()
        reports = scan_path(*args.paths, include_demos=args.include_demos,
                            max_bytes=args.max_bytes, keras_version=keras_version)  # fmt: skip
        seconds = time.perf_counter() - start
        # A folder of notes (.txt, .md) holds nothing a folder scan reads: say so, rather
        # than report "no legacy idioms" about files that were never looked at.
        empty = [p for p in args.paths if Path(p).is_dir() and not any(walk([p]))]
    except (ValueError, FileNotFoundError) as exc:
        print(f"kerasnotes migrate: error: {exc}", file=sys.stderr)
        return 2

    def keep(f: Finding) -> bool:
        if f.rule == "KN001":
            return True  # an unread input is never filtered away
        return (not select or f.rule.startswith(tuple(select))) and not (
            ignore and f.rule.startswith(tuple(ignore))
        )

    for p in empty:  # reported as a note on a report of its own, not counted as a file
        reports.insert(0, FileReport(str(p), notes=[
            f"no {' or '.join(DIR_SUFFIXES)} files in this folder; other files are scanned "
            "only when named, e.g. kerasnotes migrate notes/*.txt"]))  # fmt: skip
    findings = [f for r in reports for f in r.findings if keep(f)]
    summary = Summary(reports[len(empty) :], findings, seconds)
    if args.format == "json":
        sys.stdout.write(render_json(reports, findings, summary))
    elif args.format == "github":
        sys.stdout.write(render_github(reports, findings))
    else:
        sys.stdout.write(render_text(reports, findings, summary))
    return 1 if findings else 0
