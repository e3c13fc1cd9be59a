"""The Chinese edition: catalog merging, the built notebooks, and the sync guard.

The guard tests at the top read the real catalogs in ``locale/zh_CN/LC_MESSAGES``: they fail
when an English markdown cell changed and its Chinese entry did not (fix: ``make zh``, then
translate the entries ``python -m kerasnotes.course.i18n check`` lists).
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from kerasnotes.course import i18n, notebooks
from kerasnotes.course.notebooks import lesson_info

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LOCALE = ROOT / "locale" / "zh_CN" / "LC_MESSAGES"
GLOSSARY = ROOT / "docs" / "glossary.md"

CJK = re.compile(r"[\u3400-\u9fff]")
CATALOGS = sorted(LOCALE.glob("*.po"))
DOC_CATALOGS = sorted((LOCALE / "docs").glob("*.po"))

# Glossary terms that may appear in an English cell without their Chinese term in the
# translation: (lesson stem, cell id, English term) -> why.
GLOSSARY_EXCEPTIONS = {
    ("22_image_data_generator", "023a12f9", "gradient"): (
        "'colour gradients' of the test card are 渐变 (a colour ramp), not 梯度 (a derivative)"
    ),
}
# An English term matches as a whole word, plus these endings (layer -> layers, overfit ->
# overfitting, predict -> prediction).
SUFFIX = r"(?:s|es|d|ed|ing|ting|ted|ion|ions)?"


def _english(stem: str) -> dict:
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))


def _entries(po_path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(po_path)) if not e.obsolete]


def _glossary() -> list[tuple[list[str], str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not line.startswith("|") or cells[0] in ("English", "---"):
            continue
        rows.append(([alt.strip() for alt in cells[0].split(" / ")], cells[1]))
    return rows


def _prose(markdown: str) -> str:
    """``markdown`` without fenced blocks, inline code and link targets."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


# A first cell's quoted notes headings: the label to the next blank line (what
# kerasnotes.course.notebooks.NOTES_RE reads as the lesson's notes section).
NOTES_LINE = re.compile(r"^\*\*Notes section:\*\*.*?(?=\n\s*\n|\Z)", re.MULTILINE | re.DOTALL)


def _paragraphs(markdown: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", markdown) if p.strip()]


# ----------------------------------------------------------------------------- the sync guard


# Issue 14's coverage: every lesson has a catalog (and the test below: every entry is current).
def test_every_lesson_has_a_catalog():
    report = i18n.check(NOTEBOOKS, LOCALE)
    assert report.untranslated == [], "no catalog yet: " + ", ".join(report.untranslated)
    assert len(report.translated) == len(list(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))


def test_every_catalog_is_up_to_date_with_its_english_lesson(capsys):
    report = i18n.check(NOTEBOOKS, LOCALE)
    with capsys.disabled():
        print(f"\n[i18n] {report.coverage}")
    assert not report.problems, "\n".join(str(p) for p in report.problems)
    assert report.entries == sum(len(_entries(p)) for p in CATALOGS)


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.stem)
def test_every_entry_is_chinese_and_keeps_the_markdown_structure(po_path):
    for entry in _entries(po_path):
        where = f"{po_path.stem}, cell {entry.msgctxt}"
        assert CJK.search(entry.msgstr), f"{where}: the translation has no Chinese"
        # Inline code, API names and error messages stay exactly as in the English.
        for code in set(re.findall(r"`[^`\n]+`", entry.msgid)):
            assert code in entry.msgstr, f"{where}: inline code {code} is missing"
        headings = re.findall(r"^(#+) ", entry.msgid, re.MULTILINE)
        assert re.findall(r"^(#+) ", entry.msgstr, re.MULTILINE) == headings, where
        for pattern in (r"^\s*(?:\d+\.|-) ", r"^\|"):  # list items, table rows
            count = len(re.findall(pattern, entry.msgid, re.MULTILINE))
            assert len(re.findall(pattern, entry.msgstr, re.MULTILINE)) == count, where
        assert re.findall(r"\]\(([^)]*)\)", entry.msgstr) == re.findall(
            r"\]\(([^)]*)\)", entry.msgid
        ), f"{where}: links differ"


