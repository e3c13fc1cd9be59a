"""Shared pytest fixtures: paths, real-MNIST discovery, and a no-network guard."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist" / "mnist-10k.npz"

# Nothing in the test suite may download: the data loaders honour this.
os.environ.setdefault("KERASNOTES_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder."""
    return ROOT


@pytest.fixture(scope="session")
def real_mnist_path() -> Path:
    """Path of a real MNIST `.npz` (Keras layout); skips the test when there is none."""
    env = os.environ.get("KERASNOTES_MNIST")
    for candidate in (Path(env) if env else None, SHARED_MNIST):
        if candidate is not None and candidate.is_file():
            return candidate
    pytest.skip(f"real MNIST not found (set KERASNOTES_MNIST or provide {SHARED_MNIST})")


class _NetworkBlocked(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every outgoing connection fail at once, as on an offline laptop."""

    def refuse(*args, **kwargs):
        raise _NetworkBlocked("network access is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
