"""The Chinese site: built from the English run's executed notebooks and the catalogs.

The fixture is a scratch repository with three real lessons that have catalogs, the real
catalogs and documents, and a tiny instructors' guide with its own tiny catalog (the real
guide's catalog is translated elsewhere). A fake run left executed copies with planted
outputs; the Chinese pages must show those outputs (nothing is executed again). Oracles:
the catalogs read with polib, the planted outputs, the files on disk that links point to,
and Sphinx's own search index.
"""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
from pathlib import Path

import polib
import pytest

from kerasnotes.course import i18n, site
from kerasnotes.course.notebooks import lesson_info

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale" / "zh_CN" / "LC_MESSAGES"
# Lessons that have a finished catalog on every branch (20-26 are translated).
LESSONS = ("22_image_data_generator", "23_callbacks", "26_gradients_and_autodiff")
OK, FAILED, OTHER = LESSONS
OUTPUT_MARK = "executed-output-marker-0c1d"
NEW_CELL = "kn-zh-new-cell"  # an English cell the catalog does not have yet
CJK = re.compile(r"[\u3400-\u9fff]")

GUIDE = """# Teaching guide

Set one exercise per lesson.

---

Callbacks come in lesson 23.
"""
GUIDE_ZH = {
    "# Teaching guide": "# 教学指南",
    "Set one exercise per lesson.": "每课布置一道练习。",
    "Callbacks come in lesson 23.": "回调在第 23 课讲解。",
}


def make_zh_course(base: Path) -> tuple[Path, Path]:
    """A scratch repository with catalogs and a fake run's output folder."""
    root, out = base / "repo", base / "build"
    (root / "notebooks").mkdir(parents=True)
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    locale = root / "locale" / "zh_CN" / "LC_MESSAGES"
    (locale / "docs").mkdir(parents=True)
    for po in (LOCALE / "docs").glob("*.po"):
        if po.stem != "instructors":
            shutil.copy2(po, locale / "docs" / po.name)
    # The guide and its catalog, written the way the translators' own script writes it.
    (root / "docs" / "instructors.md").write_text(GUIDE, encoding="utf-8")
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_CN"}
    for line, (english, chinese) in zip((1, 3, 7), GUIDE_ZH.items(), strict=True):
        po.append(
            polib.POEntry(
                msgid=english, msgstr=chinese, occurrences=[("docs/instructors.md", str(line))]
            )
        )
    po.save(str(locale / "docs" / "instructors.po"))
    out.mkdir()
    summary = []
    for stem in LESSONS:
        shutil.copy2(LOCALE / f"{stem}.po", locale / f"{stem}.po")
        nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        if stem == OTHER:
            nb["cells"].append(
                {"cell_type": "markdown", "id": NEW_CELL, "metadata": {}, "source": "A new cell."}
            )
        (root / "notebooks" / f"{stem}.ipynb").write_text(
            json.dumps(nb, indent=1), encoding="utf-8"
        )
        executed = copy.deepcopy(nb)
        code = next(c for c in executed["cells"] if c["cell_type"] == "code")
        code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": OUTPUT_MARK}]
        (out / f"{stem}.ipynb").write_text(json.dumps(executed, indent=1), encoding="utf-8")
        summary.append(
            {
                "notebook": f"notebooks/{stem}.ipynb",
                "status": "failed" if stem == FAILED else "ok",
                "seconds": 2.0,
                "cached": False,
                "executed": f"{stem}.ipynb",
                "error": {"cell": 1, "ename": "RuntimeError", "evalue": "planted"}
                if stem == FAILED
                else None,
            }
        )
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return root, out


_BUILT: dict[str, object] = {}


