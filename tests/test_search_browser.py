"""Search in a real browser: Debian's Chromium driven by Playwright against a built site served
on 127.0.0.1, with the portal's own index (``cari/indeks/``, written by generator/search.py)
and the search page's script (``assets/search.js`` with ``assets/stemmer-id.js``)."""

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
from conftest import REPO, PortalRepo

from generator.search import CHROMIUM_PATH, INDEX_DIR, LocalSiteServer, query_cost, terms_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=CHROMIUM_MISSING),
]

JALAN = "Percepatan Pembangunan Jalan Lingkungan"
PASAR = "Pembangunan Pasar Rakyat Soreang Dimulai"
JEMBATAN = "Pembangunan Jembatan Kapuas Tahap Dua"
VAKSINASI = "Vaksinasi Anak Sekolah Dasar"
TIMEOUT_MS = 30_000  # generous: the suite shares two cores with other jobs

#: More results than one page shows (10): a word only these releases contain, one a month in
#: 2021 (so "Terbaru" has a known order: the December one first).
POSYANDU = tuple(f"Posyandu Keliling Kelurahan Nomor {n}" for n in range(1, 13))
#: Index text that looks like markup: it must be shown as text, never parsed.
MARKUP_WORD = "kaligrafiaksara"
MARKUP_TEXT = "<img src=x onerror=alert(1)>"
#: A word whose posting bucket ("aux") Windows refuses as a file name: stored as aux_.json.
RESERVED_WORD = "auxiliarydana"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample portal: a PortalRepo with PORTAL_RELEASES (plus the POSYANDU releases and
    one with markup-like text), built by a real ``mkdocs build`` with the portal plugin and
    ``search: true`` (so the index is written in on_post_build)."""
    repo = PortalRepo(tmp_path_factory.mktemp("search-portal") / "repo")
    write_portal_releases(repo)
    for month, title in enumerate(POSYANDU, start=1):
        repo.write_release(
            "kota-bandung",
            f"2021-{month:02d}-15 09:00",
            f"posyandu-keliling-{month}",
            title=f'"{title}"',
            summary='"Kader posyandu melayani penimbangan balita di kelurahan."',
            body="Posyandu keliling melayani warga setiap bulan.\n",
            category="kesehatan",
        )
    repo.write_release(
        "kota-pontianak",
        "2023-09-09 10:00",
        "lomba-aksara",
        title='"Lomba Menulis Aksara Daerah"',
        summary='"Peserta lomba menulis aksara daerah datang dari seluruh kecamatan."',
        body=(
            f"Kata kunci unik {MARKUP_WORD} dengan contoh teks `{MARKUP_TEXT}` di naskah.\n\n"
            f"Lampiran {RESERVED_WORD} tersedia.\n"
        ),
        category="pendidikan",
    )
    site = mkdocs_build(repo.root / "mkdocs.yml")
    assert (site / "cari" / "indeks" / "meta.json").is_file()
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

    # meta.json lists the dictionary buckets that exist, so even a word found nowhere
    # causes no request that fails.
    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    tab.on("console", console)
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


# --- Reading the page ------------------------------------------------------------------------

#: search.js marks the page container: data-state="selesai" once the outcome of the search
#: for data-q is drawn ("mencari" while it runs, "galat" if the index could not be read).
_OUTCOME_JS = """(q) => {
    const box = document.querySelector('.portal-cari-page');
    return !!box && box.dataset.state === 'selesai' && (q === null || box.dataset.q === q);
}"""


def outcome(page: Any, q: str | None = None) -> str:
    """Wait until the search (for ``q``, if given) is done; return the status message."""
    page.wait_for_function(_OUTCOME_JS, arg=q)
    return str(page.inner_text("#cari-status"))


def result_titles(page: Any, q: str | None = None) -> list[str]:
    outcome(page, q)
    return [str(t) for t in page.locator(".portal-cari-hasil__judul").all_inner_texts()]


def address_params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


# --- What a reader sees ----------------------------------------------------------------------


def test_query_returns_the_release_with_region_date_and_excerpt(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=vaksinasi")

    assert result_titles(page, "vaksinasi") == [VAKSINASI]
    result = page.locator(".portal-cari-hasil__item").first
    assert result.locator(".portal-cari-hasil__wilayah").inner_text() == "Kota Makassar"
    assert (
        result.locator(".portal-cari-hasil__tanggal").inner_text()
        == "Kamis, 3 Maret 2022 08.00 WITA"
    )
    # The excerpt highlights the matched words (every form of the query word, and only them).
    marks = result.locator(".portal-cari-hasil__cuplikan mark").all_inner_texts()
    assert marks
    assert all(terms_of(mark) == ["vaksinasi"] for mark in marks), marks
    href = result.get_by_role("link", name=VAKSINASI).get_attribute("href")
    assert href == "/kota-makassar/2022/2022-03-03-vaksinasi-anak/"
    assert href in {release.url for release in PORTAL_RELEASES}
    # Indonesian outcome, announced to screen readers by the polite live region.
    assert outcome(page) == "Ditemukan 1 hasil untuk \u201cvaksinasi\u201d"
    status = page.get_by_role("status")
    assert status.get_attribute("id") == "cari-status"
    assert status.get_attribute("aria-live") == "polite"


@pytest.mark.parametrize("word", ["membangun", "dibangun", "bangun", "PEMBANGUNAN"])
def test_another_word_form_finds_the_releases(page: Any, base_url: str, word: str) -> None:
    # No page contains "membangun": the Indonesian stemmer maps it and "pembangunan" to "bangun".
    page.goto(f"{base_url}/cari/?q={word}")

    assert sorted(result_titles(page, word)) == sorted([JALAN, PASAR, JEMBATAN])


def test_every_word_must_match(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=pembangunan+jembatan")
    assert result_titles(page, "pembangunan jembatan") == [JEMBATAN]

    page.goto(f"{base_url}/cari/?q=pembangunan+vaksinasi")
    assert outcome(page, "pembangunan vaksinasi") == (
        "Tidak ada hasil untuk \u201cpembangunan vaksinasi\u201d"
    )
    assert page.locator(".portal-cari-hasil__item").count() == 0


def test_withdrawn_draft_and_embargoed_releases_are_never_found(
    page: Any, base_url: str, built_site: Path
) -> None:
    for word in HIDDEN_WORDS:
        page.goto(f"{base_url}/cari/?q={word}")
        assert outcome(page, word) == f"Tidak ada hasil untuk \u201c{word}\u201d"
        assert result_titles(page, word) == []
    # Not a word of them is in the index either (no dictionary entry, no fragment).
    index = built_site / "cari" / "indeks"
    for path in index.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8").lower()
            leaked = [word for word in HIDDEN_WORDS if word in text]
            assert leaked == [], f"{path.relative_to(index)} contains {leaked}"


def test_a_query_of_only_common_words_says_so(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=yang+dan+di")

    message = outcome(page, "yang dan di")
    assert "\u201cyang dan di\u201d terlalu umum" in message
    assert page.locator(".portal-cari-hasil__item").count() == 0


def test_index_text_is_shown_as_text(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q={MARKUP_WORD}")

    assert result_titles(page, MARKUP_WORD) == ["Lomba Menulis Aksara Daerah"]
    excerpt = page.locator(".portal-cari-hasil__cuplikan")
    assert MARKUP_TEXT in excerpt.inner_text()
    assert excerpt.locator("img").count() == 0
    assert excerpt.locator("mark").all_inner_texts() == [MARKUP_WORD]


# --- Filters, sort and the address -----------------------------------------------------------


def test_province_filter_narrows_results_and_is_kept_in_the_address(
    page: Any, base_url: str
) -> None:
    page.goto(f"{base_url}/cari/?q=membangun")
    assert len(result_titles(page, "membangun")) == 3

    page.locator("summary", has_text="Provinsi").click()
    page.get_by_label("Jawa Barat", exact=True).check()

    assert sorted(result_titles(page, "membangun")) == sorted([JALAN, PASAR])
    assert outcome(page) == "Ditemukan 2 hasil untuk \u201cmembangun\u201d"
    assert address_params(page) == {"q": ["membangun"], "provinsi": ["Jawa Barat"]}

    # The deep link restores query and filter.
    page.goto(page.url)
    assert sorted(result_titles(page, "membangun")) == sorted([JALAN, PASAR])
    assert page.locator("input[name='provinsi'][value='Jawa Barat']").is_checked()
    assert page.get_by_role("searchbox", name="Kata kunci pencarian").input_value() == "membangun"
    assert page.locator("#portal-cari-q").input_value() == "membangun"

    # On a wide screen a filter in use is shown open. Two values of one filter are either/or;
    # clearing the filters widens the search again.
    assert page.locator("details:has(> summary:has-text('Provinsi'))").evaluate("d => d.open")
    page.get_by_label("Kalimantan Barat", exact=True).check()
    assert sorted(result_titles(page, "membangun")) == sorted([JALAN, PASAR, JEMBATAN])
    assert address_params(page)["provinsi"] == ["Jawa Barat", "Kalimantan Barat"]
    page.get_by_role("button", name="Hapus saringan").click()
    assert len(result_titles(page, "membangun")) == 3
    assert address_params(page) == {"q": ["membangun"]}


def test_the_documented_deep_link_combines_filters_and_sort(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=pembangunan&provinsi=Jawa+Barat&tahun=2024&urut=terbaru")

    assert result_titles(page, "pembangunan") == [JALAN]
    assert page.locator("input[name='tahun'][value='2024']").is_checked()
    assert page.locator("input[name='provinsi'][value='Jawa Barat']").is_checked()
    assert page.locator("#cari-urut").input_value() == "terbaru"
    assert address_params(page) == {
        "q": ["pembangunan"],
        "provinsi": ["Jawa Barat"],
        "tahun": ["2024"],
        "urut": ["terbaru"],
    }


def test_typing_a_query_updates_the_address(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/")
    page.get_by_role("searchbox", name="Kata kunci pencarian").fill("jembatan")

    assert result_titles(page, "jembatan") == [JEMBATAN]
    page.wait_for_function("() => location.search === '?q=jembatan'")
    # The header box mirrors the query.
    assert page.locator("#portal-cari-q").input_value() == "jembatan"


def test_sort_by_newest_is_deep_linked(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=pembangunan&urut=terbaru")

    assert result_titles(page, "pembangunan") == [JALAN, JEMBATAN, PASAR]
    assert page.locator("#cari-urut").input_value() == "terbaru"

    page.locator("#cari-urut").select_option("")
    assert sorted(result_titles(page, "pembangunan")) == sorted([JALAN, JEMBATAN, PASAR])
    assert address_params(page) == {"q": ["pembangunan"]}


def test_more_results_load_on_request(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=posyandu&urut=terbaru")

    newest_first = list(reversed(POSYANDU))
    assert result_titles(page, "posyandu") == newest_first[:10]
    assert outcome(page) == "Ditemukan 12 hasil untuk \u201cposyandu\u201d"
    more = page.get_by_role("button", name="Muat lebih banyak hasil")
    more.click()

    page.wait_for_function(
        "() => document.querySelectorAll('.portal-cari-hasil__item').length > 10"
    )
    assert result_titles(page, "posyandu") == newest_first
    assert more.is_hidden()
    # The keyboard continues at the first result that was added.
    assert page.evaluate("() => document.activeElement.textContent") == newest_first[10]


def test_filters_work_from_the_keyboard(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=pembangunan")
    outcome(page, "pembangunan")

    page.locator("summary", has_text="Jenis").focus()
    page.keyboard.press("Enter")  # opens the <details>
    for _ in range(10):  # Tab through the jenis checkboxes to "Pengumuman"
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.value") == "Pengumuman":
            break
    assert page.evaluate("() => document.activeElement.name") == "jenis"
    page.keyboard.press("Space")

    assert result_titles(page, "pembangunan") == [JEMBATAN]
    assert address_params(page) == {"q": ["pembangunan"], "jenis": ["Pengumuman"]}


def test_header_search_box_submits_to_the_search_page(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/kota-bandung/2024/2024-05-18-jalan-lingkungan/")
    box = page.get_by_role("searchbox", name="Cari siaran pers dan wilayah")
    box.fill("jembatan")
    box.press("Enter")

    page.wait_for_url(re.compile(r"/cari/\?q=jembatan$"))
    assert result_titles(page, "jembatan") == [JEMBATAN]
    # The header box shows the current query.
    assert page.locator("#portal-cari-q").input_value() == "jembatan"


def test_phone_width_keeps_everything_in_view(browser: Any, base_url: str) -> None:
    """360 px: the filters are closed toggles (even a chosen one) and nothing scrolls sideways,
    with results shown and the longest filter opened."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(f"{base_url}/cari/?q=pembangunan&provinsi=Jawa+Barat")
        assert len(result_titles(tab, "pembangunan")) == 2
        assert tab.locator(".portal-cari-saring details[open]").count() == 0
        tab.locator("summary", has_text="Wilayah").click()
        width = tab.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360
    finally:
        context.close()


