"""WCAG 2.1 AA in a real browser: axe-core in Debian's Chromium on the built fixture portal.

The fixture portal of ``test_html_validity.py`` (every page kind and editorial state, and a
release written as offices write) is built by a real ``mkdocs build``, served on 127.0.0.1 and
opened in headless Chromium (Playwright, never a downloaded browser) at a phone size and a
desktop size. axe-core, pinned in ``tools/package.json`` (installed by ``make test`` through
``npm ci --prefix tools``), is injected into each page and run with the WCAG 2.0/2.1 A and AA
rules: contrast of text, badges, verdict boxes and links; links told apart from text by more
than colour; landmarks, labels, ``lang``; keyboard access to scrolling regions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import CHROMIUM_MISSING, chromium_available, launch_args
from conftest import REPO
from test_html_validity import OFFICE_RELEASE, build_validator_site

from generator.search import CHROMIUM_PATH, LocalSiteServer

AXE_JS = REPO / "tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING = f"{AXE_JS} missing: run `npm ci --prefix tools` (done by `make test`)"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=CHROMIUM_MISSING),
    pytest.mark.skipif(not AXE_JS.is_file(), reason=AXE_MISSING),
]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: 360 px: the narrowest phones still common in Indonesia (a five-column table must fit it).
VIEWPORTS = {"ponsel": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
TIMEOUT_MS = 30_000  # generous: the suite shares two cores with other jobs

#: The pages the public reads most, one of each layout (site-relative directory URLs).
KEY_PAGES = (
    "",
    "wilayah/",
    "jawa-barat/",
    "kota-bandung/2024/2024-05-18-rapat-koordinasi/",  # image, tags, correction
    "kota-jayapura/2024/2024-06-01-hoaks-daun-x/",  # verdict box
    "kota-pontianak/2024/2024-02-01-jadwal-lama/",  # withdrawn banner
    f"{OFFICE_RELEASE}/",  # five-column table, long word, links in text
    "jenis/klarifikasi-hoaks/",
    "kantor/",
    "rss/",
    "cari/",
    "404.html",
    "tentang/",
    "panduan-kontributor/",  # wide tables of codes
)

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " :: " + (n.failureSummary || "")),
  }));
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_validator_site(tmp_path_factory)
    with LocalSiteServer(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=launch_args())
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=sorted(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """One tab per viewport, reused by every page (a fresh context would only cost time)."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def axe_violations(tab: Any, url: str) -> list[str]:
    tab.goto(url, wait_until="load")
    tab.add_script_tag(path=str(AXE_JS))
    violations = tab.evaluate(RUN_AXE, WCAG_21_AA)
    return [f"{v['id']} ({v['help']}): {node}" for v in violations for node in v["nodes"]]


@pytest.mark.parametrize("path", KEY_PAGES)
def test_page_meets_wcag_21_aa(tab: Any, base_url: str, path: str) -> None:
    assert axe_violations(tab, f"{base_url}/{path}") == []


def test_axe_finds_what_the_stylesheet_fixed(tab: Any, base_url: str) -> None:
    """The rules that failed before portal.css fixed them still fire here when the fix is
    undone on a real page, so a regression in the stylesheet fails the tests above."""
    tab.goto(f"{base_url}/kota-bandung/2024/2024-05-18-rapat-koordinasi/", wait_until="load")
    tab.add_style_tag(
        content=".md-typeset a { text-decoration: none !important; }"
        ".md-tabs__link { opacity: .7 !important; }"
        ".md-copyright { color: var(--md-footer-fg-color--lighter) !important; }"
    )
    tab.add_script_tag(path=str(AXE_JS))
    rules = {v["id"] for v in tab.evaluate(RUN_AXE, WCAG_21_AA)}
    assert {"color-contrast", "link-in-text-block"} <= rules


@pytest.mark.parametrize("path", ["", "kota-bandung/2024/2024-05-18-rapat-koordinasi/"])
def test_page_requests_nothing_from_another_host(tab: Any, base_url: str, path: str) -> None:
    """Privacy and slow links: a page served from any host asks only that host for anything,
    scripts' requests after load included. (Material's own bundle asked ``<site_url>/feeds/
    sitemap.xml`` for every feed link until the theme's copy of it dropped that handler.)"""
    requested: list[str] = []

    def record(request: Any) -> None:
        requested.append(request.url)

    tab.on("request", record)
    try:
        tab.goto(f"{base_url}/{path}", wait_until="networkidle")
    finally:
        tab.remove_listener("request", record)
    assert requested, "no request seen"
    assert [url for url in requested if not url.startswith(f"{base_url}/")] == []


