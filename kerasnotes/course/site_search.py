"""Full-text search for the Chinese course site: a Sphinx search language for ``zh``.

Sphinx's own Chinese search does not work for this site, for two reasons:

- Sphinx 9.0 writes ``window.Stemmer = ChineseStemmer;`` into ``language_data.js``
  while the stemmer it ships for Chinese is the English one (``EnglishStemmer``), so
  the search page stops with "ChineseStemmer is not defined" and finds nothing
  (sphinx-doc/sphinx#14229; Sphinx 8.2 is not affected);
- without the optional ``jieba`` package, Sphinx's Chinese splitter yields no
  Chinese word at all: only Latin words reach the index.

:class:`ChineseSearch` replaces it (``app.add_search_language``, from the site's
``conf.py``), on every Sphinx version the course admits, with or without jieba. It
indexes Latin words as the English search does (lower-cased, English-stemmed) and
each run of CJK characters as its overlapping two-character pieces (a lone
character as itself). The search page splits a query the same way
(:data:`SPLITTER_JS`), and Sphinx's search keeps the pages that hold every piece:
回调 is one piece, 过拟合 is 过拟 and 拟合. No word list, no dictionary: the index
depends only on the text.

Example:
    >>> ChineseSearch({}).split("用 ModelCheckpoint 回调保存最佳模型")
    ['用', 'ModelCheckpoint', '回调', '调保', '保存', '存最', '最佳', '佳模', '模型']
"""

from __future__ import annotations

import re

from sphinx.search.zh import SearchChinese

__all__ = ["CJK", "SPLITTER_JS", "ChineseSearch", "cjk_pieces"]

#: The CJK characters that are split into pieces (CJK Unified Ideographs, Extension A,
#: Compatibility Ideographs).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(r"\w+")
_RUNS = re.compile(f"([{CJK}]+)")

#: The search page's query splitter: the same pieces as :meth:`ChineseSearch.split`.
SPLITTER_JS = """
var splitQuery = (query) => {
  const pieces = [];
  const runs = /([\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]+)/u;
  for (const word of query.split(/[^\\p{Letter}\\p{Number}_]+/u)) {
    for (const part of word.split(runs)) {
      if (!part) continue;
      if (!runs.test(part)) { pieces.push(part); continue; }
      if (part.length === 1) { pieces.push(part); continue; }
      for (let i = 0; i + 2 <= part.length; i++) pieces.push(part.slice(i, i + 2));
    }
  }
  return pieces;
};
"""


def cjk_pieces(run: str) -> list[str]:
    """The overlapping two-character pieces of a run of CJK characters (a lone one as is).

    Args:
        run: CJK characters only.

    Raises:
        ValueError: If ``run`` is empty or holds a character that is not CJK.

    >>> cjk_pieces("过拟合"), cjk_pieces("层")
    (['过拟', '拟合'], ['层'])
    """
    if not run or not re.fullmatch(f"[{CJK}]+", run):
        raise ValueError(
            f"cjk_pieces expects a non-empty run of CJK characters, received {run!r}; "
            "split the text with ChineseSearch.split instead"
        )
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


class ChineseSearch(SearchChinese):
    """Sphinx's ``zh`` search language with a working stemmer name and dictionary-free words.

    Latin words are kept whole (and English-stemmed, as Sphinx's Chinese search does);
    CJK runs become :func:`cjk_pieces`. ``jieba`` is never used, so the index is the same
    whether it is installed or not.
    """

    # Sphinx 9 names the stemmer "<language_name>Stemmer" in language_data.js; the code it
    # ships for Chinese is the English stemmer, whose constructor is EnglishStemmer.
    language_name = "English"
    js_splitter_code = SPLITTER_JS

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's parameter name)
        words: list[str] = []
        for word in _WORD.findall(input):
            for part in _RUNS.split(word):
                if not part:
                    continue
                if _RUNS.fullmatch(part):
                    words += cjk_pieces(part)
                else:
                    self._remember_latin(part)
                    words.append(part)
        return words

    def _remember_latin(self, word: str) -> None:
        # SearchChinese.stem leaves long Latin words it has seen unstemmed when stemming
        # would make them too short (acronyms); its record is a set or, in older Sphinx, a list.
        seen = getattr(self, "latin_terms", None)
        if isinstance(seen, set):
            seen.add(word)
        elif isinstance(seen, list):
            seen.append(word)

    def word_filter(self, stemmed_word: str) -> bool:
        """Keep Latin words of two characters or more, and every CJK piece."""
        return len(stemmed_word) > 1 or bool(_RUNS.fullmatch(stemmed_word))
