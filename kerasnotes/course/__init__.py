"""The course tooling: run the lessons, check the machine, help the lessons teach.

Modules: :mod:`~kerasnotes.course.runner` (execute notebooks),
:mod:`~kerasnotes.course.doctor` (+ :mod:`~kerasnotes.course.probe`),
:mod:`~kerasnotes.course.lesson` (``expect_error`` ...),
:mod:`~kerasnotes.course.notebooks` (lesson metadata, README tables) and
:mod:`~kerasnotes.course.scripts` (the standalone scripts' shared plumbing).
Importing this package imports none of them (only the light :func:`setup`).
"""

from __future__ import annotations

from kerasnotes.course.environment import setup

__all__ = ["setup"]