@pytest.mark.parametrize("po_path", CATALOGS + DOC_CATALOGS, ids=lambda p: p.stem)
def test_gnu_msgfmt_accepts_the_catalog(po_path, tmp_path):
    """GNU gettext's own checker: header, format, newline agreement of msgid and msgstr."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed (apt-get install gettext)")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(tmp_path / "x.mo"), str(po_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    assert f"{len(_entries(po_path))} translated messages." in result.stderr


def _term_pattern(alternatives: list[str]) -> str:
    return "|".join(rf"(?<![\w-]){re.escape(a)}{SUFFIX}(?![\w-])" for a in alternatives)


def _glossary_prose(msgid: str) -> str:
    """The English prose the glossary check reads: :func:`_prose` without the notes line.

    A first cell's ``**Notes section:**`` line (to the next blank line) quotes the notes' own
    Chinese headings verbatim; its translation quotes them again, unchanged, so a term in a
    heading (``predict()`` in ``Keras Model类中的...predict()与predict_generator()``) asks
    nothing of the translation. Only that line is left out; the rest of the cell is checked.
    """
    return _prose(NOTES_LINE.sub(" ", msgid))


def _glossary_misses(stem: str, entries: list[polib.POEntry]) -> tuple[list[str], int]:
    """The glossary terms of ``entries``' English prose missing from their translation."""
    missing, checked = [], 0
    for entry in entries:
        prose = _glossary_prose(entry.msgid)
        for alternatives, chinese in _glossary():
            if not re.search(_term_pattern(alternatives), prose, re.IGNORECASE):
                continue
            checked += 1
            key = (stem, entry.msgctxt, alternatives[0])
            if chinese not in entry.msgstr and key not in GLOSSARY_EXCEPTIONS:
                missing.append(f"cell {entry.msgctxt}: {alternatives[0]!r} -> {chinese!r}")
    return missing, checked


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.stem)
def test_glossary_terms_are_used(po_path):
    assert len(_glossary()) >= 40
    missing, checked = _glossary_misses(po_path.stem, _entries(po_path))
    assert checked >= len(_entries(po_path)), f"{po_path.stem}: only {checked} terms found"
    assert not missing, f"{po_path.stem}: glossary terms not used:\n" + "\n".join(missing)


def test_the_quoted_notes_line_is_exempt_and_only_it():
    """A term in the quoted notes headings asks nothing; the same term elsewhere still does."""
    notes = (
        "# 99 · X\n\n**Notes section:** `a.txt` › fit()与predict()、\nevaluate() 的 callback\n\n"
    )
    quoted_only = polib.POEntry(
        msgctxt="q", msgid=notes + "Train it.", msgstr="# 99 · X\n\n**笔记章节：** …\n\n训练它。"
    )
    assert _glossary_misses("99_x", [quoted_only]) == ([], 0)
    # The same cell with `predict` (and `callback`) in its own prose: both misses are reported.
    for prose in ("Then predict.", "Then predict.\n\nAdd a callback."):
        real = polib.POEntry(msgctxt="r", msgid=notes + prose, msgstr="# 99 · X\n\n然后。")
        missing, _ = _glossary_misses("99_x", [real])
        assert "cell r: 'predict' -> '预测'" in missing
    assert "cell r: 'callback' -> '回调'" in missing
    # Prose on the notes line itself, after the label, is part of that line; prose before it is not.
    before = polib.POEntry(
        msgctxt="b", msgid="A callback.\n" + notes.split("\n\n", 1)[1], msgstr="一"
    )
    assert _glossary_misses("99_x", [before])[0] == ["cell b: 'callback' -> '回调'"]


def test_glossary_exceptions_are_still_needed():
    for (stem, cell, term), _why in GLOSSARY_EXCEPTIONS.items():
        entry = next(e for e in _entries(LOCALE / f"{stem}.po") if e.msgctxt == cell)
        assert re.search(_term_pattern([term]), _glossary_prose(entry.msgid), re.IGNORECASE)
        chinese = dict((alts[0], zh) for alts, zh in _glossary())[term]
        assert chinese not in entry.msgstr, f"{stem} {cell}: drop the exception for {term!r}"


def test_readme_zh_is_the_build_of_the_readme_catalog():
    """README.zh-CN.md is what `make zh` writes: every block translated, the file current."""
    po_path = LOCALE / "docs" / "README.po"
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    assert english.splitlines()[0] == i18n.README_SWITCH  # the first line links the Chinese one
    entries = {e.msgid: e for e in _entries(po_path)}
    blocks = [b for _, b in i18n.markdown_blocks(english)]
    for block in blocks:
        if notebooks.TABLE_START in block or block == i18n.README_SWITCH:
            assert block not in entries  # generated, not translated
            continue
        assert block in entries and not entries[block].fuzzy, f"README block {block[:60]!r}"
        assert entries[block].msgstr.strip(), f"README block {block[:60]!r} is not translated"
    written = (ROOT / i18n.README_ZH).read_text(encoding="utf-8")
    assert written == i18n.readme_zh(ROOT, LOCALE), "README.zh-CN.md is stale: run `make zh`"
    # Its table lists every lesson, under its Chinese title.
    rows = re.findall(r"^\| (\d\d) \| \[([^\]]+)\]\(notebooks/(\w+)\.ipynb\)", written, re.M)
    assert [stem for _, _, stem in rows] == [p.stem for p in CATALOGS]
    assert all(CJK.search(title) for _, title, _ in rows)
    assert written.count("](README.md)") == 1