def test_menu_sections_open_from_the_keyboard(browser: Any, base_url: str) -> None:
    """Material's script (the theme ships a copy of it) still runs: on a phone, Enter on a
    section of the menu opens it, which HTML alone cannot do for a <label>."""
    context = browser.new_context(viewport=VIEWPORTS["ponsel"], locale="id-ID")
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(f"{base_url}/tentang/", wait_until="load")
        tab.locator("label.md-header__button[for=__drawer]").focus()  # closed, it is hidden
        tab.keyboard.press("Enter")
        tab.wait_for_timeout(400)
        section = tab.locator('label.md-nav__link[tabindex="0"]').first
        toggle = tab.locator(f"#{section.get_attribute('for')}")
        assert not toggle.is_checked()
        section.focus()
        tab.keyboard.press("Enter")
        assert toggle.is_checked()
    finally:
        context.close()


@pytest.mark.parametrize("path", KEY_PAGES)
def test_first_tab_offers_a_skip_link_to_the_content(tab: Any, base_url: str, path: str) -> None:
    """WCAG 2.4.1: the first Tab stop on every page is Material's "Lewati ke isi" link, and
    following it moves the reader past the header and navigation to the page's own content."""
    tab.goto(f"{base_url}/{path}", wait_until="load")
    tab.keyboard.press("Tab")
    focused = tab.evaluate(
        "() => ({cls: document.activeElement.className,"
        " href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim()})"
    )
    assert "md-skip" in focused["cls"].split(), (path, focused)
    assert focused["text"] == "Lewati ke isi"
    target = focused["href"].split("#", 1)[1]
    assert tab.evaluate("(id) => !!document.getElementById(id)", target), (path, target)
    assert tab.evaluate(
        "(id) => !document.getElementById(id).closest('header, nav, .md-sidebar')", target
    )


def test_closed_menu_drawer_is_out_of_the_tab_order_and_opens_from_the_keyboard(
    browser: Any, base_url: str
) -> None:
    """On a phone the navigation is an off-screen drawer: while it is closed, Tab never lands
    on its (invisible) links; the menu button is reachable with Tab, has a name, and Enter
    opens the drawer, whose links are then reachable."""
    context = browser.new_context(viewport=VIEWPORTS["ponsel"], locale="id-ID")
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(f"{base_url}/jawa-barat/", wait_until="load")
        in_drawer = "() => !!document.activeElement.closest('.md-sidebar--primary')"
        menu_button = "() => document.activeElement.matches('label.md-header__button')"
        reached_button = False
        for _ in range(30):  # past the header, into the page: never into the closed drawer
            tab.keyboard.press("Tab")
            assert not tab.evaluate(in_drawer), "Tab reached a link of the closed drawer"
            reached_button = reached_button or tab.evaluate(menu_button)
        assert reached_button, "the menu button is not reachable with Tab"
        tab.locator("label.md-header__button[for=__drawer]").focus()
        assert tab.evaluate("() => document.activeElement.textContent.trim()") == "Menu navigasi"
        tab.keyboard.press("Enter")
        assert tab.locator("#__drawer").is_checked()
        tab.wait_for_timeout(400)  # the drawer slides in
        for _ in range(40):
            tab.keyboard.press("Tab")
            if tab.evaluate(in_drawer):
                break
        assert tab.evaluate(in_drawer), "the open drawer's links are not reachable with Tab"
    finally:
        context.close()


def test_search_results_and_open_filters_meet_wcag_21_aa(tab: Any, base_url: str) -> None:
    """/cari/ as a reader uses it: results drawn by search.js (links, marks, the live status,
    the "Muat lebih banyak" button) and every filter opened, at both widths."""
    tab.goto(f"{base_url}/cari/?q=rapat+koordinasi", wait_until="load")
    tab.wait_for_function(
        "() => document.querySelector('.portal-cari-page').dataset.state === 'selesai'"
    )
    assert tab.locator(".portal-cari-hasil__item").count() >= 1
    tab.evaluate(
        "() => document.querySelectorAll('#cari-saring details').forEach(d => d.open = true)"
    )
    tab.add_script_tag(path=str(AXE_JS))
    violations = tab.evaluate(RUN_AXE, WCAG_21_AA)
    assert [f"{v['id']}: {n}" for v in violations for n in v["nodes"]] == []
