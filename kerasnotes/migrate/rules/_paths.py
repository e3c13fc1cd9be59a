"""Name matchers shared by the rule families (a rule's ``paths`` field).

Example:
    >>> match = exact({"keras.utils.multi_gpu_model": "tf.distribute.MirroredStrategy"})
    >>> match("keras.utils.multi_gpu_model", False, "multi_gpu_model")
    ('multi_gpu_model', 'tf.distribute.MirroredStrategy')
    >>> match("keras.utils.plot_model", False, "plot_model") is None
    True
"""

from __future__ import annotations

from collections.abc import Mapping

from kerasnotes.migrate.context import prefix_lookup
from kerasnotes.migrate.model import PathMatcher

__all__ = ["exact", "prefix"]


def exact(table: Mapping[str, str]) -> PathMatcher:
    """A matcher for these exact dotted names (value: the replacement)."""

    def match(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
        new = table.get(path)
        return None if new is None else (shown, new)

    return match


def prefix(table: Mapping[str, str], *, show_key: bool = False) -> PathMatcher:
    """A matcher for these names and everything below them (the longest key wins).

    Args:
        table: Dotted name -> replacement.
        show_key: Report the matched key (``keras.layers.core``) instead of the
            code's own text when the code goes below it.
    """

    def match(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
        key, new = prefix_lookup(table, path)
        if key is None or new is None:
            return None
        return (key if show_key and key != path else shown), new

    return match