def _ascii_quoted_chinese(msgstr: str) -> list[str]:
    """The ``"..."`` spans holding Chinese in the prose of ``msgstr`` (code, links, HTML out)."""
    prose = re.sub(r"<[^>\n]*>|https?://\S+", " ", _prose(msgstr))
    return [q for q in re.findall(r'"[^"\n]*"', prose) if CJK.search(q)]


@pytest.mark.parametrize("po_path", DOC_CATALOGS, ids=lambda p: p.stem)
def test_glossary_terms_are_used_in_the_documents(po_path):
    entries = _entries(po_path)
    for entry in entries:  # the misses name the block by its first line
        entry.msgctxt = f"line {entry.occurrences[0][1]}"
    missing, _ = _glossary_misses(f"docs/{po_path.stem}", entries)
    assert not missing, f"docs/{po_path.stem}: glossary terms not used:\n" + "\n".join(missing)


def test_the_quote_check_sees_prose_and_only_prose():
    assert _ascii_quoted_chinese('笔记中"callbacks 妙用"的第 4 条，"大"文件') == [
        '"callbacks 妙用"',
        '"大"',
    ]
    code = '`print("你好")`\n\n```python\nx = "层"\n```\n[见](a.md "标题") <a title="链接">'
    assert _ascii_quoted_chinese(code) == []
    assert _ascii_quoted_chinese('“大”文件，按 "Show solution"') == []


@pytest.mark.parametrize("po_path", CATALOGS + DOC_CATALOGS, ids=lambda p: p.stem)
def test_chinese_prose_quotes_with_full_width_marks(po_path):
    """Chinese prose quotes “…”; ASCII quotes stay in code only (fix: ``i18n quotes``)."""
    bad = [
        f"{entry.msgctxt or entry.occurrences[0][0]}: {quoted}"
        for entry in _entries(po_path)
        for quoted in _ascii_quoted_chinese(entry.msgstr)
    ]
    name = po_path.stem if po_path.parent == LOCALE else f"docs/{po_path.stem}"
    assert not bad, (
        f"{po_path.name}: ASCII quotes around Chinese; run "
        f"`python -m kerasnotes.course.i18n quotes {name}`:\n" + "\n".join(bad)
    )


def _document(po_path: Path) -> Path:
    return ROOT / "README.md" if po_path.stem == "README" else ROOT / "docs" / f"{po_path.stem}.md"


def _code_only(block: str) -> bool:
    """A fenced block without a comment: commands only, copied as they are."""
    return bool(re.fullmatch(r"```\w*\n[^#]*```", block))


@pytest.mark.parametrize("po_path", DOC_CATALOGS, ids=lambda p: p.stem)
def test_every_document_entry_is_chinese_and_keeps_code_and_links(po_path):
    document = _document(po_path)
    assert document.is_file(), f"{po_path} translates a document that does not exist"
    for entry in _entries(po_path):
        where = f"docs/{po_path.stem}.po, {entry.occurrences}"
        if _code_only(entry.msgid) and entry.msgstr == entry.msgid:
            continue
        assert CJK.search(entry.msgstr), f"{where}: the translation has no Chinese"
        for code in set(re.findall(r"`[^`\n]+`", entry.msgid)):
            assert code in entry.msgstr, f"{where}: inline code {code} is missing"
        assert re.findall(r"^(#+) ", entry.msgstr, re.M) == re.findall(r"^(#+) ", entry.msgid, re.M)
        assert sorted(re.findall(r"\]\(([^)]*)\)", entry.msgstr)) == sorted(
            re.findall(r"\]\(([^)]*)\)", entry.msgid)
        ), f"{where}: links differ"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh")
    return i18n.build_notebooks(out, NOTEBOOKS, LOCALE)


def test_built_notebooks_keep_the_english_code_cells(built):
    assert [p.stem for p in built] == [p.stem for p in CATALOGS]
    for path in built:
        zh = json.loads(path.read_text(encoding="utf-8"))
        en = _english(path.stem)
        assert zh["metadata"]["language"] == "zh_CN"
        # The first cell still reads "# NN · title": the runner and the site find the lesson.
        info = lesson_info(zh)
        assert info.number == lesson_info(en).number and CJK.search(info.title), path.stem
        assert {k: v for k, v in zh["metadata"].items() if k != "language"} == en["metadata"]
        assert [c["id"] for c in zh["cells"]] == [c["id"] for c in en["cells"]]
        for z, e in zip(zh["cells"], en["cells"], strict=True):
            assert z["cell_type"] == e["cell_type"]
            if e["cell_type"] != "markdown":
                assert z == e, f"{path.stem}: cell {e['id']} differs from the English"
            elif "".join(e["source"]).strip():
                assert CJK.search("".join(z["source"])), f"{path.stem}: cell {e['id']} is English"


