"""KN25x: Keras 2 public names that Keras 3 does not have, computed from the real APIs.

The table, :data:`~kerasnotes.migrate.rules.keras2_api.REMOVED_NAMES`, is the
public API of the Keras 2.2.4 and 2.3.1 sources minus the installed Keras 3
(see :mod:`kerasnotes.migrate.build_tables`); each entry cites the Keras 2 file
it was read from. Rules with a more specific message (KN1xx-KN2xx) win.

Example:
    >>> from kerasnotes.migrate import scan_source
    >>> [f.rule for f in scan_source("from keras.losses import mse\\n")]
    ['KN250']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kerasnotes.migrate.model import Claim, Finding, Fix, Rule
from kerasnotes.migrate.rules.keras2_api import REMOVED_NAMES
from kerasnotes.migrate.rules.modules import rewrite_old_import

if TYPE_CHECKING:  # libcst is imported only when fixing
    import libcst

__all__ = ["RULES"]


def _removed(path: str, via_tf: bool, shown: str) -> tuple[str, str] | None:
    entry = REMOVED_NAMES.get(path)
    if entry is None:
        return None
    new = entry.replacement or "no one-to-one replacement; see the Keras 3 API docs"
    return f"{shown} (Keras {entry.versions.replace(' ', ', ')})", new


def _renamed_name(finding: Finding, node: libcst.CSTNode) -> libcst.CSTNode | None:
    """KN250: the import, or the attribute chain (``optimizers.rmsprop`` -> ``optimizers.RMSprop``)."""
    import libcst as cst

    imported = rewrite_old_import(finding, node)
    if imported is not None or not isinstance(node, cst.Attribute):
        return imported
    new = finding.replacement
    if " " in new or "." not in new:
        return None
    return node.with_changes(attr=cst.Name(new.rsplit(".", 1)[1]))


KN250 = Rule(
    id="KN250",
    title="Keras 2 public name missing from Keras 3",
    severity="error",
    template="`{old}` is not in Keras 3 (ImportError / AttributeError); use `{new}`",
    replacement="the Keras 3 name",
    lesson="30_migrating_old_code",
    bad="from keras.losses import mse\nfrom keras.optimizers import rmsprop\n",
    good="from keras.losses import mean_squared_error\nfrom keras.optimizers import RMSprop\n",
    checks=(
        Claim(kind="missing", expr="keras.losses.mse"),
        Claim(kind="missing", expr="keras.optimizers.rmsprop"),
        Claim(kind="exists", expr="keras.losses.mean_squared_error"),
    ),
    paths=_removed,
    path_order=90,
    fix=Fix(
        safety="safe",
        title="the Keras 3 name, in the import or the attribute chain, where one replaces it one to one",
        apply=_renamed_name,
    ),
)

RULES = (KN250,)
