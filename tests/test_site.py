"""Tests of kerasnotes.course.site: the course site built from a (fake) run's output.

The fixture course is three real lessons copied into a scratch repository, and a
fake ``kerasnotes run`` output: one lesson ok (taken from the cache), one failed at
a known cell, one from an older run whose row lacks the newer keys. The oracles are
the fixture's own data (the error it planted, the source bytes), the docstrings of
the helpers, and ``lesson_info`` of the notebooks.
"""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from kerasnotes.course import site
from kerasnotes.course.notebooks import lesson_info

ROOT = Path(__file__).resolve().parents[1]
LESSONS = (
    "10_concatenate_axes",
    "16_predict_vs_predict_classes",
    "22_image_data_generator",
)
OK, FAILED, OLD_ROW = LESSONS
FAILING_CELL = 3
PLANTED_ERROR = "boom planted by tests/test_site.py"
SOLUTION_MARK = "solution-output-marker-7f3a"
CHECK_MARK = "check-source-marker-51c2"


def _code_cell(cell_id: str, source: str, tags: list[str], text: str = "") -> dict:
    outputs = [{"output_type": "stream", "name": "stdout", "text": text}] if text else []
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {"tags": tags},
        "execution_count": None,
        "outputs": outputs,
        "source": source,
    }


def make_course(base: Path) -> tuple[Path, Path]:
    """A scratch repository (3 lessons, docs, pyproject) and a fake run's output folder.

    The lesson ``OK`` gains a ``check`` cell and a Solutions section with a
    ``solution`` cell in its source (the real lessons' roles), so the site's mapping
    is exercised whatever the real lessons hold today.
    """
    root, out = base / "repo", base / "build"
    (root / "notebooks").mkdir(parents=True)
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    out.mkdir()
    for stem in LESSONS:
        nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        if stem == OK:
            nb["cells"] += [
                _code_cell("kn-test-check", f"assert 1 + 1 == 2  # {CHECK_MARK}", ["check"]),
                {
                    "cell_type": "markdown",
                    "id": "kn-test-sol",
                    "metadata": {},
                    "source": "## Solutions",
                },
                _code_cell("kn-test-solution", f"print('{SOLUTION_MARK}')", ["solution"]),
            ]
        (root / "notebooks" / f"{stem}.ipynb").write_text(
            json.dumps(nb, indent=1), encoding="utf-8"
        )
        executed = copy.deepcopy(nb)
        if stem == OK:
            executed["cells"][-1]["outputs"] = [
                {"output_type": "stream", "name": "stdout", "text": SOLUTION_MARK + "\n"}
            ]
        if stem == FAILED:
            executed["cells"][FAILING_CELL]["outputs"] = [
                {
                    "output_type": "error",
                    "ename": "RuntimeError",
                    "evalue": PLANTED_ERROR,
                    "traceback": [f"RuntimeError: {PLANTED_ERROR}"],
                }
            ]
        (out / f"{stem}.ipynb").write_text(json.dumps(executed, indent=1), encoding="utf-8")
    summary = [
        {
            "notebook": f"notebooks/{OK}.ipynb",
            "status": "ok",
            "seconds": 3.25,
            "cached": True,
            "executed": f"{OK}.ipynb",
            "error": None,
        },
        {
            "notebook": f"notebooks/{FAILED}.ipynb",
            "status": "failed",
            "seconds": 7.5,
            "cached": False,
            "executed": f"{FAILED}.ipynb",
            "error": {"cell": FAILING_CELL, "ename": "RuntimeError", "evalue": PLANTED_ERROR},
        },
        {"notebook": f"notebooks/{OLD_ROW}.ipynb", "status": "ok", "seconds": 5.0},
    ]
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return root, out


_BUILT: dict[str, object] = {}