def test_built_notebooks_are_valid_nbformat(built):
    nbformat = pytest.importorskip("nbformat")
    for path in built:
        nbformat.validate(nbformat.read(path, as_version=4))


def test_at_least_95_percent_of_the_chinese_paragraphs_are_chinese(built):
    paragraphs = []
    for path in built:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                paragraphs += _paragraphs("".join(cell["source"]))
    chinese = sum(bool(CJK.search(p)) for p in paragraphs)
    assert chinese / len(paragraphs) >= 0.95, f"{chinese} of {len(paragraphs)} paragraphs"


# ----------------------------------------------------------------------------- the machinery


def _lesson(folder: Path, cells: list[tuple[str, str, str]], stem: str = "01_x") -> Path:
    nb = {
        "cells": [
            {"cell_type": kind, "id": cid, "metadata": {}, "source": text}
            | ({"execution_count": None, "outputs": []} if kind == "code" else {})
            for kind, cid, text in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / f"{stem}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _translate(po_path: Path, **msgstrs: str) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgctxt in msgstrs:
            entry.msgstr = msgstrs[entry.msgctxt]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(po_path))


@pytest.fixture
def lesson(tmp_path):
    nbs, locale = tmp_path / "notebooks", tmp_path / "locale"
    nbs.mkdir()
    cells = [
        ("markdown", "m1", "# Title\n\nOne loss."),
        ("code", "c1", "x = 1"),
        ("markdown", "m2", "Same text."),
        ("markdown", "m3", "Same text."),
    ]
    nb = _lesson(nbs, cells)
    po_path = i18n.init_catalog("01", nbs, locale)
    _translate(po_path, m1="# 标题\n\n一个损失。", m2="相同的文字（甲）。", m3="相同的文字（乙）。")
    return nbs, locale, nb, po_path, cells


def test_identical_text_in_two_cells_gets_two_entries(lesson):
    _, _, _, po_path, _ = lesson
    entries = polib.pofile(str(po_path))
    assert [(e.msgctxt, e.msgid) for e in entries] == [
        ("m1", "# Title\n\nOne loss."),
        ("m2", "Same text."),
        ("m3", "Same text."),
    ]


def test_update_marks_changed_english_fuzzy_and_keeps_the_old_translation(lesson):
    nbs, locale, _, po_path, cells = lesson
    cells[0] = ("markdown", "m1", "# Title\n\nTwo losses.")
    _lesson(nbs, cells)
    assert i18n.update_catalogs(nbs, locale) == [po_path]
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgctxt == "m1")
    assert entry.msgid == "# Title\n\nTwo losses."
    assert entry.fuzzy and entry.msgstr == "# 标题\n\n一个损失。"
    assert entry.previous_msgid == "# Title\n\nOne loss."
    report = i18n.check(nbs, locale)
    assert [(p.lesson, p.cell) for p in report.problems] == [("01_x", "m1")]
    assert "make zh" in str(report.problems[0]) and "01_x" in str(report.problems[0])


def test_check_fails_when_the_english_changed_and_update_was_not_run(lesson):
    nbs, locale, _, _, cells = lesson
    cells[2] = ("markdown", "m2", "New text.")
    cells.append(("markdown", "m4", "A brand-new cell."))
    _lesson(nbs, cells)
    report = i18n.check(nbs, locale)
    assert [(p.cell, p.what) for p in report.problems] == [
        ("m2", "the English changed"),
        ("m4", "no entry"),
    ]


def test_no_translation_is_ever_lost(lesson):
    nbs, locale, _, po_path, cells = lesson
    _lesson(nbs, [c for c in cells if c[1] != "m3"])  # a cell is deleted...
    i18n.update_catalogs(nbs, locale)
    obsolete = [e for e in polib.pofile(str(po_path)) if e.obsolete]
    assert [(e.msgctxt, e.msgstr) for e in obsolete] == [("m3", "相同的文字（乙）。")]
    _lesson(nbs, cells)  # ...and comes back: its translation is used again, not fuzzy
    i18n.update_catalogs(nbs, locale)
    entries = polib.pofile(str(po_path))
    assert not [e for e in entries if e.obsolete]
    assert i18n.check(nbs, locale).problems == []


def test_a_moved_cell_with_a_new_id_keeps_its_translation_as_a_suggestion(lesson):
    nbs, locale, _, po_path, cells = lesson
    cells[0] = ("markdown", "n1", cells[0][2])
    _lesson(nbs, cells)
    i18n.update_catalogs(nbs, locale)
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgctxt == "n1")
    assert entry.fuzzy and entry.msgstr == "# 标题\n\n一个损失。"


def test_build_takes_markdown_from_the_catalog_and_code_unchanged(lesson, tmp_path):
    nbs, locale, _, _, _ = lesson
    (path,) = i18n.build_notebooks(tmp_path / "out", nbs, locale)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert ["".join(c["source"]) for c in cells] == [
        "# 标题\n\n一个损失。",
        "x = 1",
        "相同的文字（甲）。",
        "相同的文字（乙）。",
    ]