def build_zh_fixture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Both sites of the fixture, built once per session (shared with the browser test)."""
    pytest.importorskip(
        "myst_nb", reason="the site needs the course extra: pip install -e '.[course]'"
    )
    pytest.importorskip("sphinx_book_theme")
    if "results" not in _BUILT:
        root, out = make_zh_course(tmp_path_factory.mktemp("zhsite"))
        results = site.build_all(out, root=root, jobs=1)
        _BUILT.update(results=results, root=root, out=out)
    return _BUILT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_zh_fixture(tmp_path_factory)


def _pages(site_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in site_dir.rglob("*.html")
        if not {".site", "_static", "zh"} & set(p.relative_to(site_dir).parts)
    )


def _article(page: str) -> str:
    match = re.search(r"<article[^>]*>(.*)</article>", page, re.S)
    assert match, "no <article> in the page"
    return match.group(1)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def prose_paragraphs(page: str) -> list[str]:
    """The text of the article's ``<p>`` elements that hold prose.

    Not prose: code (``<code>``, ``<pre>``), cell outputs, table cells (the glossary's
    English column is English by design; a table is not a paragraph), and a paragraph
    whose text has no letter once code is removed (numbers, punctuation, a lone API name).
    """
    body = _article(page)
    body = re.sub(r"<div class=\"cell_output[^\"]*\".*?</div>\s*</div>", " ", body, flags=re.S)
    body = re.sub(r"<pre.*?</pre>", " ", body, flags=re.S)
    body = re.sub(r"<table.*?</table>", " ", body, flags=re.S)
    paragraphs = []
    for p in re.findall(r"<p[ >].*?</p>", body, re.S):
        text = _text(re.sub(r"<code.*?</code>", " ", p, flags=re.S))
        if any(ch.isalpha() for ch in text):
            paragraphs.append(text)
    return paragraphs


def _switch(page: str, code: str) -> str:
    found = re.findall(rf'<a class="[^"]*kn-lang[^"]*" hreflang="{code}"[^>]*href="([^"]+)"', page)
    assert len(found) == 1, f"expected one switch link to {code}, found {found}"
    return found[0]


# ------------------------------------------------------------------------ the built sites


@pytest.mark.slow
def test_both_sites_are_built_from_one_run(built, capsys):
    en, zh = built["results"]
    out = built["out"]
    assert en.index == out / "index.html" and zh.index == out / "zh" / "index.html"
    assert zh.lessons == en.lessons == 3
    for stem in LESSONS:
        page = (out / "zh" / "notebooks" / f"{stem}.html").read_text(encoding="utf-8")
        assert OUTPUT_MARK in page, f"{stem}: the executed output is not on the Chinese page"
    # The English cell the catalog lacks is shown in English, counted and reported.
    assert zh.untranslated == {f"notebooks/{OTHER}": 1}
    assert "A new cell." in (out / "zh" / "notebooks" / f"{OTHER}.html").read_text("utf-8")
    assert "1 cells or blocks still in English" in str(zh) and OTHER in str(zh)
    assert en.untranslated == {}
    with capsys.disabled():
        print(f"\n[zh site] {zh}")


@pytest.mark.slow
def test_home_page_is_chinese_with_the_lessons_chinese_headings(built):
    out, root = built["out"], built["root"]
    home = (out / "zh" / "index.html").read_text(encoding="utf-8")
    assert "学习路线" in home and "笔记章节" in home and "课程" in home
    locale = root / "locale" / "zh_CN" / "LC_MESSAGES"
    for stem in LESSONS:
        first = polib.pofile(str(locale / f"{stem}.po"))[0]
        title = re.match(r"# \d\d · (.+)", first.msgstr).group(1)
        rows = [r for r in re.findall(r"<tr.*?</tr>", home, re.S) if f"notebooks/{stem}.html" in r]
        assert len(rows) == 1
        row = _text(rows[0])
        assert _text(title.split("：")[0].replace("`", "")) in row
        # the notes' section, read from the Chinese first cell's 笔记章节 line
        zh_info = lesson_info(
            i18n.translate_notebook(
                {"cells": [{"cell_type": "markdown", "id": first.msgctxt, "source": first.msgid}]},
                locale / f"{stem}.po",
            )[0]
        )
        assert zh_info.notes_section and _text(zh_info.notes_section.replace("`", "")) in row
    assert "失败" in home  # the failed lesson's status, in Chinese


@pytest.mark.slow
def test_glossary_and_instructors_pages_are_chinese(built):
    out = built["out"]
    glossary = (out / "zh" / "glossary.html").read_text(encoding="utf-8")
    assert "序贯模型" in glossary and "术语对照" in glossary
    guide = _text((out / "zh" / "instructors.html").read_text(encoding="utf-8"))
    for chinese in GUIDE_ZH.values():
        assert _text(chinese.lstrip("# ")) in guide
    assert "Set one exercise" not in guide
    assert "Set one exercise" in (out / "instructors.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_at_least_95_percent_of_prose_paragraphs_on_every_zh_page_are_chinese(built, capsys):
    zh_dir = built["out"] / "zh"
    pages = [p for p in _pages(zh_dir) if p.name not in ("genindex.html", "search.html")]
    assert len(pages) >= 3 + 4  # lessons, home, notes map, glossary, guide
    shares = {}
    for page in pages:
        paragraphs = prose_paragraphs(page.read_text(encoding="utf-8"))
        assert paragraphs, f"{page}: no prose found (the measure would be empty)"
        chinese = sum(bool(CJK.search(p)) for p in paragraphs)
        shares[page.relative_to(zh_dir).as_posix()] = (chinese, len(paragraphs))
    worst = min(shares, key=lambda k: shares[k][0] / shares[k][1])
    with capsys.disabled():
        print(
            f"\n[zh site] {len(pages)} pages; lowest share of Chinese paragraphs: {worst} {shares[worst]}"
        )
    for name, (chinese, total) in shares.items():
        # the lesson with one untranslated cell is allowed that one English paragraph
        assert chinese / total >= 0.95, f"{name}: {chinese} of {total} paragraphs are Chinese"


def test_the_prose_measure_sees_english():
    page = (
        "<article><p>One English sentence.</p><p>一句中文。</p><p><code>x</code> 12</p>"
        "<table><tr><td><p>callback</p></td></tr></table></article>"
    )
    assert prose_paragraphs(page) == ["One English sentence.", "一句中文。"]


@pytest.mark.slow
def test_every_page_switches_to_its_counterpart(built):
    out = built["out"]
    for lang_dir, other, code in ((out, out / "zh", "zh_CN"), (out / "zh", out, "en")):
        for page in _pages(lang_dir):
            href = _switch(page.read_text(encoding="utf-8"), code)
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{page}: the switch points to missing {target}"
            counterpart = other / page.relative_to(lang_dir)
            expected = counterpart if counterpart.is_file() else other / "index.html"
            assert target == expected.resolve(), f"{page}: switch to {target}, not {expected}"
    # every lesson has its counterpart: the switch never falls back there
    for stem in LESSONS:
        page = (out / "notebooks" / f"{stem}.html").read_text(encoding="utf-8")
        assert _switch(page, "zh_CN") == f"../zh/notebooks/{stem}.html"


def _search_index(site_dir: Path) -> dict:
    text = (site_dir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


@pytest.mark.slow
def test_zh_search_index_holds_chinese_words_and_api_names(built):
    index = _search_index(built["out"] / "zh")
    docnames = index["docnames"]

    def pages_for(term: str) -> set[str]:
        hits = index["terms"].get(term)
        hits = hits if isinstance(hits, list) else [hits] if hits is not None else []
        titles = index.get("titleterms", {}).get(term)
        titles = titles if isinstance(titles, list) else [titles] if titles is not None else []
        return {docnames[i] for i in hits + titles}

    from kerasnotes.course.site_search import ChineseSearch

    stem = ChineseSearch({}).stem  # index keys are stemmed (Latin words only change)
    assert stem("回调") == "回调"
    assert f"notebooks/{FAILED}" in pages_for("回调")  # 23 is the callbacks lesson
    assert f"notebooks/{OK}" in pages_for(stem("ImageDataGenerator"))
    assert f"notebooks/{OK}" not in pages_for("回调") or "回调" in _text(
        (built["out"] / "zh" / "notebooks" / f"{OK}.html").read_text(encoding="utf-8")
    )


@pytest.mark.slow
def test_zh_search_script_names_the_stemmer_it_defines(built):
    """Sphinx 9 alone writes ``window.Stemmer = ChineseStemmer`` and no such class (#14229)."""
    js = (built["out"] / "zh" / "_static" / "language_data.js").read_text(encoding="utf-8")
    names = re.findall(r"window\.Stemmer = (\w+);", js)
    assert names, "language_data.js sets no stemmer"
    for name in names:
        assert re.search(rf"\b(?:var|let|const|function) {name}\b", js), f"{name} is not defined"
    assert "var splitQuery" in js  # the query is split into the index's CJK pieces


@pytest.mark.slow
def test_chinese_notebooks_beside_the_zh_pages(built):
    out, root = built["out"], built["root"]
    for stem in LESSONS:
        zh = json.loads((out / "zh" / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        en = json.loads((root / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        assert zh["metadata"]["language"] == "zh_CN"
        assert [c for c in zh["cells"] if c["cell_type"] == "code"] == [
            c for c in en["cells"] if c["cell_type"] == "code"
        ]
        assert CJK.search("".join(zh["cells"][0]["source"]))
        assert not any(c.get("outputs") for c in zh["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
def test_unchanged_rebuild_of_the_zh_site_rewrites_nothing(built):
    out, root = built["out"], built["root"]
    work = out / ".site" / "zh_CN"
    site.build_all(out, root=root, jobs=1)  # settles the first build's late cache-busting
    watched = [
        *(work / "src").rglob("*"),
        *(work / "doctrees").rglob("*.doctree"),
        *(out / "zh").rglob("*.html"),
    ]
    before = {p: p.stat().st_mtime_ns for p in watched if p.is_file()}
    site.build_all(out, root=root, jobs=1)
    assert {p: p.stat().st_mtime_ns for p in before} == before