def build_fixture_site(tmp_path_factory: pytest.TempPathFactory):
    """Build the fixture site once per session (shared with test_site_browser.py)."""
    pytest.importorskip(
        "myst_nb", reason="the site needs the course extra: pip install -e '.[course]'"
    )
    pytest.importorskip("sphinx_book_theme")
    if "result" not in _BUILT:
        root, out = make_course(tmp_path_factory.mktemp("site"))
        sources = {p.name: p.read_bytes() for p in (root / "notebooks").iterdir()}
        # One Sphinx process: autodoc then imports TensorFlow once, not once per worker.
        result = site.build_site(out, root=root, jobs=1)
        _BUILT.update(result=result, root=root, out=out, sources=sources)
    return _BUILT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_fixture_site(tmp_path_factory)


def _page(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def _home_row(home: str, stem: str) -> str:
    """The HTML table row of the home page that links to ``stem``."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", home, re.S)
    found = [r for r in rows if f"notebooks/{stem}.html" in r]
    assert len(found) == 1, f"expected one row linking {stem}, found {len(found)}"
    return found[0]


def _text(fragment: str, sep: str = " ") -> str:
    """The text of an HTML fragment: tags replaced by ``sep``, entities and quotes plain."""
    text = html.unescape(re.sub(r"<[^>]+>", sep, fragment)).replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------- the built site


@pytest.mark.slow
def test_result_counts_pages_and_failures(built):
    result, out = built["result"], built["out"]
    html_files = [
        p for p in out.rglob("*.html") if not {".site", "_static"} & set(p.relative_to(out).parts)
    ]
    assert result.index == out / "index.html" and result.index.is_file()
    assert result.pages == len(html_files)
    assert result.lessons == 3
    assert result.failed == [FAILED]
    for stem in LESSONS:
        assert (out / "notebooks" / f"{stem}.html").is_file()
    assert str(result.pages) in str(result)


@pytest.mark.slow
def test_home_page_lists_status_seconds_cached_and_notes(built):
    out, root = built["out"], built["root"]
    home = _page(out, "index.html")
    ok, failed, old = (_text(_home_row(home, s)) for s in LESSONS)
    assert "ok" in ok and "3.2" in ok and "yes" in ok
    assert "FAILED" in failed and "7.5" in failed and "no" in failed
    assert "ok" in old and "5.0" in old and "–" in old  # an old row has no cached key
    for stem, row in zip(LESSONS, (ok, failed, old), strict=True):
        info = lesson_info(root / "notebooks" / f"{stem}.ipynb")
        assert info.title.split(":")[0].split("`")[0].strip() in row
        # the notes' file names of the lesson's "Notes section" line are in its row
        for name in re.findall(r"`([\w-]+\.txt)`", info.notes_section):
            assert name in row
    assert "Learning path" in home and "1 of 3" not in home and "2 of 3" in home


@pytest.mark.slow
def test_failed_lesson_page_shows_failing_cell_and_error(built):
    out, root = built["out"], built["root"]
    page = _page(out, f"notebooks/{FAILED}.html")
    assert "This lesson failed" in page
    assert PLANTED_ERROR in page
    nb = json.loads((root / "notebooks" / f"{FAILED}.ipynb").read_text(encoding="utf-8"))
    first_line = "".join(nb["cells"][FAILING_CELL]["source"]).strip().splitlines()[0]
    assert f"cell [{FAILING_CELL}]" in page
    # the failing cell's first source line appears (syntax-highlighted) in the error box
    assert first_line[:40] in _text(page, sep="")
    assert "This lesson failed" not in _page(out, f"notebooks/{OK}.html")


@pytest.mark.slow
def test_colab_and_download_links(built):
    out, root = built["out"], built["root"]
    repo = site.repository_url(ROOT)
    for stem in LESSONS:
        page = _page(out, f"notebooks/{stem}.html")
        colab = f"https://colab.research.google.com/github/{repo.split('github.com/')[1]}/blob/main/notebooks/{stem}.ipynb"
        assert f'href="{colab}"' in page
        assert f'href="{stem}.ipynb"' in page
        # the download is the clean source, byte for byte (not the executed copy)
        served = out / "notebooks" / f"{stem}.ipynb"
        assert served.read_bytes() == (root / "notebooks" / f"{stem}.ipynb").read_bytes()
        assert served.read_bytes() != (out / f"{stem}.ipynb").read_bytes() or stem == OLD_ROW


@pytest.mark.slow
def test_cell_roles_folded_and_sources_untouched(built):
    out, root = built["out"], built["root"]
    page = _page(out, f"notebooks/{OK}.html")
    details = re.findall(r"<details[^>]*>.*?</details>", page, re.S)
    solution = [d for d in details if "Show solution" in d]
    check = [d for d in details if "Show the check" in d]
    # one fold per tagged cell of the rendered notebook: the lesson's own and the planted ones
    cells = json.loads((out / f"{OK}.ipynb").read_text(encoding="utf-8"))["cells"]
    tagged = [set(c.get("metadata", {}).get("tags", [])) for c in cells if c["cell_type"] == "code"]
    assert len(solution) == sum("solution" in t for t in tagged) >= 1
    assert len(check) == sum("check" in t for t in tagged) >= 1
    assert sum(SOLUTION_MARK in d for d in solution) == 1  # code and output folded together
    assert sum(CHECK_MARK in d for d in check) == 1  # only the source is folded
    for name, data in built["sources"].items():
        assert (root / "notebooks" / name).read_bytes() == data


@pytest.mark.slow
def test_reference_pages(built):
    out, root = built["out"], built["root"]
    from kerasnotes import schedules

    api = _page(out, "api/schedules.html")
    first_doc_line = schedules.step_decay.__doc__.strip().splitlines()[0]
    assert "step_decay" in api and _text(first_doc_line)[:30] in _text(api)
    for module in site.API_MODULES:
        assert (out / "api" / f"{module}.html").is_file()
    rules = _page(out, "migrate-rules.html")
    assert "KN101" in rules and f'href="notebooks/{OK}.html' in rules
    notes = _text(_page(out, "notes-map.html"))
    for stem in LESSONS:
        section = lesson_info(root / "notebooks" / f"{stem}.ipynb").notes_section
        heading = section.split("›")[1].split(";")[0].strip()[:6]
        assert heading in notes


@pytest.mark.slow
def test_nothing_is_loaded_from_another_host(built):
    out = built["out"]
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"(https?:)?//", text), page
        assert not re.search(r"<link[^>]+href=\"(https?:)?//[^\"]+\"[^>]*stylesheet", text), page
        assert not re.search(r"<link[^>]+stylesheet[^>]*href=\"(https?:)?//", text), page


@pytest.mark.slow
def test_unchanged_rebuild_rereads_nothing_and_keeps_mtimes(built):
    out, root = built["out"], built["root"]
    work = out / ".site" / "en"
    watched = [
        *(work / "src").rglob("*"),
        *(work / "doctrees").rglob("*.doctree"),
        *(p for p in out.rglob("*.html") if ".site" not in p.parts),
    ]
    # A second build may still add cache-busting ?v= suffixes to genindex/search (a
    # stylesheet myst-nb writes late on the very first build); from then on nothing changes.
    site.build_site(out, root=root, jobs=1)
    before = {p: p.stat().st_mtime_ns for p in watched if p.is_file()}
    result = site.build_site(out, root=root, jobs=1)
    after = {p: p.stat().st_mtime_ns for p in before}
    assert after == before
    assert result.pages == built["result"].pages

    # A new run that only changed timings and cache hits re-reads the home page alone.
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary[0].update(seconds=0.5, cached=False)
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    site.build_site(out, root=root, jobs=1)
    lesson_tree = work / "doctrees" / "notebooks" / f"{OK}.doctree"
    assert lesson_tree.stat().st_mtime_ns == before[lesson_tree]
    assert (work / "doctrees" / "index.doctree").stat().st_mtime_ns != before[
        work / "doctrees" / "index.doctree"
    ]
    ok_row = _text(_home_row(_page(out, "index.html"), OK))
    assert "0.5" in ok_row and "no" in ok_row


@pytest.mark.slow
def test_interrupted_build_is_redone_and_failed_build_keeps_the_site(built, monkeypatch):
    out, root = built["out"], built["root"]
    work = out / ".site" / "en"
    page = work / "html" / "notebooks" / f"{OK}.html"
    good = (out / "notebooks" / f"{OK}.html").read_bytes()
    page.write_bytes(good[: len(good) // 2])  # as if Sphinx had been killed mid-write
    (work / "BUILDING").write_text("", encoding="utf-8")
    site.build_site(out, root=root, jobs=1)
    assert (out / "notebooks" / f"{OK}.html").read_bytes() == good
    assert not (work / "BUILDING").exists()

    def broken(*args, **kwargs):
        raise site.SiteBuildError("Sphinx failed (simulated)")

    monkeypatch.setattr(site, "_run_sphinx", broken)
    home = (out / "index.html").read_bytes()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary[0]["seconds"] = 99.0
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with pytest.raises(site.SiteBuildError):
        site.build_site(out, root=root, jobs=1)
    assert (out / "index.html").read_bytes() == home


# ------------------------------------------------------------ inputs (no Sphinx run)


def test_site_cell_maps_roles_on_a_copy():
    cell = _code_cell("c", "x = 1", ["check"])
    mapped = site.site_cell(cell)
    assert mapped["metadata"]["tags"] == ["check", "hide-input"]
    assert mapped["metadata"]["mystnb"]["code_prompt_show"] == "Show the check"
    assert cell["metadata"]["tags"] == ["check"] and "mystnb" not in cell["metadata"]
    plain = _code_cell("d", "y = 2", [])
    assert site.site_cell(plain) == plain


def test_site_cell_drops_tensorflow_start_up_log_only():
    noise = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1796052044.287585   31527 cudart_stub.cc:31] Could not find cuda drivers\n"
    )
    cell = _code_cell("c", "import keras", [])
    cell["outputs"] = [
        {"output_type": "stream", "name": "stderr", "text": noise},
        {"output_type": "stream", "name": "stderr", "text": noise + "UserWarning: real one\n"},
        {"output_type": "stream", "name": "stdout", "text": noise},
    ]
    outputs = site.site_cell(cell)["outputs"]
    assert [o["text"] for o in outputs] == ["UserWarning: real one\n", noise]
    assert len(cell["outputs"]) == 3  # the original is untouched


def test_site_cell_hides_the_placeholder_value_of_an_untouched_exercise():
    def result(text):
        return {"output_type": "execute_result", "data": {"text/plain": text}, "metadata": {}}

    printed = {"output_type": "stream", "name": "stdout", "text": "Ellipsis\n"}
    cell = _code_cell("e", "# Exercise 1: your turn\n...", ["exercise"])
    cell["outputs"] = [result("Ellipsis"), printed]
    assert site.site_cell(cell)["outputs"] == [printed]  # a print of it is the learner's
    answered = _code_cell("e", "# Exercise 1\n6 * 7", ["exercise"])
    answered["outputs"] = [result("42")]
    assert site.site_cell(answered)["outputs"] == [result("42")]
    lesson = _code_cell("c", "...", [])  # outside an exercise, a value is a value
    lesson["outputs"] = [result("Ellipsis")]
    assert site.site_cell(lesson)["outputs"] == [result("Ellipsis")]


def test_load_summary_defaults_for_old_rows(tmp_path):
    root, out = make_course(tmp_path)
    rows = site.load_summary(out, root=root)
    assert [r.stem for r in rows] == list(LESSONS)
    assert [r.cached for r in rows] == [True, False, None]
    assert rows[2].executed == out / f"{OLD_ROW}.ipynb"
    assert rows[1].error["evalue"] == PLANTED_ERROR
    (out / "summary.json").unlink()
    rows = site.load_summary(out, root=root)
    assert [r.status for r in rows] == ["not run"] * 3 and all(r.executed is None for r in rows)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ('{"notebook": "x"}', "not a list of rows"),
        ('[{"status": "ok"}]', 'row 0 is .*"notebook" path'),
    ],
)
def test_load_summary_rejects_malformed_files(tmp_path, content, expected):
    (tmp_path / "summary.json").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=expected) as info:
        site.load_summary(tmp_path, root=ROOT)
    assert "summary.json" in str(info.value) and "kerasnotes run" in str(info.value)


def test_repository_url_and_colab_url(tmp_path):
    url = site.repository_url(ROOT)
    assert url.startswith("https://") and not url.endswith("/")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"no Repository entry under \[project.urls\]"):
        site.repository_url(tmp_path)
    with pytest.raises(FileNotFoundError, match="no pyproject.toml"):
        site.repository_url(tmp_path / "missing")
    assert site.colab_url("https://gitlab.com/a/b", "notebooks/x.ipynb") is None
    assert site.colab_url("https://github.com/a/b/", "n/x.ipynb", branch="dev") == (
        "https://colab.research.google.com/github/a/b/blob/dev/n/x.ipynb"
    )
    with pytest.raises(TypeError, match="received 3"):
        site.colab_url("https://github.com/a/b", 3)


def test_build_site_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="'fr'"):
        site.build_site(tmp_path, root=ROOT, language="fr")
    with pytest.raises(ValueError, match="including the language being built"):
        site.build_site(tmp_path, root=ROOT, languages=["zh_CN"])
    with pytest.raises(ValueError, match="jobs=.*received 0"):
        site.build_site(tmp_path, root=ROOT, jobs=0)
    with pytest.raises(FileNotFoundError, match="pass root= the repository folder"):
        site.build_site(tmp_path, root=tmp_path)
    assert not (tmp_path / ".site").exists()


def test_main_reports_bad_input_without_a_traceback(tmp_path, capsys):
    assert site.main(["-o", str(tmp_path), "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kerasnotes site: ") and "notebooks" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", [("中文", "zh_CN", "zh/", ["index", "notebooks/x"])]),
        ("zh_CN", [("English", "en", "../", ["api/index", "index", "notebooks/x"])]),
    ],
)
def test_language_switch_points_at_the_other_site(tmp_path, language, expected):
    import runpy

    shutil.copy2(Path(site.__file__).with_name("site_assets") / "conf.py", tmp_path / "conf.py")
    other = expected[0][1]
    settings = {
        "counterparts": {other: expected[0][3]},
        "language": language,
        "languages": {code: site.LANGUAGES[code] for code in ("en", "zh_CN")},
        "repository": "",
        "root": str(ROOT),
    }
    (tmp_path / "_site.json").write_text(json.dumps(settings), encoding="utf-8")
    conf = runpy.run_path(str(tmp_path / "conf.py"))
    assert conf["html_context"]["kerasnotes_switch"] == expected
    assert conf["language"] == language and conf["nb_execution_mode"] == "off"
    # Sphinx's gettext is off: the sources are translated already, nothing is compiled
    assert conf["locale_dirs"] == [] and conf["gettext_auto_build"] is False
    assert conf["html_search_language"] == ("zh" if language == "zh_CN" else "en")
    # the page at <out>/notebooks/x.html links <out>/zh/notebooks/x.html and back
    en_page = Path("out/notebooks/x.html")
    zh_page = Path("out/zh/notebooks/x.html")
    page, other = (en_page, zh_page) if language == "en" else (zh_page, en_page)
    site_root = page.parents[1]
    assert (site_root / expected[0][2] / "notebooks/x.html").resolve() == other.resolve()