def test_a_lesson_without_a_catalog_is_reported_by_check(lesson, capsys):
    nbs, locale, _, _, _ = lesson
    _lesson(nbs, [("markdown", "z1", "Untranslated.")], stem="02_y")
    report = i18n.check(nbs, locale)
    assert report.translated == ["01_x"] and report.untranslated == ["02_y"]
    assert report.coverage == "1 of 2 lessons translated, 3 entries"
    assert i18n.main(["check", "--notebooks", str(nbs), "--locale", str(locale)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1 of 2 lessons translated, 3 entries"
    assert "no catalog yet: 02_y" in err


def test_main_check_exits_1_and_names_the_fix(lesson, capsys):
    nbs, locale, _, _, cells = lesson
    cells[0] = ("markdown", "m1", "Changed.")
    _lesson(nbs, cells)
    assert i18n.main(["check", "--notebooks", str(nbs), "--locale", str(locale)]) == 1
    err = capsys.readouterr().err
    assert "01_x, cell m1" in err and "make zh" in err


def test_main_update_and_build(lesson, tmp_path, capsys):
    nbs, locale, _, _, _ = lesson
    args = ["--notebooks", str(nbs), "--locale", str(locale)]
    assert i18n.main(["update", *args]) == 0
    assert i18n.main(["build", "-o", str(tmp_path / "b"), *args]) == 0
    assert "wrote 1 Chinese notebooks" in capsys.readouterr().out
    assert (tmp_path / "b" / "01_x.ipynb").is_file()


def test_bad_input_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.ipynb"):
        i18n.update_catalog(tmp_path / "nope.ipynb", tmp_path / "nope.po")
    with pytest.raises(ValueError, match="has no id"):
        i18n.markdown_cells({"cells": [{"cell_type": "markdown", "source": "x"}]})
    _lesson(tmp_path, [("markdown", "a", "x")], stem="03_z")
    with pytest.raises(ValueError, match="'99' matches 0 notebooks; pick one of: 03_z"):
        i18n.init_catalog("99", tmp_path, tmp_path)


def test_chinese_quotes_turns_prose_quotes_and_leaves_syntax_alone():
    text = (
        '# 标题 "一"\n\n按 "Show solution" 和 "隐藏"，`f("x")` 不变；\n'
        '```python\ns = "层"\n```\n'
        '[链接](a.md "title") <span class="k">"甲"</span> https://e.org/?q="x"\n'
        'a lone " stays'
    )
    assert i18n.chinese_quotes(text) == (
        '# 标题 “一”\n\n按 “Show solution” 和 “隐藏”，`f("x")` 不变；\n'
        '```python\ns = "层"\n```\n'
        '[链接](a.md "title") <span class="k">“甲”</span> https://e.org/?q="x"\n'
        'a lone " stays'
    )
    assert i18n.chinese_quotes("无引号。") == "无引号。"
    with pytest.raises(TypeError, match="received None"):
        i18n.chinese_quotes(None)


def test_quotes_command_rewrites_one_catalog_and_only_translations(lesson, capsys):
    nbs, locale, _, po_path, _ = lesson
    _translate(po_path, m2='相同的"文字"（甲）。')
    before = polib.pofile(str(po_path))
    args = ["--notebooks", str(nbs), "--locale", str(locale)]
    assert i18n.main(["quotes", "01", *args]) == 0
    assert "1 translations changed" in capsys.readouterr().out
    after = polib.pofile(str(po_path))
    assert [e.msgstr for e in after] == [
        "# 标题\n\n一个损失。",
        "相同的“文字”（甲）。",
        "相同的文字（乙）。",
    ]
    assert [e.msgid for e in after] == [e.msgid for e in before]
    assert i18n.normalise_quotes(po_path) == 0  # a second run changes nothing
    with pytest.raises(ValueError, match="'07' matches 0 catalogs; pick one of: 01_x"):
        i18n.main(["quotes", "07", *args])
    with pytest.raises(FileNotFoundError, match="nope.po"):
        i18n.normalise_quotes(locale / "nope.po")


def test_update_of_up_to_date_catalogs_changes_no_byte(tmp_path):
    (tmp_path / "docs").mkdir()
    for po_path in CATALOGS + DOC_CATALOGS:
        (tmp_path / po_path.relative_to(LOCALE)).write_bytes(po_path.read_bytes())
    updated = i18n.update_catalogs(NOTEBOOKS, tmp_path)
    assert len(updated) == len(CATALOGS) + len(DOC_CATALOGS)
    for po_path in CATALOGS + DOC_CATALOGS:
        copy = tmp_path / po_path.relative_to(LOCALE)
        assert copy.read_bytes() == po_path.read_bytes(), po_path.name


# ----------------------------------------------------------------------------- documents

# A document that exercises every part of the splitting rule: a heading, a paragraph whose
# first line ends in two spaces (a markdown line break, kept), a blank line of spaces, a
# fenced block with a blank line inside, a rule (no letter: copied, not an entry), the same
# paragraph twice, and a Chinese-only block.
DOC = (
    "# Guide\n"  # 1
    "\n"
    "First line.  \n"  # 3
    "Second line.\n"
    "   \n"
    "```python\n"  # 6
    "x = 1\n"
    "\n"
    "y = 2\n"
    "```\n"
    "\n"
    "\n"
    "---\n"  # 13
    "\n"
    "Again.\n"  # 15
    "\n"
    "Again.\n"  # 17
    "\n"
    "回调。\n"  # 19
)


def test_markdown_blocks_split_on_blank_lines_outside_fences():
    assert i18n.markdown_blocks(DOC) == [
        (1, "# Guide"),
        (3, "First line.  \nSecond line."),
        (6, "```python\nx = 1\n\ny = 2\n```"),
        (13, "---"),
        (15, "Again."),
        (17, "Again."),
        (19, "回调。"),
    ]
    assert i18n.markdown_blocks("") == [] and i18n.markdown_blocks("\n\n \n") == []
    with pytest.raises(TypeError, match="received 3"):
        i18n.markdown_blocks(3)


def _doc(tmp_path: Path, text: str = DOC) -> tuple[Path, Path, Path]:
    nbs, docs, locale = tmp_path / "notebooks", tmp_path / "docs", tmp_path / "locale"
    nbs.mkdir(exist_ok=True)
    docs.mkdir(exist_ok=True)
    (docs / "guide.md").write_text(text, encoding="utf-8")
    return nbs, docs, locale


def test_doc_catalog_has_one_entry_per_block_with_a_letter(tmp_path):
    nbs, docs, locale = _doc(tmp_path)
    path = i18n.init_catalog("docs/guide", nbs, locale)
    assert path == locale / "docs" / "guide.po"
    entries = polib.pofile(str(path))
    assert [(e.msgctxt, e.msgid, e.occurrences) for e in entries] == [
        (None, "# Guide", [("docs/guide.md", "1")]),
        (None, "First line.  \nSecond line.", [("docs/guide.md", "3")]),
        (None, "```python\nx = 1\n\ny = 2\n```", [("docs/guide.md", "6")]),
        (None, "Again.", [("docs/guide.md", "15"), ("docs/guide.md", "17")]),
        (None, "回调。", [("docs/guide.md", "19")]),
    ]
    assert "#: docs/guide.md:15 docs/guide.md:17" in path.read_text(encoding="utf-8")


def _translator_catalog(path: Path, translations: dict[str, str]) -> None:
    """A catalog as another tool writes it: polib entries, no context, no line wrapping."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_CN"}
    for english, chinese in translations.items():
        po.append(polib.POEntry(msgid=english, msgstr=chinese))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def test_translate_document_joins_blocks_and_falls_back_to_english(tmp_path):
    nbs, docs, locale = _doc(tmp_path)
    po_path = locale / "docs" / "guide.po"
    _translator_catalog(
        po_path,
        {
            "# Guide": "# 指南",
            "First line.  \nSecond line.": "第一行。  \n第二行。",
            "Again.": "再来。",
        },
    )
    text, english = i18n.translate_document(DOC, po_path)
    assert text == (
        "# 指南\n\n第一行。  \n第二行。\n\n```python\nx = 1\n\ny = 2\n```\n\n---\n\n"
        "再来。\n\n再来。\n\n回调。"
    )
    assert english == 2  # the code block and the Chinese block have no entry with a msgstr
    po = polib.pofile(str(po_path))
    po[0].flags.append("fuzzy")
    po.save(str(po_path))
    assert i18n.translate_document(DOC, po_path)[0].startswith("# Guide\n\n第一行。")
    assert i18n.translate_document(DOC, None) == (
        "\n\n".join(b for _, b in i18n.markdown_blocks(DOC)),
        6,
    )


def test_update_and_check_cover_documents(tmp_path):
    nbs, docs, locale = _doc(tmp_path)
    po_path = locale / "docs" / "guide.po"
    blocks = [b for _, b in i18n.markdown_blocks(DOC) if b != "---"]
    _translator_catalog(po_path, {b: f"译文：{b}" for b in blocks})
    report = i18n.check(nbs, locale)
    assert report.problems == [] and report.documents == ["docs/guide"]
    assert report.coverage == "0 of 0 lessons translated, 0 entries; 1 documents, 6 entries"
    # The English changes: check names the block, update keeps the translation as fuzzy.
    (docs / "guide.md").write_text(DOC.replace("Second line.", "Second line, changed."), "utf-8")
    assert [(p.lesson, p.cell) for p in i18n.check(nbs, locale).problems] == [
        ("docs/guide", "line 3")
    ]
    assert i18n.update_catalogs(nbs, locale) == [po_path]
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgid.startswith("First"))
    assert entry.fuzzy and entry.msgstr == "译文：First line.  \nSecond line."
    assert entry.previous_msgid == "First line.  \nSecond line."
    assert "fuzzy" in i18n.check(nbs, locale).problems[0].what
    # A deleted block's translation is kept, obsolete.
    (docs / "guide.md").write_text(DOC.replace("回调。\n", ""), "utf-8")
    i18n.update_catalogs(nbs, locale)
    assert [e.msgid for e in polib.pofile(str(po_path)) if e.obsolete] == ["回调。"]
    (docs / "guide.md").unlink()
    with pytest.raises(FileNotFoundError, match="guide.md, which does not exist"):
        i18n.update_catalogs(nbs, locale)


def test_relative_inputs_are_copied_beside_the_chinese_notebooks(tmp_path):
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "data" / "f.txt").write_text("1 2\n", encoding="utf-8")
    (root / "notebooks").mkdir()
    cells = [
        ("markdown", "m1", "# 01 · X"),
        ("code", "c1", 'open("../data/f.txt").read()\nopen("../../outside.txt")'),
    ]
    nb = _lesson(root / "notebooks", cells)
    (tmp_path / "outside.txt").write_text("not ours", encoding="utf-8")
    i18n.init_catalog("01", nb.parent, tmp_path / "locale")
    out = tmp_path / "build" / "zh" / "notebooks"
    i18n.build_notebooks(out, nb.parent, tmp_path / "locale")
    assert (out.parent / "data" / "f.txt").read_text(encoding="utf-8") == "1 2\n"
    assert not (tmp_path / "build" / "outside.txt").exists()  # outside the repository


@pytest.mark.slow
def test_a_chinese_notebook_runs_where_make_zh_writes_it(tmp_path):
    """Lesson 21 reads ``../tests/fixtures/keras2``: its Chinese copy must run from build/zh/."""
    stem = "21_load_model_pitfalls"
    if not (LOCALE / f"{stem}.po").is_file():
        pytest.skip(f"{stem} has no catalog")
    pytest.importorskip("nbclient")
    out = tmp_path / "zh" / "notebooks"
    written = i18n.build_notebooks(out, NOTEBOOKS, LOCALE)
    zh_nb = out / f"{stem}.ipynb"
    assert zh_nb in written and (tmp_path / "zh" / "tests" / "fixtures" / "keras2").is_dir()
    result = subprocess.run(
        [sys.executable, "-m", "kerasnotes", "run", str(zh_nb), "-o", str(tmp_path / "run")]
        + ["--no-html"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    summary = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))
    assert [row["status"] for row in summary] == ["ok"]


# ----------------------------------------------------------------------------- make zh and build/


def test_make_zh_leaves_build_usable_for_the_next_run(tmp_path, monkeypatch, capsys):
    from kerasnotes.course.buildfolder import MARKER, BuildFolder

    monkeypatch.setattr(i18n, "course_root", lambda: tmp_path)
    assert i18n.main(["build", "--notebooks", str(NOTEBOOKS), "--locale", str(LOCALE)]) == 0
    built = sorted((tmp_path / "build" / "zh" / "notebooks").glob("*.ipynb"))
    assert [p.stem for p in built] == [p.stem for p in CATALOGS]
    # the next `kerasnotes run -o build` accepts the folder: every file is in the manifest
    BuildFolder.check(tmp_path / "build", sources=[])
    manifest = set(BuildFolder.read_manifest(tmp_path / "build") or [])
    assert {f"zh/notebooks/{p.name}" for p in built} <= manifest
    assert (tmp_path / "build" / MARKER).is_file()


def test_make_zh_refuses_a_build_folder_that_is_not_ours(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(i18n, "course_root", lambda: tmp_path)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "thesis.tex").write_text("mine", encoding="utf-8")
    assert i18n.main(["build", "--notebooks", str(NOTEBOOKS), "--locale", str(LOCALE)]) == 2
    assert "thesis.tex" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["thesis.tex"]


# ----------------------------------------------------------------------------- README.zh-CN.md


def _repo_with_readme(tmp_path: Path) -> tuple[Path, Path]:
    """A repository: two lessons with catalogs, and a README with the generated table."""
    root, locale = tmp_path / "repo", tmp_path / "repo" / "locale" / "zh_CN" / "LC_MESSAGES"
    (root / "notebooks").mkdir(parents=True)
    markers = f"{notebooks.TABLE_START}\n{notebooks.TABLE_END}\n"
    (root / "notebooks" / "README.md").write_text(markers, encoding="utf-8")
    first = "# 01 · Losses\n\n**Notes section:** `a.txt` › 一、损失\n\nText."
    _lesson(root / "notebooks", [("markdown", "h1", first)], stem="01_losses")
    _lesson(root / "notebooks", [("markdown", "h2", "# 02 · Layers")], stem="02_layers")
    readme = f"{i18n.README_SWITCH}\n\n# Demo\n\nA loss.\n\n{notebooks.TABLE_START}\n"
    readme += f"{notebooks.TABLE_END}\n\n```\nmake run\n```\n"
    (root / "README.md").write_text(readme, encoding="utf-8")
    notebooks.sync_tables(root, write=True)  # what `make table` writes
    for stem in ("01", "02"):
        i18n.init_catalog(stem, root / "notebooks", locale)
    _translate(
        locale / "01_losses.po", h1="# 01 · 损失\n\n**笔记章节：** `a.txt` › 一、损失\n\n文字。"
    )
    po_path = i18n.init_catalog("README", root / "notebooks", locale)
    assert po_path == locale / "docs" / "README.po"
    return root, locale


def test_readme_catalog_skips_the_generated_blocks_and_zh_takes_lesson_titles(tmp_path):
    root, locale = _repo_with_readme(tmp_path)
    po_path = locale / "docs" / "README.po"
    entries = polib.pofile(str(po_path))
    assert [(e.msgid, e.occurrences) for e in entries] == [
        ("# Demo", [("README.md", "3")]),
        ("A loss.", [("README.md", "5")]),
        ("```\nmake run\n```", [("README.md", "14")]),
    ]
    po = polib.pofile(str(po_path))
    po[0].msgstr, po[1].msgstr, po[2].msgstr = "# 演示", "一个损失。", po[2].msgid
    po.save(str(po_path))
    text = i18n.readme_zh(root, locale)
    body = text.split("-->\n\n", 1)[1]
    assert body.startswith("[English](README.md) · 中文\n\n# 演示\n\n一个损失。\n\n")
    # Lesson 01's row comes from its Chinese first cell; 02 has no translation: English stays.
    assert "| 01 | [损失](notebooks/01_losses.ipynb) | `a.txt` › 一、损失 |" in text
    assert "| 02 | [Layers](notebooks/02_layers.ipynb) |" in text
    assert text.endswith("```\nmake run\n```\n")
    # check: README.zh-CN.md missing, then written, then stale after a lesson's title changes.
    problems = [p for p in i18n.check(root / "notebooks", locale).problems if p.lesson == "README"]
    assert [(p.lesson, p.what) for p in problems] == [
        ("README", "README.zh-CN.md differs from what the catalogs build")
    ]
    assert str(problems[0]).endswith(
        "run `make zh` (or `python -m kerasnotes.course.i18n build`) to rewrite it"
    )
    assert i18n.write_readme_zh(root, locale) == root / "README.zh-CN.md"
    assert not [p for p in i18n.check(root / "notebooks", locale).problems if p.lesson == "README"]
    _translate(locale / "01_losses.po", h1="# 01 · 损失函数\n\n**笔记章节：** `a.txt` › 一、损失")
    problems = i18n.check(root / "notebooks", locale).problems
    assert [p.lesson for p in problems if p.lesson == "README"] == ["README"]


def test_make_table_changes_no_readme_entry(tmp_path):
    """`kerasnotes table` rewrites the English table: the catalog stays current, the zh table follows."""
    root, locale = _repo_with_readme(tmp_path)
    po_path = locale / "docs" / "README.po"
    before = [(e.msgid, e.msgstr, e.flags) for e in polib.pofile(str(po_path))]
    _lesson(root / "notebooks", [("markdown", "h3", "# 03 · Metrics")], stem="03_metrics")
    assert notebooks.sync_tables(root, write=True)  # the English table gained a row
    i18n.update_catalogs(root / "notebooks", locale)
    # Only the line numbers of the later blocks move; no entry changes or goes fuzzy.
    after = polib.pofile(str(po_path))
    assert [(e.msgid, e.msgstr, e.flags) for e in after] == before
    assert "| 03 | [Metrics](notebooks/03_metrics.ipynb) |" in i18n.readme_zh(root, locale)


def test_main_build_writes_readme_zh_in_the_checkout_only(tmp_path, monkeypatch, capsys):
    root, locale = _repo_with_readme(tmp_path)
    monkeypatch.setattr(i18n, "course_root", lambda: root)
    assert i18n.main(["build", "-o", str(tmp_path / "out")]) == 0
    assert not (root / "README.zh-CN.md").exists()  # -o: only the notebooks, into DIR
    assert i18n.main(["build"]) == 0
    assert (root / "README.zh-CN.md").read_text(encoding="utf-8") == i18n.readme_zh(root, locale)
    assert "README.zh-CN.md" in capsys.readouterr().out
