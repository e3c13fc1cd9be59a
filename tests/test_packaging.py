"""Packaging checks: clean notebooks, their first cells, a light `import kerasnotes`,
the README's two commands, CI, environment.yml, and the generated notebook tables."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kerasnotes.course import notebooks as _course

ROOT = Path(__file__).resolve().parents[1]
NOTES_DIR = ROOT.parent / "shared" / "notes"
NOTES_FILES = (
    "keras-learning.txt",
    "keras-intro-part1.txt",
    "fit-vs-fit_generator.txt",
    "keras-tf-pytorch-misc.txt",
    "keras-learning-markdown-draft.md",
)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HEAVY = ("tensorflow", "keras", "matplotlib", "pydot")
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]{2,}")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- notebooks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    nb = _load(path)
    assert nb["nbformat"] == 4
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts; clear them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_first_cell_names_title_and_notes_section(path):
    assert re.match(r"^\d{2}_[a-z0-9_]+\.ipynb$", path.name), (
        f"name {path.name!r} is not NN_topic.ipynb"
    )
    info = _course.lesson_info(path)
    assert info.number == path.name[:2], f"first cell must start with '# {path.name[:2]} · Title'"
    assert info.title, "the title after '# NN · ' is empty"
    assert info.notes_section, "the first cell lacks a '**Notes section:**' line"
    assert any(name in info.notes_section for name in NOTES_FILES), (
        f"the notes section names none of the notes files {NOTES_FILES}: {info.notes_section!r}"
    )
    headings = CJK.findall(info.notes_section)
    assert headings, f"the notes section gives no original Chinese heading: {info.notes_section!r}"
    if NOTES_DIR.is_dir():
        notes = "".join(p.read_text(encoding="utf-8") for p in NOTES_DIR.iterdir() if p.is_file())
        assert any(h in notes for h in headings), (
            f"none of {headings} occurs in the notes: quote the heading as the notes write it"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_installs_the_helpers_in_colab_only(path):
    """CONTRIBUTING's setup cell: in Colab (and only there) install kerasnotes first (README)."""
    code = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell"
    setup = "".join(code[0]["source"])
    assert re.search(r"""if\s+["']google\.colab["']\s+in\s+sys\.modules\s*:""", setup), (
        f"{path.name}: the first code cell lacks the Colab guard "
        '(if "google.colab" in sys.modules: %pip install -q -e /content/kerasnotes)'
    )
    assert "/content/kerasnotes" in setup, (
        f"{path.name}: the Colab install must use /content/kerasnotes"
    )


def test_notebook_numbers_are_unique():
    numbers = [p.name[:2] for p in NOTEBOOKS]
    assert len(numbers) == len(set(numbers)), numbers


def test_notebook_tables_are_in_sync():
    stale = _course.sync_tables(ROOT, write=False)
    assert not stale, (
        f"stale notebook table in {[str(p) for p in stale]}; "
        "regenerate with: kerasnotes table (or make table)"
    )


# ----------------------------------------------------------------------------- package


@pytest.mark.parametrize(
    "modules",
    [
        "kerasnotes",
        # `kerasnotes doctor` must work where TensorFlow is broken: its modules stay light
        "kerasnotes.cli, kerasnotes.course.doctor, kerasnotes.course.runner, kerasnotes.migrate",
    ],
)
def test_importing_loads_no_heavy_module(modules):
    code = (
        f"import sys, json, {modules}\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == []


@pytest.mark.slow
def test_import_kerasnotes_is_under_5_percent_of_import_tensorflow():
    pytest.importorskip("tensorflow")
    timer = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"

    def seconds(module: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", timer.format(module)], capture_output=True, text=True, check=True
        ).stdout
        return float(out.strip().splitlines()[-1])

    ours = min(seconds("kerasnotes") for _ in range(3))
    theirs = seconds("tensorflow")
    assert ours < 0.05 * theirs, (
        f"import kerasnotes {ours:.3f} s vs import tensorflow {theirs:.3f} s"
    )


def test_every_public_name_resolves():
    import kerasnotes

    missing = []
    for name in kerasnotes.__all__:
        try:
            getattr(kerasnotes, name)
        except (ImportError, AttributeError) as exc:
            missing.append(f"{name}: {exc}")
    assert not missing, missing
    assert sorted(kerasnotes.__all__) == sorted(kerasnotes._EXPORTS)


def test_pyproject_declares_the_console_script_and_one_tensorflow_range():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^kerasnotes = "kerasnotes\.cli:main"$', text, re.MULTILINE)
    assert len(re.findall(r'"tensorflow\s*[<>=~!]', text)) == 1
    for other in ("README.md", "Makefile", "environment.yml", ".ci/run"):
        assert not re.search(r"tensorflow\s*[<>=~]=", (ROOT / other).read_text(encoding="utf-8")), (
            f"{other} repeats a TensorFlow version range; it belongs in pyproject.toml only"
        )


# ----------------------------------------------------------------------------- README, CI


def test_readme_quick_start_is_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```(?:bash|sh|console)?\n(.*?)```", section, re.DOTALL).group(1)
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    assert [c for c in commands if c] == ["make run", "make test"]


def test_ci_calls_make_test():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if not line.strip().startswith("#")]
    assert "make test" in lines


