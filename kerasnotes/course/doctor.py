"""``kerasnotes doctor``: can this machine run the course, and if not, what exactly to do.

Each check gives a status (``ok``, ``warning`` or ``problem``), a one-line
finding and, when something is off, the exact command that fixes it on this
platform. Only a *problem* means the course cannot run at all (no usable
TensorFlow / Keras 3, NumPy or Jupyter kernel); the exit status is then 1.

TensorFlow and Keras are imported in a child process with a timeout, so a
missing, broken or crashing installation is reported instead of killing the
doctor. Everything else is read without importing heavy packages.

The checks themselves, one function each, are in
:mod:`kerasnotes.course.doctor_checks`; this module runs them and reports.

Example:
    >>> from kerasnotes.course.doctor import Check
    >>> print(Check("Python", "ok", "3.11.7").format())
      ok       Python          3.11.7
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from kerasnotes._validation import check_timeout
from kerasnotes.course.doctor_checks import (
    STATUSES,
    Check,
    _check_devices,
    _check_dot,
    _check_keras,
    _check_keras_json,
    _check_mnist,
    _check_numpy,
    _check_packages,
    _check_pydot,
    _check_python,
    _check_runner,
    _check_tensorflow,
    keras_json_path,
)
from kerasnotes.course.keras_config import (
    KERAS_DEFAULTS,
    ConfigCause,
    keras_config_causes,
)
from kerasnotes.course.probe import DEFAULT_PROBE_TIMEOUT, probe_tensorflow

__all__ = [
    "Check",
    "ConfigCause",
    "KERAS_DEFAULTS",
    "Report",
    "build_parser",
    "keras_config_causes",
    "keras_json_path",
    "main",
    "probe_tensorflow",
    "run_checks",
]


@dataclass
class Report:
    """All checks, plus where they ran."""

    checks: list[Check]
    platform: str
    seconds: float = 0.0

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if c.status == "problem"]

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def get(self, name: str) -> Check:
        """The check called ``name`` (KeyError, listing the names, if there is none)."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(f"no check named {name!r}; the checks are {[c.name for c in self.checks]}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_code == 0,
            "exit_code": self.exit_code,
            "platform": self.platform,
            "seconds": round(self.seconds, 2),
            "checks": [asdict(c) for c in self.checks],
        }

    def format(self) -> str:
        counts = {s: sum(c.status == s for c in self.checks) for s in STATUSES}
        verdict = (
            "The course can run."
            if not self.problems
            else "The course cannot run until the problems above are fixed."
        )
        log = [
            line for c in self.checks if c.status == "problem" for line in c.details.get("log", [])
        ]
        if log:  # the probe failed: its own last lines help, before the verdict
            log = ["", "Last lines the TensorFlow import printed:"] + [f"  | {x}" for x in log]
        return "\n".join(
            [f"kerasnotes doctor ({self.platform})", ""]
            + [c.format() for c in self.checks]
            + log
            + [
                "",
                f"{counts['ok']} ok, {counts['warning']} warning(s), {counts['problem']} problem(s) "
                f"in {self.seconds:.1f} s. {verdict}",
            ]
        )


def run_checks(timeout: float = DEFAULT_PROBE_TIMEOUT, *, in_process: bool = False) -> Report:
    """Run every check.

    Args:
        timeout: Seconds allowed for the TensorFlow import in the child process: a
            finite number > 0.
        in_process: Import TensorFlow here instead of in a child (fast when it is
            already imported, as in a notebook; no protection against crashes).

    Returns:
        The :class:`Report`.

    Raises:
        ValueError: ``timeout`` is not a finite number > 0.
    """
    timeout = check_timeout(timeout, option="timeout")
    start = time.perf_counter()
    causes = keras_config_causes()
    if in_process:
        from kerasnotes.course import probe as _probe

        probe = _probe.collect()
    else:
        probe = probe_tensorflow(timeout)
    checks = [
        _check_python(),
        _check_tensorflow(probe, causes),
        _check_keras(probe, causes),
        _check_numpy(probe),
        _check_keras_json(probe, causes),
        _check_devices(probe),
        _check_runner(),
        _check_packages(),
        _check_pydot(),
        _check_dot(),
        _check_mnist(),
    ]
    system = f"{platform.system()} {platform.release()} {platform.machine()}".strip()
    return Report(checks, system, time.perf_counter() - start)


def _timeout_arg(text: str) -> float:
    try:
        return check_timeout(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; e.g. --timeout 120") from None


def build_parser() -> argparse.ArgumentParser:
    """doctor's one argument parser (``kerasnotes doctor`` dispatches to :func:`main`)."""
    parser = argparse.ArgumentParser(
        prog="kerasnotes doctor", description="Check that this machine can run the course."
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--timeout",
        type=_timeout_arg,
        default=DEFAULT_PROBE_TIMEOUT,
        metavar="SECONDS",
        help="seconds allowed for importing TensorFlow, a finite number > 0 "
        f"(default {DEFAULT_PROBE_TIMEOUT:g})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``kerasnotes doctor [--json] [--timeout SECONDS]``; returns the exit status.

    Args:
        argv: The arguments after ``doctor`` (default: ``sys.argv[1:]``).

    Returns:
        0 when the course can run, 1 when a check found a problem, 2 for bad
        arguments (argparse's message is printed on stderr).
    """
    try:
        args = build_parser().parse_args(None if argv is None else list(argv))
    except SystemExit as exc:  # --help (0) or a usage error (2): a status, not an exit
        return exc.code if isinstance(exc.code, int) else 2
    report = run_checks(args.timeout)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.format())
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
