"""The version floors in pyproject.toml are the versions the oldest-versions lane installs.

``constraints/oldest.txt`` pins every runtime dependency at its floor and
``make test-oldest`` (run by CI) tests the helpers and a smoke run of lessons on
them. This test keeps the two files equal, so a floor is never raised or lowered
without the lane testing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="Python >= 3.11 reads pyproject.toml")

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=~!\[; ]", requirement, maxsplit=1)[0].strip().lower()


def _release(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in version.split(".")]
    while parts and parts[-1] == 0:  # 3.12 == 3.12.0
        parts.pop()
    return tuple(parts)


def test_every_runtime_floor_is_pinned_in_the_oldest_constraints():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors = {}
    for req in project["dependencies"]:
        found = re.search(r">=\s*([0-9][0-9.]*)", req)
        assert found, f"{req!r} has no lower bound: a range needs a tested floor"
        floors[_name(req)] = found.group(1)
    pins = {}
    for line in (ROOT / "constraints" / "oldest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints/oldest.txt: {line!r} is not an exact pin (name==version)"
            pins[name.strip().lower()] = version.strip()
    assert set(pins) == set(floors), (
        "constraints/oldest.txt must pin exactly the runtime dependencies"
    )
    for name, floor in floors.items():
        assert _release(pins[name]) == _release(floor), (
            f"{name}: pyproject.toml's floor is {floor}, constraints/oldest.txt pins {pins[name]}"
        )


def test_the_oldest_lane_is_in_ci():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test-oldest:", makefile, re.M)
    assert "constraints/oldest.txt" in makefile
    assert "make test-oldest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
