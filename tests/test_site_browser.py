"""The course site in a real browser: Debian's headless Chromium driven by Selenium.

The site is the fixture of ``test_site.py`` (three real lessons, a fake run), served
by ``http.server`` on 127.0.0.1 only; the language switch and the Chinese search use
the two-language fixture of ``test_site_zh.py``. Chromium and chromedriver are the system's
(``apt-get install chromium chromium-driver``; ``.ci/run`` installs them when it
can); nothing downloads a browser or a driver, and the test skips, saying why,
when they are missing.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
from test_site import LESSONS, OK, build_fixture_site
from test_site_zh import LESSONS as ZH_LESSONS
from test_site_zh import build_zh_fixture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)

pytestmark = pytest.mark.slow


def _need_browser() -> None:
    pytest.importorskip("selenium", reason="pip install selenium (the dev extra) to drive Chromium")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).is_file():
            pytest.skip(f"{path} not found: apt-get install {package} (.ci/run does, when root)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site served on 127.0.0.1 (a free port), as ``(base_url, folder)``."""
    _need_browser()
    out = build_fixture_site(tmp_path_factory)["out"]
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", out
    finally:
        server.shutdown()
        server.server_close()


def _serve(out: Path):
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def served_zh(tmp_path_factory):
    """The two-language fixture (English at the root, Chinese at zh/), served like ``served``."""
    _need_browser()
    out = build_zh_fixture(tmp_path_factory)["out"]
    server = _serve(out)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", out
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(served):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="kerasnotes-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _is_page(out: Path, path: Path) -> bool:
    """A page of the site (not Sphinx's working files, not a theme template in _static)."""
    return not {".site", "_static"} & set(path.relative_to(out).parts)


def _errors(driver) -> list[str]:
    """The browser's console errors since the last call (uncaught exceptions, failed loads)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.links.append(attrs.get("href") or attrs.get("src"))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_home_page_links_every_lesson(browser, served):
    from selenium.webdriver.common.by import By

    base, _ = served
    browser.get(base + "index.html")
    hrefs = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "article a")}
    for stem in LESSONS:
        assert base + f"notebooks/{stem}.html" in hrefs, f"the home page does not link {stem}"
    assert _errors(browser) == []


def test_search_finds_lesson_22(browser, served):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = served
    browser.get(base + "search.html?q=ImageDataGenerator")
    results = WebDriverWait(browser, 20).until(
        ec.presence_of_all_elements_located((By.CSS_SELECTOR, "#search-results li a"))
    )
    hrefs = [r.get_attribute("href") for r in results]
    assert any("notebooks/22_image_data_generator.html" in h for h in hrefs), hrefs
    assert not any("notebooks/10_concatenate_axes.html" in h for h in hrefs), hrefs
    assert _errors(browser) == []


def test_solution_toggle_opens(browser, served):
    from selenium.webdriver.common.by import By

    base, _ = served
    browser.get(base + f"notebooks/{OK}.html")
    toggles = [
        d
        for d in browser.find_elements(By.CSS_SELECTOR, "details")
        if "Show solution" in d.find_element(By.TAG_NAME, "summary").get_attribute("textContent")
    ]
    # the lesson's own solutions and the one the fixture planted, whose output is known
    planted = [d for d in toggles if "solution-output-marker" in d.get_attribute("textContent")]
    assert len(toggles) >= 1 and len(planted) == 1
    details = planted[0]
    code = details.find_element(By.CSS_SELECTOR, "div.highlight")
    assert details.get_attribute("open") is None and not code.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", details)
    details.find_element(By.TAG_NAME, "summary").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda _: code.is_displayed())
    assert details.get_attribute("open") is not None and code.is_displayed()
    assert "solution-output-marker" in details.text
    assert _errors(browser) == []


def test_no_page_logs_an_error_or_loads_from_another_host(browser, served):
    base, out = served
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if _is_page(out, p))
    assert len(pages) >= 10
    _errors(browser)  # drop what earlier tests left
    for rel in pages:
        browser.get(base + rel)
        assert _errors(browser) == [], rel
        loaded = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
        foreign = [u for u in loaded if not u.startswith(base)]
        assert foreign == [], f"{rel} loads {foreign}"


def test_no_internal_link_is_broken(served):
    base, out = served
    pages = [p for p in out.rglob("*.html") if _is_page(out, p)]
    parsed = {p: _parse(p) for p in pages}
    broken = []
    checked = 0
    for page, found in parsed.items():
        page_url = base + page.relative_to(out).as_posix()
        for href in found.links:
            url, fragment = urldefrag(urljoin(page_url, href))
            if not url.startswith(base) or urlparse(url).scheme not in ("http", "https"):
                continue
            target = out / unquote(urlparse(url).path.lstrip("/"))
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.name}: {href}")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{page.name}: {href} (no id {fragment!r})")
    assert checked > 100
    assert broken == []
    # and the server really serves what the pages link to
    import urllib.request

    with urllib.request.urlopen(base + f"notebooks/{OK}.ipynb", timeout=10) as response:
        assert response.status == 200 and re.search(rb'"cells"', response.read())


def test_the_language_switch_opens_the_same_lesson_in_chinese_and_back(browser, served_zh):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = served_zh
    stem = ZH_LESSONS[1]
    browser.get(base + f"notebooks/{stem}.html")
    browser.find_element(By.CSS_SELECTOR, 'a.kn-lang[hreflang="zh_CN"]').click()
    WebDriverWait(browser, 10).until(lambda b: "/zh/" in b.current_url)
    assert browser.current_url == base + f"zh/notebooks/{stem}.html"
    title = browser.find_element(By.CSS_SELECTOR, "article h1").get_attribute("textContent")
    assert re.search(r"[\u4e00-\u9fff]", title), title
    browser.find_element(By.CSS_SELECTOR, 'a.kn-lang[hreflang="en"]').click()
    WebDriverWait(browser, 10).until(lambda b: "/zh/" not in b.current_url)
    assert browser.current_url == base + f"notebooks/{stem}.html"
    assert _errors(browser) == []


@pytest.mark.parametrize(
    ("query", "lesson"),
    [("回调", "23_callbacks"), ("ImageDataGenerator", "22_image_data_generator")],
)
def test_chinese_search_finds_a_lesson(browser, served_zh, query, lesson):
    from urllib.parse import quote

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = served_zh
    _errors(browser)  # drop what earlier tests left
    browser.get(base + "zh/search.html?q=" + quote(query))
    results = WebDriverWait(browser, 20).until(
        ec.presence_of_all_elements_located((By.CSS_SELECTOR, "#search-results li a"))
    )
    hrefs = [r.get_attribute("href") for r in results]
    assert any(h.startswith(base + f"zh/notebooks/{lesson}.html") for h in hrefs), hrefs
    assert _errors(browser) == []  # no "ChineseStemmer is not defined" (sphinx-doc/sphinx#14229)