def test_portal_served_below_a_path(page: Any, built_site: Path, tmp_path: Path) -> None:
    """Result links and the index are found from the script's own address, not from /."""
    (tmp_path / "portal").symlink_to(built_site, target_is_directory=True)
    with LocalSiteServer(tmp_path) as url:
        page.goto(f"{url}/portal/cari/?q=vaksinasi")
        assert result_titles(page, "vaksinasi") == [VAKSINASI]
        href = page.get_by_role("link", name=VAKSINASI).get_attribute("href")
        assert href == "/portal/kota-makassar/2022/2022-03-03-vaksinasi-anak/"


# --- The browser and Python see the same words -----------------------------------------------


def _parity_strings() -> list[str]:
    """A few hundred strings: words and lines of the sample releases, and the hard cases."""
    words: set[str] = set()
    lines: list[str] = []
    for path in sorted((REPO / "content").rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) > 20 and len(lines) < 150:
                lines.append(line)
            words.update(line.split())
    some_words = sorted(words)[:: max(1, len(words) // 250)]
    special = [
        "",
        "   ",
        "PEMBANGUNAN Pembangunan pEmBaNgUnAn",
        "membangun dibangun bangunan pembangunan bangun-membangun",
        "Pembangunan-Jalan Kota-Bandung ke-2 di- -nya",
        "COVID-19 5G 2024/2025 3,00 Rp1.500.000 08.00 WIB 1a a1 x",
        "kesehatan2024 2024kesehatan 17agustus",
        "yang dan di ke dari untuk dengan pada adalah tidak",
        "Yang DAN Di Ke",
        "a b c d e f 1 2 3",
        "café naïve Ångström Ærø São Paulo Curaçao façade",
        "Èxèmplé ÉLÉGANT déjà-vu",
        "İstanbul IŞIK ı i̇",
        "ﬁnansial ﬂeksibel ｐｅｍｂａｎｇｕｎａｎ ＰＥＭＢＡＮＧＵＮＡＮ ｶﾀｶﾅ",
        "x² H₂O ½ ① ⅻ Ⅻ",
        "ΟΔΟΣ Σίσυφος αβγ",
        "Москва улица",
        "السلام عليكم",
        "中文 日本語 한국어",
        "👍🏽 emoji 🇮🇩 Indonesia",
        "snake_case_word __init__ a_b",
        "Jum'at Jumat jum’at",
        "tab\tseparated\nnew line\r\nwindows",
        "e\u0301 combining e\u0301\u0301 marks \u0915\u093f\u0924\u093e\u092c",
        "zero\u200bwidth soft\u00adhyphen non\u00a0breaking",
        "𝐁𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐 𝟏𝟐𝟑",
        "a" * 40 + " " + "b" * 41 + " " + "c" * 2,
        # Outside the BMP: length is counted in code points (Python), not UTF-16 units.
        "\U00020000 \U00020000\U00020001 \U00010400\U00010428 " + "\U00020000" * 21,
        "memperkenalkan mempertanggungjawabkan keberhasilannya diperbaiki",
        "kekuasaannya pelajaranmu bukukah bukulah bukupun",
        "menyapu penyapu menyanyi pengiriman memberikan diberikan",
        "berlari belajar bekerja terbawa perbaikan perjuangan",
        "kah lah pun nya ku mu",
        "MENGGUNAKAN Mengoptimalkan MEMPERSIAPKAN",
        "jalan-jalan kupu-kupu anak-anak",
        "<b>tebal</b> &amp; &lt;script&gt; javascript:alert(1)",
        "http://contoh.go.id/berita?id=12&x=y user@contoh.go.id",
    ]
    return special + some_words + lines


def test_browser_words_equal_python_words(page: Any, base_url: str) -> None:
    strings = _parity_strings()
    assert len(strings) > 300
    page.goto(f"{base_url}/cari/")
    page.wait_for_function("() => !!(window.portalCari && window.portalCari.termsOf)")

    browser_terms = page.evaluate("(all) => all.map((s) => window.portalCari.termsOf(s))", strings)

    python_terms = [terms_of(s) for s in strings]
    differences = [
        (s, b, p) for s, b, p in zip(strings, browser_terms, python_terms, strict=True) if b != p
    ]
    assert differences == []
    # The comparison is not vacuous: folding and stemming really happened.
    assert terms_of("Pembangunan CAFÉ") == ["bangun", "cafe"]


def test_deep_link_with_unknown_filter_value_is_cleaned(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/?q=jembatan&provinsi=Atlantis&urut=terbaru")

    assert result_titles(page, "jembatan") == [JEMBATAN]
    page.wait_for_function("() => !location.search.includes('Atlantis')")
    assert address_params(page) == {"q": ["jembatan"], "urut": ["terbaru"]}


def test_search_page_without_query_is_quiet(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cari/")
    page.wait_for_function("() => !document.getElementById('cari-saring').hidden")

    assert page.inner_text("#cari-status") == ""
    assert page.locator(".portal-cari-hasil__item").count() == 0
    # The filter values come from the index (meta.json): every year with a release.
    years = page.locator("input[name='tahun']").evaluate_all("(boxes) => boxes.map(b => b.value)")
    assert years == ["2024", "2023", "2022", "2021"]


def test_query_cost_counts_the_index_files_a_query_fetched(built_site: Path) -> None:
    """What the benchmark reports: per query, the index bytes (gzip, as a server sends them)
    and the search code; a word found nowhere costs meta.json only (no dictionary request)."""
    # In a thread of its own: this thread already runs the module's Playwright session.
    with ThreadPoolExecutor(max_workers=1) as pool:
        costs = pool.submit(query_cost, built_site, ["pembangunan", "zamrudkhatulistiwa"])
        found, nowhere = costs.result(timeout=120)
    assert (found.query, found.result_count) == ("pembangunan", 3)
    assert 0 < found.index_bytes < found.total_gzip_bytes <= found.total_bytes
    # The code (search.js, stemmer-id.js, search.css), meta.json, a dictionary bucket, the
    # posting lists of one or more years, and the three results shown.
    assert found.requests >= 3 + 1 + 1 + 1 + 3
    meta = (built_site / INDEX_DIR / "meta.json").stat().st_size
    assert nowhere.result_count == 0
    assert nowhere.requests == 3 + 1
    assert nowhere.index_bytes < meta  # meta.json alone, compressed


def test_a_word_in_a_bucket_windows_refuses_is_found(
    page: Any, base_url: str, built_site: Path
) -> None:
    assert list((built_site / INDEX_DIR / "kata").glob("*/aux_.json"))
    assert not list((built_site / INDEX_DIR / "kata").glob("*/aux.json"))
    page.goto(f"{base_url}/cari/?q={RESERVED_WORD}")
    assert result_titles(page, RESERVED_WORD) == ["Lomba Menulis Aksara Daerah"]


def test_older_years_are_read_only_when_asked(page: Any, base_url: str) -> None:
    """A common word's lists grow with the archive: the newest years are read first, until
    enough matches are known to rank and show (here two, instead of 100 and 10), and older
    years only on "Muat lebih banyak". The count is still exact where the dictionary knows it
    (one word)."""
    page.add_init_script("window.PORTAL_CARI_RANK_POOL = 1; window.PORTAL_CARI_PAGE_SIZE = 2")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.goto(f"{base_url}/cari/?q=pembangunan&urut=terbaru")
    assert result_titles(page, "pembangunan") == [JALAN, JEMBATAN]  # 2024
    assert outcome(page) == "Ditemukan 3 hasil untuk \u201cpembangunan\u201d"
    assert not [path for path in asked if "/kata/2023/" in path]
    more = page.get_by_role("button", name="Muat lebih banyak hasil")
    more.click()
    page.wait_for_function("document.querySelectorAll('.portal-cari-hasil__item').length === 3")
    assert result_titles(page) == [JALAN, JEMBATAN, PASAR]  # then 2023
    assert [path for path in asked if "/kata/2023/" in path]
    assert more.is_hidden()


def test_a_count_not_yet_known_says_more_than(page: Any, base_url: str) -> None:
    page.add_init_script("window.PORTAL_CARI_RANK_POOL = 1; window.PORTAL_CARI_PAGE_SIZE = 1")
    page.goto(f"{base_url}/cari/?q=pembangunan+bandung&urut=terbaru")
    assert result_titles(page, "pembangunan bandung") == [JALAN]  # Kota Bandung, 2024
    assert outcome(page) == "Ditemukan lebih dari 1 hasil untuk \u201cpembangunan bandung\u201d"
    page.get_by_role("button", name="Muat lebih banyak hasil").click()
    page.wait_for_function("document.querySelectorAll('.portal-cari-hasil__item').length === 2")
    assert result_titles(page) == [JALAN, PASAR]  # Kabupaten Bandung, 2023
    assert outcome(page) == "Ditemukan 2 hasil untuk \u201cpembangunan bandung\u201d"
