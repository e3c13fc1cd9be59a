"""The rules of ``kerasnotes migrate``, one module per rule family.

Each family module defines its rules as :class:`~kerasnotes.migrate.model.Rule`
objects, each with its detector and, when ``--fix`` can rewrite it, its
:class:`~kerasnotes.migrate.model.Fix` (the rewrite and whether it is safe), and
lists them in ``RULES``. Adding a rule means adding one object to one family
module (and that module to ``_FAMILIES``); its fix functions go in the same module.

Id ranges: KN0xx inputs it could not read (:mod:`.inputs`), KN1xx old module paths (:mod:`.modules`), KN2xx removed functions and
methods (:mod:`.removed`; KN25x computed from the real Keras 2 API,
:mod:`.api`), KN3xx ``keras.backend`` (:mod:`.backend`), KN4xx renamed
or removed arguments (:mod:`.arguments`; KN43x NumPy integers where a Python int is needed,
:mod:`.numpy_scalars`), KN5xx file names and saving
(:mod:`.saving`), KN6xx metric names (:mod:`.metrics`), KN7xx TensorFlow 1.x
(:mod:`.tensorflow1`; KN72x from TensorFlow's upgrade tables, :mod:`.tf_upgrade`), KN8xx silent changes of defaults (:mod:`.silent`), KN9xx
deprecated but still working (:mod:`.deprecated`).

Example:
    >>> RULES_BY_ID["KN401"].severity
    'error'
    >>> sorted({rule.id[:3] for rule in RULES})[:3]
    ['KN0', 'KN1', 'KN2']
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass

from kerasnotes.migrate.model import SEVERITIES, Fix, Rule
from kerasnotes.migrate.rules import (
    api,
    arguments,
    backend,
    deprecated,
    inputs,
    metrics,
    modules,
    numpy_scalars,
    removed,
    saving,
    silent,
    tensorflow1,
    tf_upgrade,
)

__all__ = ["REGISTRY", "RULES", "RULES_BY_ID", "SEVERITIES", "Registry"]

_FAMILIES = (inputs, modules, removed, api, backend, arguments, numpy_scalars, saving, metrics,
             tensorflow1, tf_upgrade, silent, deprecated)  # fmt: skip


@dataclass(frozen=True)
class Registry:
    """The rules, indexed the way the scanner needs them.

    Attributes:
        rules: Every rule, in id order.
        path_rules: Rules that match dotted names, in ``path_order``.
        by_node: Node type -> the rules whose detector wants it.
        old_modules: Old module path -> the module that replaced it (for aliases).
    """

    rules: tuple[Rule, ...]
    path_rules: tuple[Rule, ...]
    by_node: dict[type[ast.AST], tuple[Rule, ...]]
    old_modules: dict[str, str]

    @classmethod
    def build(cls, rules: tuple[Rule, ...], old_modules: dict[str, str]) -> Registry:
        """Index ``rules``.

        Raises:
            ValueError: On a duplicate id or an unknown severity.
            TypeError: If a rule's ``fix`` is not a :class:`~kerasnotes.migrate.model.Fix`
                (``fix="safe"`` with a fixer kept elsewhere was the old way).
        """
        seen: set[str] = set()
        by_node: dict[type[ast.AST], list[Rule]] = defaultdict(list)
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is defined twice; ids are never reused")
            if rule.severity not in SEVERITIES:
                raise ValueError(
                    f"rule {rule.id}: severity {rule.severity!r} is not one of {SEVERITIES}"
                )
            if rule.fix is not None and not isinstance(rule.fix, Fix):
                raise TypeError(
                    f"rule {rule.id}: fix={rule.fix!r} is not a Fix; declare the rewrite on the "
                    "rule, e.g. fix=Fix(safety='safe', title='...', apply=<function in the "
                    "rule's module>) (see docs/architecture.md, kerasnotes migrate)"
                )
            seen.add(rule.id)
            for node_type in rule.nodes:
                by_node[node_type].append(rule)
        path_rules = tuple(sorted((r for r in rules if r.paths), key=lambda r: r.path_order))
        return cls(
            rules=tuple(sorted(rules, key=lambda r: r.id)),
            path_rules=path_rules,
            by_node={k: tuple(v) for k, v in by_node.items()},
            old_modules=dict(old_modules),
        )


REGISTRY = Registry.build(
    tuple(rule for family in _FAMILIES for rule in family.RULES), modules.OLD_MODULE_TARGETS
)
RULES: tuple[Rule, ...] = REGISTRY.rules
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
