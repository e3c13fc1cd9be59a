"""A rule is one unit: its fix is declared on it, beside it, with its safety.

The oracle is each rule's own declaration (``Rule.fix``): what ``--fix`` and
``--fix --unsafe-fixes`` actually do to the rule's ``bad`` example must match it.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kerasnotes.migrate import main, render_rules_doc, scan_source
from kerasnotes.migrate import rules as R
from kerasnotes.migrate.model import Fix, Rule

FIXED = [rule for rule in R.RULES if rule.fix is not None]


def _family_of(rule: Rule) -> str:
    """The module of :mod:`kerasnotes.migrate.rules` that declares ``rule``."""
    return next(f.__name__ for f in R._FAMILIES if rule in f.RULES)


def _fix_file(
    tmp_path: Path, rule: Rule, capsys: pytest.CaptureFixture[str], *flags: str
) -> tuple[str, str]:
    """Run ``kerasnotes migrate --fix FLAGS`` on the rule's bad example: (new text, output)."""
    path = tmp_path / f"{rule.id.lower()}.py"
    path.write_text(rule.bad, encoding="utf-8")
    main(["--fix", *flags, str(path)])
    return path.read_text(encoding="utf-8"), capsys.readouterr().out


def test_every_rule_with_a_fix_has_some():
    pytest.importorskip("libcst")
    assert {r.fix.safety for r in FIXED if r.fix} == {"safe", "unsafe"}
    assert len(FIXED) >= 20  # lr=, nb_epoch, merge, np_utils, K.*, the Keras 2 defaults, ...


@pytest.mark.parametrize("rule", FIXED, ids=lambda r: r.id)
def test_fix_is_reachable_exactly_as_declared(tmp_path, capsys, rule):
    pytest.importorskip("libcst")
    from kerasnotes.migrate.fix import fix_source

    assert rule.fix is not None
    safe = rule.fix.safety == "safe"
    assert rule.id in [f.rule for f in scan_source(rule.bad)], "the example must be found first"
    assert (rule.id in fix_source(rule.bad)[1].fixed) == safe
    expected, report = fix_source(rule.bad, unsafe=True)
    assert rule.id in report.fixed
    # the same through the command line: --fix, then --fix --unsafe-fixes
    safe_text, out = _fix_file(tmp_path, rule, capsys)
    if safe:
        assert f"{rule.id} not fixed" not in out, out
        assert safe_text == expected  # nothing was held back for --unsafe-fixes
    else:
        assert safe_text != expected  # --fix alone held this rewrite back
        # and says so, even where the safe fixes left no other old idiom (KN8xx are
        # reported in old code only, and the fixed code no longer looks old)
        assert f"{rule.id} not fixed: unsafe fix (pins" in out, out
    text, out = _fix_file(tmp_path, rule, capsys, "--unsafe-fixes")
    assert f"{rule.id} not fixed" not in out and text == expected


def test_rules_without_a_fix_are_left_by_hand(tmp_path, capsys):
    pytest.importorskip("libcst")
    by_hand = [r for r in R.RULES if r.fix is None and r.id in [f.rule for f in scan_source(r.bad)]]
    assert len(by_hand) >= 10
    for rule in by_hand:
        text, out = _fix_file(tmp_path, rule, capsys, "--unsafe-fixes")
        assert rule.id in [f.rule for f in scan_source(text)], rule.id
        assert f"{rule.id} not fixed: no automatic fix" in out, rule.id


def test_fix_tables_are_views_of_the_registry():
    from kerasnotes.migrate.fix import CALL_FIXERS, FIXERS, FIXES

    assert FIXES == {r.id: r.fix for r in FIXED}
    assert FIXERS == {r.id: r.fix.apply for r in FIXED if r.fix and r.fix.apply}
    assert CALL_FIXERS == {
        r.id: r.fix.apply_to_call for r in FIXED if r.fix and r.fix.apply_to_call
    }