def test_makefile_targets_of_the_readme():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test"):
        assert re.search(rf"^{target}:", text, re.MULTILINE), f"Makefile has no `{target}` target"


def test_gitignore_covers_generated_files():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for entry in ("build/", ".venv/", "__pycache__/"):
        assert entry in ignored


def test_environment_yml():
    yaml = pytest.importorskip("yaml")
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    names = {re.split(r"[<>=!~ ]", d, maxsplit=1)[0] for d in deps if isinstance(d, str)}
    for needed in (
        "python",
        "numpy",
        "matplotlib",
        "pydot",
        "graphviz",
        "scikit-learn",
        "jupyterlab",
    ):
        assert needed in names, f"environment.yml lacks {needed}"
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "tensorflow" in {re.split(r"[<>=!~ \[]", p, maxsplit=1)[0] for p in pip}
    assert any(p.startswith("-e .") for p in pip)


def test_data_folder_is_small_and_has_the_fit_generate_file():
    lines = (ROOT / "data" / "fit_generate.txt").read_text(encoding="utf-8").split("\n")
    rows = [line.split() for line in lines if line.strip()]
    assert len(rows) == 6 and all(len(r) == 4 and all(v.isdigit() for v in r) for r in rows)
    for path in (ROOT / "data").rglob("*"):
        assert not path.is_file() or path.stat().st_size < 1_000_000, f"{path} is too big for data/"


HELPER_MODULES = [
    "convert",
    "data",
    "generators",
    "inspect",
    "course.lesson",
    "course.environment",
    "course.overfit",
    "course.hygiene",
    "metrics",
    "migrate",
    "predict",
    "reference",
    "saving",
    "schedules",
    "viz",
]


def _raises_in_body(func) -> bool:
    """Whether the function's own code (after its docstring) has a ``raise`` statement."""
    source = inspect.getsource(func)
    body = source.split('"""', 2)[-1] if source.count('"""') >= 2 else source
    return re.search(r"^\s+raise \w", body, re.MULTILINE) is not None


@pytest.mark.parametrize("name", HELPER_MODULES)
def test_helper_module_public_api_is_documented(name):
    """Sorted ``__all__``; every public name documented; functions typed, with a runnable
    example (run by --doctest-modules) and a Raises section when they raise."""
    module = importlib.import_module(f"kerasnotes.{name}")
    assert module.__all__ == sorted(module.__all__), f"kerasnotes.{name}.__all__ is not sorted"
    for attr in module.__all__:
        obj = getattr(module, attr)
        doc = inspect.getdoc(obj) or ""
        assert doc, f"kerasnotes.{name}.{attr} has no docstring"
        if inspect.isfunction(obj):
            assert ">>>" in doc, f"kerasnotes.{name}.{attr}: the docstring has no example"
            assert obj.__annotations__.get("return") is not None, (
                f"kerasnotes.{name}.{attr} has no return annotation"
            )
            if _raises_in_body(obj):
                assert "Raises:" in doc, f"kerasnotes.{name}.{attr} raises but documents no Raises:"
