"""Sphinx configuration of the course site (copied into the build's source folder).

The values that differ between builds (language, repository URL, the repository
folder) come from ``_site.json``, written beside this file by
``kerasnotes.course.site``; this file itself never changes, so Sphinx's
incremental build keeps its cache.
"""

import json
import sys
from pathlib import Path

_here = Path(__file__).resolve().parent
_site = json.loads((_here / "_site.json").read_text(encoding="utf-8"))
if _site["root"] not in sys.path:  # autodoc imports kerasnotes from the checkout
    sys.path.insert(0, _site["root"])

project = "Keras notes on Keras 3"
author = "kerasnotes developers"
copyright = "kerasnotes developers"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

# The lessons were executed by `kerasnotes run`; never run them again here.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "html_image"]
myst_heading_anchors = 3

exclude_patterns = ["_extra", "_templates", "_static", "_site.json", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_extra_path = ["_extra"]  # the clean source notebooks, served beside their pages
html_css_files = ["kerasnotes.css"]
html_favicon = "_static/favicon.svg"  # browsers ask for one; without it, a 404 in the console
html_copy_source = False
html_show_sourcelink = False
html_title = project
html_last_updated_fmt = None

# Internationalisation: the sources of a second language are already translated
# (kerasnotes.course.i18n builds them from our per-cell catalogs), so Sphinx's own gettext
# machinery stays off: no locale_dirs, and no .mo files compiled into the repository.
# `language` still selects Sphinx's and the theme's own words, and the search language.
language = _site["language"]
locale_dirs: list[str] = []
gettext_auto_build = False
# The language switch: (label, language code, path from this site's root to the other's,
# the pages that site has). A page goes to the same page in the other language, or to
# that site's home page when the other language has no such page.
_LABELS = {"en": "English", "zh_CN": "中文"}
_up = "../" if _site["languages"][language] else ""
html_context = {
    "kerasnotes_switch": [
        (
            _LABELS.get(code, code),
            code,
            _up + (f"{folder}/" if folder else ""),
            _site.get("counterparts", {}).get(code, []),
        )
        for code, folder in _site["languages"].items()
        if code != language
    ],
    # An explicit colour mode: with none, the theme logs a console error on a fresh profile.
    "default_mode": "auto",
}
html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": _site["repository"] or None,
    "use_repository_button": bool(_site["repository"]),
    "use_download_button": False,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "article_header_end": ["article-header-buttons.html", "language-switch.html"],
    "search_bar_text": "搜索…" if language.startswith("zh") else "Search...",
}
if not _site["repository"]:
    del html_theme_options["repository_url"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# Outputs of the notebooks that Sphinx cannot show are not worth a warning each.
suppress_warnings = ["mystnb.unknown_mime_type"]


# Search in Chinese: Sphinx's own zh search language is replaced by ours, which works on
# Sphinx 9 (sphinx-doc/sphinx#14229) and without jieba (see kerasnotes.course.site_search).
html_search_language = "zh" if language.startswith("zh") else "en"


def setup(app):  # noqa: ANN001, ANN201 (Sphinx's extension entry point)
    from kerasnotes.course.site_search import ChineseSearch

    app.add_search_language(ChineseSearch)
    return {"parallel_read_safe": True}
