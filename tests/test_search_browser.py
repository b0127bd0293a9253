"""Search in a real browser: Debian's Chromium driven by Playwright against a built site served
on 127.0.0.1, with the real Pagefind index and UI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import (
    CHROMIUM_MISSING,
    HIDDEN_WORDS,
    PORTAL_RELEASES,
    chromium_available,
    launch_args,
    mkdocs_build,
    write_portal_releases,
)
from conftest import PortalRepo

from generator.search import CHROMIUM_PATH, LocalSiteServer, query_cost

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=CHROMIUM_MISSING),
]

JALAN = "Percepatan Pembangunan Jalan Lingkungan"
PASAR = "Pembangunan Pasar Rakyat Soreang Dimulai"
JEMBATAN = "Pembangunan Jembatan Kapuas Tahap Dua"
VAKSINASI = "Vaksinasi Anak Sekolah Dasar"
TIMEOUT_MS = 30_000  # generous: the suite shares two cores with other jobs


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample portal: a PortalRepo with PORTAL_RELEASES, built by a real ``mkdocs build``
    with the portal plugin and ``search: true`` (so Pagefind runs in on_post_build)."""
    repo = PortalRepo(tmp_path_factory.mktemp("search-portal") / "repo")
    write_portal_releases(repo)
    site = mkdocs_build(repo.root / "mkdocs.yml")
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    return site


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    with LocalSiteServer(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=launch_args())
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; the test fails if the page logged a console error or threw."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    tab.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # Console errors name no URL; failed requests say which resource broke.
    tab.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    tab.on(
        "response",
        lambda response: (
            errors.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield tab
    context.close()
    assert errors == [], f"console errors: {errors}"


def results_text(page: Any) -> str:
    """Wait until Pagefind shows the outcome of the current search, then return the results."""
    page.wait_for_function(
        """() => {
            const message = document.querySelector('.pagefind-ui__message');
            return !!message && /hasil|tidak ditemukan/i.test(message.textContent);
        }"""
    )
    return str(page.inner_text(".pagefind-ui__results-area"))


def result_titles(page: Any) -> list[str]:
    """Titles of the shown results, once every result on the first page has loaded its data."""
    results_text(page)
    page.wait_for_function(
        """() => {
            const message = document.querySelector('.pagefind-ui__message').textContent;
            const found = Number((message.match(/(\\d+) hasil/) || [0, 0])[1]);
            // While a result loads its data Pagefind shows a placeholder title (". . .").
            const loading = document.querySelectorAll('.pagefind-ui__loading').length;
            const titles = document.querySelectorAll('.pagefind-ui__result-link').length;
            return loading === 0 && titles === Math.min(found, 10);
        }"""
    )
    return [str(t) for t in page.locator(".pagefind-ui__result-link").all_inner_texts()]


def address_params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_query_returns_the_release_with_region_date_and_excerpt(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=vaksinasi")

    assert result_titles(page) == [VAKSINASI]
    result = page.locator(".pagefind-ui__result").first
    assert "Wilayah: Kota Makassar" in result.inner_text()
    assert "Tanggal: Kamis, 3 Maret 2022 08.00 WITA" in result.inner_text()
    assert result.locator(".pagefind-ui__result-excerpt mark").count() >= 1
    href = result.locator("a.pagefind-ui__result-link").get_attribute("href")
    assert href == "/kota-makassar/2022/2022-03-03-vaksinasi-anak/"
    assert href in {release.url for release in PORTAL_RELEASES}
    # Indonesian UI strings (Pagefind's built-in "id" translation), announced to screen readers.
    assert "Ditemukan 1 hasil untuk vaksinasi" in page.inner_text(".pagefind-ui__message")
    status = page.get_by_role("status")
    page.wait_for_function(
        "() => document.getElementById('cari-status').textContent.includes('Ditemukan 1 hasil')"
    )
    assert status.get_attribute("aria-live") == "polite"


def test_another_word_form_finds_the_releases(page: Any, base_url: str) -> None:
    # No page contains "membangun": the Indonesian stemmer maps it and "pembangunan" to "bangun".
    page.goto(f"{base_url}/cari/?q=membangun")

    assert sorted(result_titles(page)) == sorted([JALAN, PASAR, JEMBATAN])


def test_withdrawn_draft_and_embargoed_releases_are_never_found(page: Any, base_url: str) -> None:
    for word in HIDDEN_WORDS:
        page.goto(f"{base_url}/cari/?q={word}")
        assert "tidak ditemukan" in results_text(page)
        assert result_titles(page) == []


def test_province_filter_narrows_results_and_is_kept_in_the_address(
    page: Any, base_url: str
) -> None:
    page.goto(f"{base_url}/cari/?q=membangun")
    assert len(result_titles(page)) == 3

    page.locator("summary", has_text="Provinsi").click()
    page.get_by_label(re.compile(r"^Jawa Barat")).check()

    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length === 2")
    assert sorted(result_titles(page)) == sorted([JALAN, PASAR])
    page.wait_for_function("() => location.search.includes('provinsi=')")
    assert address_params(page) == {"q": ["membangun"], "provinsi": ["Jawa Barat"]}

    # The deep link restores query and filter.
    page.goto(page.url)
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length === 2")
    assert sorted(result_titles(page)) == sorted([JALAN, PASAR])
    assert page.locator("input[name='provinsi'][value='Jawa Barat']").is_checked()
    assert page.locator(".pagefind-ui__search-input").input_value() == "membangun"


def test_typing_a_query_updates_the_address(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/")
    page.get_by_role("textbox", name="Kata kunci pencarian").fill("jembatan")

    assert result_titles(page) == [JEMBATAN]
    page.wait_for_function("() => location.search === '?q=jembatan'")


def test_sort_by_newest_is_deep_linked(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=pembangunan&urut=terbaru")
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length === 3")

    assert result_titles(page) == [JALAN, JEMBATAN, PASAR]
    assert page.locator("#cari-urut").input_value() == "terbaru"

    page.locator("#cari-urut").select_option("")
    page.wait_for_function("() => !location.search.includes('urut=')")
    assert address_params(page) == {"q": ["pembangunan"]}


def test_header_search_box_submits_to_the_search_page(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/kota-bandung/2024/2024-05-18-jalan-lingkungan/")
    box = page.get_by_role("searchbox", name="Cari siaran pers dan wilayah")
    box.fill("jembatan")
    box.press("Enter")

    page.wait_for_url(re.compile(r"/cari/\?q=jembatan$"))
    assert result_titles(page) == [JEMBATAN]
    # The header box shows the current query.
    assert page.locator("#portal-cari-q").input_value() == "jembatan"


def test_query_cost_counts_pagefind_bytes(built_site: Path) -> None:
    # Playwright's sync API runs one driver per thread; this module's browser holds this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        (cost,) = pool.submit(query_cost, built_site, ["membangun"]).result()

    assert cost.query == "membangun"
    assert cost.result_count == 3
    assert 0 < cost.index_bytes < cost.total_bytes
    assert cost.index_bytes < cost.total_gzip_bytes < cost.total_bytes
    assert cost.requests >= 5  # UI script and style, pagefind.js, WASM, index, fragments