@pytest.mark.parametrize("rule", FIXED, ids=lambda r: r.id)
def test_fix_functions_live_in_the_rules_module(rule):
    assert rule.fix is not None
    for function in (rule.fix.apply, rule.fix.apply_to_call):
        if function is not None:
            assert function.__module__ == _family_of(rule), (rule.id, function)


def test_no_fixer_exists_without_a_rule():
    """Every module-level ``(finding, node)`` function of a rules module is on a rule of it."""
    found = 0
    for family in R._FAMILIES:
        declared = {
            function
            for rule in family.RULES
            if rule.fix is not None
            for function in (rule.fix.apply, rule.fix.apply_to_call)
            if function is not None
        }
        for _, function in inspect.getmembers(family, inspect.isfunction):
            if function.__module__ != family.__name__:
                continue
            if list(inspect.signature(function).parameters) == ["finding", "node"]:
                found += 1
                assert function in declared, f"{family.__name__}.{function.__name__} is on no rule"
    assert found >= 10  # merge, predict_classes, int_shape, decay=, np_utils, ...


def test_the_old_fixers_module_is_gone():
    import importlib.util

    assert importlib.util.find_spec("kerasnotes.migrate.fixers") is None


def test_registry_refuses_the_old_string_style():
    one = R.RULES_BY_ID["KN403"]
    with pytest.raises(TypeError, match=r"KN403: fix='safe' is not a Fix; .*fix=Fix\(safety="):
        R.Registry.build((replace(one, fix="safe"),), {})  # type: ignore[arg-type]


def test_fix_refuses_bad_declarations():
    def noop(finding, node):
        return None

    with pytest.raises(ValueError, match=r"safety='sometimes'.*\('safe', 'unsafe'\)"):
        Fix(safety="sometimes", title="t", apply=noop)
    with pytest.raises(ValueError, match="title=''"):
        Fix(safety="safe", title="", apply=noop)
    with pytest.raises(ValueError, match="has no function: give apply="):
        Fix(safety="safe", title="rename it")


def test_rules_doc_shows_each_rules_fix():
    rows = {line.split(" | ")[0][2:]: line for line in render_rules_doc().splitlines()
            if line.startswith("| KN")}  # fmt: skip
    assert set(rows) == set(R.RULES_BY_ID)
    for rule in R.RULES:
        if rule.fix is None:
            assert " | none |  | " in rows[rule.id], rule.id
        else:
            assert f" | {rule.fix.safety} | {rule.fix.title.replace('|', '/')} | " in rows[rule.id]


def test_scanning_never_imports_libcst(tmp_path):
    pytest.importorskip("libcst")  # the control: --diff does import it
    old = tmp_path / "old.py"
    old.write_text("from keras.optimizers import SGD\nsgd = SGD(lr=0.1)\n", encoding="utf-8")
    code = (
        "import sys, json, kerasnotes.migrate as m\n"
        "before = 'libcst' in sys.modules\n"
        "m.scan_source('import keras'); m.render_rules_doc()\n"
        f"status = m.main([{str(old)!r}])\n"
        "scan = 'libcst' in sys.modules\n"
        f"m.main(['--diff', {str(old)!r}])\n"
        "print(json.dumps([before, status, scan, 'libcst' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # [loaded at import, exit status of the scan, loaded by the scan, loaded by --diff]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, 1, False, True]


def test_fix_titles_say_what_the_rewrite_does():
    for rule in FIXED:
        assert rule.fix is not None
        title = rule.fix.title
        assert title == title.strip() and 10 <= len(title) <= 110, (rule.id, title)


def test_list_rules_says_which_rules_fix_and_how_safely(capsys):
    assert main(["--list-rules"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert set(lines) == {rule.id for rule in R.RULES}
    for rule in R.RULES:
        shown = (
            lines[rule.id].endswith(f"(fix: {rule.fix.safety})")
            if rule.fix
            else "(fix:" not in lines[rule.id]
        )
        assert shown, lines[rule.id]
    assert lines["KN401"].endswith("(fix: safe)") and lines["KN801"].endswith("(fix: unsafe)")
