"""The Keras version the scanned code was written for (``--keras-version``).

Some defaults moved inside Keras 2 already: Keras 2.3 gave LSTM and GRU the
``sigmoid`` recurrent activation that Keras 3 still has. The source text of a
script does not say which Keras 2 it targeted, so the user says it, as with
ruff's ``target-version``. Each accepted version is read against the table of
one Keras 2 release (the sdists :mod:`kerasnotes.migrate.build_tables` reads):
1 to 2.2 against 2.2.4, 2.3 against 2.3.1.

Example:
    >>> parse_keras_version("2.3.1")
    '2.3'
    >>> release_for("2.1")
    '2.2.4'
"""

from __future__ import annotations

import re

__all__ = [
    "DEFAULT_KERAS_VERSION",
    "KERAS_VERSIONS",
    "RELEASES",
    "parse_keras_version",
    "release_for",
]

#: What ``--keras-version`` accepts, oldest first.
KERAS_VERSIONS = ("1", "2.0", "2.1", "2.2", "2.3")
#: The assumption when nothing is said: the oldest table, so every default that ever
#: differed from Keras 3 in the releases read is reported.
DEFAULT_KERAS_VERSION = "2.2"
#: Accepted version -> the Keras 2 release whose table it is read against.
RELEASES = {"1": "2.2.4", "2.0": "2.2.4", "2.1": "2.2.4", "2.2": "2.2.4", "2.3": "2.3.1"}


def parse_keras_version(text: str) -> str:
    """Normalise ``text`` (``"2.3"``, ``"2.3.1"``, ``"1.2.2"``) to one of :data:`KERAS_VERSIONS`.

    Raises:
        TypeError: If ``text`` is not a string.
        ValueError: If it names no accepted version; the message names the value
            and the accepted ones.

    Example:
        >>> parse_keras_version("1.2.2")
        '1'
        >>> parse_keras_version("3")
        Traceback (most recent call last):
        ...
        ValueError: --keras-version '3': expected one of 1, 2.0, 2.1, 2.2, 2.3 (a patch level such as 2.2.4 is accepted too); code written for Keras 3 needs no migration
    """
    if not isinstance(text, str):
        raise TypeError(f"the Keras version must be a str such as '2.3'; received {text!r}")
    match = re.fullmatch(r"\s*(\d+)(?:\.(\d+))?(?:\.\d+)?\s*", text)
    version = None
    if match is not None:
        major, minor = match.group(1), match.group(2)
        version = "1" if major == "1" else f"{major}.{minor}" if minor is not None else None
    if version not in KERAS_VERSIONS:
        hint = (
            "; code written for Keras 3 needs no migration" if text.strip().startswith("3") else ""
        )
        raise ValueError(
            f"--keras-version {text!r}: expected one of {', '.join(KERAS_VERSIONS)} (a patch "
            f"level such as 2.2.4 is accepted too){hint}"
        )
    return str(version)


def release_for(version: str) -> str:
    """The Keras 2 release whose defaults code written for ``version`` relied on.

    Raises:
        ValueError: If ``version`` is not accepted (see :func:`parse_keras_version`).
    """
    return RELEASES[parse_keras_version(version)]
