"""Every page kind of a real ``mkdocs build`` of the rich fixture portal, read with lxml."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_site_build import build_rich_site, listed_release_links, page, parse

BANDUNG = "kota-bandung/2024/2024-05-18-rapat-koordinasi"
MAKASSAR = "kota-makassar/2024/2024-05-19-banjir-rob"
JAYAPURA = "kota-jayapura/2024/2024-06-01-hoaks-daun-x"
WITHDRAWN = "kota-pontianak/2024/2024-02-01-jadwal-lama"


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich_site(tmp_path_factory)


def text(node: Any) -> str:
    return " ".join(node.text_content().split())


def resolve(from_url: str, href: str) -> str:
    """Site-relative target of a relative ``href`` on the page at directory URL ``from_url``."""
    return posixpath.normpath(posixpath.join("/" + from_url, href)).lstrip("/")


# --- release pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (BANDUNG, "Sabtu, 18 Mei 2024 16.30 WIB"),
        (MAKASSAR, "Minggu, 19 Mei 2024 10.00 WITA"),
        (JAYAPURA, "Sabtu, 1 Juni 2024 08.00 WIT"),
    ],
)
def test_release_time_is_local_with_zone_label(rich_site: Path, url: str, expected: str) -> None:
    doc = page(rich_site, url)
    times = doc.xpath('//p[@class="portal-meta"]/time')
    assert [text(t) for t in times] == [expected]


def test_release_page_shows_every_part(rich_site: Path) -> None:
    doc = page(rich_site, BANDUNG)
    article = doc.xpath('//article[contains(@class, "portal-release")]')[0]
    assert article.get("data-pagefind-body") is not None
    assert text(article.xpath(".//h1")[0]) == "Rapat Koordinasi Kehumasan"
    badge = article.xpath('.//a[contains(@class, "portal-badge--region")]')[0]
    assert text(badge) == "Kota Bandung"
    assert resolve(BANDUNG + "/", badge.get("href")) == "kota-bandung"
    lead = article.xpath('.//p[@class="portal-lead"]')[0]
    assert text(lead).startswith("Pemerintah menggelar rapat koordinasi")
    category = article.xpath('.//p[@class="portal-meta"]/a')[0]
    assert resolve(BANDUNG + "/", category.get("href")) == "kategori/pemerintahan"
    tags = [
        resolve(BANDUNG + "/", a.get("href")) for a in article.xpath('.//a[@class="portal-tag"]')
    ]
    assert tags == ["topik/kehumasan", "topik/rapat"]
    image = article.xpath(".//figure/img")[0]
    assert image.get("alt") == "Peserta rapat koordinasi di Balai Kota"
    assert (rich_site / resolve(BANDUNG + "/", image.get("src"))).is_file()
    credits = text(article.xpath('.//dl[@class="portal-credits"]')[0])
    assert "Tim Humas Bandung" in credits
    assert "humas@bandung.go.id" in credits
    updates = article.xpath('.//section[@class="portal-updates"]')[0]
    assert text(updates.xpath("./h2")[0]) == "Pembaruan"
    assert text(updates.xpath(".//li")[0]) == (
        "Minggu, 19 Mei 2024 08.00 WIB: Jam acara diralat menjadi 16.30."
    )
    assert updates.xpath(".//time")[0].get("datetime") == "2024-05-19T08:00:00+07:00"


def test_release_search_contract(rich_site: Path) -> None:
    doc = page(rich_site, BANDUNG)
    data = {
        (kind, el.get(f"data-pagefind-{kind}")): text(el)
        for kind in ("filter", "sort", "meta")
        for el in doc.xpath(f"//*[@data-pagefind-{kind}]")
    }
    assert data == {
        ("filter", "wilayah"): "Kota Bandung",
        ("filter", "provinsi"): "Jawa Barat",
        ("filter", "kategori"): "Pemerintahan",
        ("filter", "jenis"): "Siaran Pers",
        ("filter", "tahun"): "2024",
        ("sort", "tanggal"): "2024-05-18T09:30:00Z",
        ("meta", "wilayah"): "Kota Bandung",
        ("meta", "tanggal"): "Sabtu, 18 Mei 2024 16.30 WIB",
    }


def test_previous_next_within_region_and_related(rich_site: Path) -> None:
    doc = page(rich_site, BANDUNG)
    older = doc.xpath('//a[contains(@class, "portal-neighbours__prev")]')[0]
    newer = doc.xpath('//a[contains(@class, "portal-neighbours__next")]')[0]
    assert (
        resolve(BANDUNG + "/", older.get("href"))
        == "kota-bandung/2024/2024-05-10-posyandu-keliling"
    )
    assert resolve(BANDUNG + "/", newer.get("href")) == "kota-bandung/2024/2024-05-20-pasar-murah"
    related = doc.xpath('//aside[@class="portal-related"]//a[@class="portal-item__title"]')
    targets = {resolve(BANDUNG + "/", a.get("href")) for a in related}
    assert 1 <= len(targets) <= 4
    assert BANDUNG not in targets
    assert all((rich_site / t / "index.html").is_file() for t in targets)


def test_hoax_clarification_has_verdict_box_and_claim_review(rich_site: Path) -> None:
    doc = page(rich_site, JAYAPURA)
    box = doc.xpath('//aside[contains(@class, "portal-claim")]')[0]
    assert "Air rebusan daun X menyembuhkan semua penyakit" in text(box)
    assert text(box.xpath('.//strong[contains(@class, "portal-verdict")]')[0]) == "Hoaks"
    assert "30 Mei 2024" in text(box)
    source = box.xpath(".//ul/li/a")[0]
    assert source.get("href") == "https://medsos.example/kabar/123"
    assert "nofollow" in source.get("rel")
    documents = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    kinds = {d["@type"]: d for d in documents}
    assert set(kinds) == {"NewsArticle", "ClaimReview"}
    review = kinds["ClaimReview"]
    assert review["claimReviewed"] == "Air rebusan daun X menyembuhkan semua penyakit"
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["reviewRating"]["alternateName"] == "Hoaks"
    assert review["itemReviewed"]["datePublished"] == "2024-05-30"
    article = kinds["NewsArticle"]
    assert article["datePublished"] == "2024-06-01T08:00:00+09:00"
    assert article["url"] == f"https://portal.test/{JAYAPURA}/"


def test_metadata_canonical_open_graph_twitter(rich_site: Path) -> None:
    doc = page(rich_site, BANDUNG)
    assert doc.xpath('//link[@rel="canonical"]/@href') == [f"https://portal.test/{BANDUNG}/"]
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    assert og["og:type"] == "article"
    assert og["og:title"] == "Rapat Koordinasi Kehumasan"
    assert og["og:url"] == f"https://portal.test/{BANDUNG}/"
    assert og["og:image"] == "https://portal.test/kota-bandung/2024/foto-rapat.png"
    assert og["article:published_time"] == "2024-05-18T16:30:00+07:00"
    assert og["article:modified_time"] == "2024-05-19T08:00:00+07:00"
    twitter = {
        m.get("name"): m.get("content") for m in doc.xpath('//meta[starts-with(@name, "twitter:")]')
    }
    assert twitter["twitter:card"] == "summary_large_image"
    assert doc.get("lang") == "id"
    assert doc.xpath("//title")[0].text == "Rapat Koordinasi Kehumasan - Portal Uji"


# --- editorial states ------------------------------------------------------------------------


def all_files_text(site: Path) -> str:
    return "\n".join(
        p.read_text("utf-8", errors="replace")
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml", ".atom", ".json", ".opml", ".txt")
    )


def test_embargoed_and_draft_releases_are_absent_everywhere(rich_site: Path) -> None:
    everything = all_files_text(rich_site)
    for slug, title in (
        ("rahasia-embargo", "Pengumuman Embargo Rahasia"),
        ("draf-belum-siap", "Draf Belum Siap"),
    ):
        assert slug not in everything
        assert title not in everything
    assert not list(rich_site.glob("kota-bandung/2024/2024-07-0*"))


def test_withdrawn_release_keeps_its_page_with_banner_and_leaves_listings(
    rich_site: Path,
) -> None:
    doc = page(rich_site, WITHDRAWN)
    banner = doc.xpath('//div[@class="portal-withdrawn"]')[0]
    assert "Rilis ini telah ditarik" in text(banner)
    assert "Jadwal dibatalkan." in text(banner)
    assert "Sabtu, 3 Februari 2024 09.00 WIB" in text(banner)
    assert not doc.xpath("//*[@data-pagefind-body]")
    for html in rich_site.rglob("index.html"):
        if html.parent == rich_site / WITHDRAWN:
            continue
        listed = listed_release_links(parse(html))
        url = html.parent.relative_to(rich_site).as_posix() + "/"
        assert not any(resolve(url, href) == WITHDRAWN for href in listed), html
    # The other Pontianak release is still listed on its region page.
    region = page(rich_site, "kota-pontianak")
    assert [resolve("kota-pontianak/", h) for h in listed_release_links(region)] == [
        "kota-pontianak/2024/2024-02-05-jadwal-baru"
    ]


# --- listings ----------------------------------------------------------------------------------


def test_region_pages_are_paginated(rich_site: Path) -> None:
    seen: list[str] = []
    for url in ("kota-bandung/", "kota-bandung/halaman/2/", "kota-bandung/halaman/3/"):
        doc = page(rich_site, url)
        links = [resolve(url, h) for h in listed_release_links(doc)]
        assert 1 <= len(links) <= 2
        seen += links
    assert not (rich_site / "kota-bandung" / "halaman" / "4").exists()
    assert not (rich_site / "kota-bandung" / "halaman" / "1").exists()
    assert seen == [
        "kota-bandung/2024/2024-06-02-festival-kota",
        "kota-bandung/2024/2024-05-25-kerja-bakti",
        "kota-bandung/2024/2024-05-20-pasar-murah",
        "kota-bandung/2024/2024-05-18-rapat-koordinasi",
        "kota-bandung/2024/2024-05-10-posyandu-keliling",
    ]
    middle = page(rich_site, "kota-bandung/halaman/2/")
    assert resolve("kota-bandung/halaman/2/", middle.xpath('//a[@rel="prev"]/@href')[0]) == (
        "kota-bandung"
    )
    assert resolve("kota-bandung/halaman/2/", middle.xpath('//a[@rel="next"]/@href')[0]) == (
        "kota-bandung/halaman/3"
    )


def test_province_page_rolls_up_its_regencies_and_cities(rich_site: Path) -> None:
    listed: list[str] = []
    url = "jawa-barat/"
    while True:
        doc = page(rich_site, url)
        section = doc.xpath('//section[@class="portal-listing"]')[0]
        listed += [
            resolve(url, a.get("href")) for a in section.xpath('.//a[@class="portal-item__title"]')
        ]
        nxt = doc.xpath('//nav[@class="portal-pages"]/a[@rel="next"]/@href')
        if not nxt:
            break
        url = resolve(url, nxt[0]) + "/"
    assert "jawa-barat/2024/2024-04-01-rapat-gubernur" in listed
    assert "kabupaten-bandung/2024/2024-03-01-panen-raya" in listed
    assert "kota-bandung/2024/2024-05-18-rapat-koordinasi" in listed
    assert len(listed) == 7
    assert not any(item.startswith("kota-makassar/") for item in listed)
    first = page(rich_site, "jawa-barat")
    children = {text(a) for a in first.xpath('//ul[@class="portal-regions"]//a')}
    assert {"Kota Bandung", "Kabupaten Bandung"} <= children
    office = text(first.xpath('//section[@class="portal-office"]')[0])
    assert "Dinas Komunikasi dan Informatika Provinsi Jawa Barat" in office


def test_category_type_tag_and_archive_pages(rich_site: Path) -> None:
    doc = page(rich_site, "kategori/kebencanaan")
    assert [resolve("kategori/kebencanaan/", h) for h in listed_release_links(doc)] == [MAKASSAR]
    hub = page(rich_site, "jenis/klarifikasi-hoaks")
    assert text(hub.xpath("//h1")[0]) == "Klarifikasi Hoaks"
    assert [resolve("jenis/klarifikasi-hoaks/", h) for h in listed_release_links(hub)] == [JAYAPURA]
    tag = page(rich_site, "topik/rapat")
    assert [resolve("topik/rapat/", h) for h in listed_release_links(tag)] == [BANDUNG]
    assert (rich_site / "topik" / "kehumasan" / "halaman" / "3" / "index.html").is_file()
    archive = page(rich_site, "arsip")
    months = [resolve("arsip/", h) for h in archive.xpath('//ul[@class="portal-months"]//a/@href')]
    assert months == [
        "arsip/2024/06",
        "arsip/2024/05",
        "arsip/2024/04",
        "arsip/2024/03",
        "arsip/2024/02",
    ]
    may = page(rich_site, "arsip/2024/05")
    assert text(may.xpath("//h1")[0]) == "Arsip Mei 2024"
    index = page(rich_site, "kategori")
    assert "Kebencanaan" in text(index)


def test_home_page(rich_site: Path) -> None:
    doc = page(rich_site, "")
    latest = doc.xpath('//section[@class="portal-home__latest"]//a[@class="portal-item__title"]')
    assert resolve("", latest[0].get("href")) == "kota-bandung/2024/2024-06-02-festival-kota"
    hoaxes = doc.xpath('//section[@class="portal-home__hoax"]//a[@class="portal-item__title"]')
    assert [resolve("", a.get("href")) for a in hoaxes] == [JAYAPURA]
    regions = doc.xpath('//section[@class="portal-home__regions"]')[0]
    groups = [text(h) for h in regions.xpath("./h3")]
    assert groups[1:] == ["Jawa", "Kalimantan", "Sulawesi", "Papua"]
    jabar = regions.xpath('.//a[@href="jawa-barat/"]/..')[0]
    assert "7 rilis" in text(jabar)  # the roll-up count
    feeds = doc.xpath('//section[@class="portal-feeds"]//a/@href')
    assert "feeds/nasional.xml" in feeds


def test_regions_offices_feeds_and_404_pages(rich_site: Path) -> None:
    regions = page(rich_site, "wilayah")
    names = {text(a) for a in regions.xpath("//a")}
    assert {"Kota Jayapura", "Kabupaten Bandung", "Kementerian Dalam Negeri"} <= names
    offices = page(rich_site, "kantor")
    entries = offices.xpath('//section[@class="portal-office-entry"]')
    assert len(entries) == 11
    assert "kota-makassar.xml" in " ".join(offices.xpath("//section[@id='kota-makassar']//a/@href"))
    rss = page(rich_site, "rss")
    urls = {text(c) for c in rss.xpath('//code[@class="portal-feed-url"]')}
    assert "https://portal.test/feeds/gabungan/jawa-barat.xml" in urls
    assert "https://portal.test/feeds/kota-jayapura.json" in urls
    assert "https://portal.test/feeds/semua.opml" in urls
    for url in urls:
        assert (rich_site / url.removeprefix("https://portal.test/")).is_file(), url
    missing = parse(rich_site / "404.html")
    assert text(missing.xpath("//h1")[0]) == "Halaman tidak ditemukan"
    assert missing.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert not missing.xpath('//link[@rel="canonical"]')
    assert (rich_site / "tentang" / "index.html").is_file()
    assert (rich_site / "panduan-kontributor" / "index.html").is_file()


def test_tabs_are_the_only_navigation(rich_site: Path) -> None:
    doc = page(rich_site, BANDUNG)
    tabs = [text(a) for a in doc.xpath('//nav[@class="md-tabs"]//a')]
    assert tabs == [
        "Beranda",
        "Wilayah",
        "Kategori",
        "Klarifikasi Hoaks",
        "Arsip",
        "RSS",
        "Tentang",
    ]
    nav_links = doc.xpath('//nav[contains(@class, "md-nav--primary")]//a/@href')
    assert len(nav_links) <= 12


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", ["nasional"]),
        ("kota-bandung", ["kota-bandung"]),
        ("jawa-barat", ["gabungan/jawa-barat", "jawa-barat"]),
        (BANDUNG, ["kota-bandung"]),
        ("kategori/kebencanaan", ["kategori/kebencanaan"]),
        ("jenis/klarifikasi-hoaks", ["jenis/klarifikasi-hoaks"]),
        ("tentang", ["nasional"]),
        ("arsip", ["nasional"]),
    ],
)
def test_feed_autodiscovery(rich_site: Path, url: str, expected: list[str]) -> None:
    doc = page(rich_site, url)
    links = doc.xpath('//head/link[@rel="alternate"]')
    keys = []
    for link in links:
        href = link.get("href")
        assert href.startswith("https://portal.test/feeds/")
        path = href.removeprefix("https://portal.test/")
        assert (rich_site / path).is_file(), path
        if link.get("type") == "application/rss+xml":
            keys.append(path.removeprefix("feeds/").removesuffix(".xml"))
    assert keys == expected
    types = sorted({link.get("type") for link in links})
    assert types == ["application/atom+xml", "application/feed+json", "application/rss+xml"]


def test_every_internal_link_resolves(rich_site: Path) -> None:
    broken = []
    for html in sorted(rich_site.rglob("*.html")):
        if html.name == "404.html":
            continue  # served at any depth; it uses site-absolute URLs
        doc = parse(html)
        url = html.parent.relative_to(rich_site).as_posix() + "/"
        url = "" if url == "./" else url
        for attr in ("href", "src"):
            for value in doc.xpath(f"//@{attr}"):
                parts = urlsplit(value)
                if parts.scheme or parts.netloc or value.startswith("#") or not parts.path:
                    continue
                target = rich_site / resolve(url, parts.path)
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    broken.append(f"{url} -> {value}")
    assert broken == []


def test_sitemap_lists_pages_and_replaces_mkdocs_sitemap(rich_site: Path) -> None:
    assert not (rich_site / "sitemap.xml.gz").exists()
    import lxml.etree

    index = lxml.etree.parse(str(rich_site / "sitemap.xml"))
    assert index.getroot().tag.endswith("sitemapindex")
    locs = []
    for sub in (rich_site / "sitemaps").glob("*.xml"):
        locs += [el.text for el in lxml.etree.parse(str(sub)).iter("{*}loc")]
    assert f"https://portal.test/{BANDUNG}/" in locs
    assert "https://portal.test/tentang/" in locs
    assert "https://portal.test/cari/" not in locs
