"""Feeds: RSS 2.0, Atom 1.0, JSON Feed 1.1 and OPML, parsed with lxml and feedparser."""

from __future__ import annotations

import dataclasses
import email.utils
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree as etree
import lxml.html
import pytest
from conftest import REPO, PortalRepo, make_release, make_settings

from generator import feeds, urls
from generator.config import Settings
from generator.diagnostics import UsageError
from generator.model import (
    Claim,
    Correction,
    Image,
    Portal,
    RegionKind,
    Release,
    ReleaseType,
    Verdict,
    Withdrawal,
    newest_first_key,
)
from generator.pipeline import validate
from generator.regions import load_regions
from generator.taxonomy import load_categories

BASE = "https://portal.test/"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
ATOM = NS["atom"]
WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
#: RFC 4151 tag URI, as the W3C Feed Validator checks it.
TAG_RE = re.compile(
    r"^tag:[a-z0-9.\-]+?,\d{4}(-\d{2}(-\d{2})?)?:[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*$"
)


# --- fixtures -----------------------------------------------------------------------------


def make_portal(
    root: Path, releases: Iterable[Release], settings: Settings | None = None
) -> Portal:
    """A Portal over the repository's real registry and categories, filtered as the pipeline
    does: only releases public at the build time, newest first."""
    settings = settings or make_settings(root)
    registry, problems = load_regions(root)
    assert not problems
    categories, category_problems = load_categories(settings)
    assert not category_problems
    public = sorted((r for r in releases if r.is_public(settings.build_time)), key=newest_first_key)
    return Portal(
        regions=registry.regions,
        categories=MappingProxyType(dict(categories)),
        releases=tuple(public),
        build_time=settings.build_time,
        site_name=settings.site_name,
        site_url=settings.base_url,
    )


def sample_releases() -> list[Release]:
    """Releases in all three zones, with an image, a correction, a hoax claim, tags."""
    return [
        make_release(
            slug="banjir",
            title="Banjir & <longsor> di Bandung",
            date=datetime(2024, 5, 18, 16, 30, tzinfo=WIB),
            category="kebencanaan",
            tags=("banjir", "cuaca"),
            image=Image(
                "content/kota-bandung/2024/banjir.jpg", "Genangan di jalan", 48213, "image/jpeg"
            ),
            updates=(
                Correction(
                    datetime(2024, 5, 19, 9, 15, tzinfo=WIB), "Jumlah warga terdampak diperbarui."
                ),
            ),
            body_markdown=(
                "Banjir melanda [kantor](/kantor/) dan [rilis lain](2024-05-01-rapat.md).\n\n"
                "![Peta](peta.png)\n\n[Bagian bawah](#bawah)\n\n"
                "[Situs resmi](https://bandung.go.id/)\n"
            ),
        ),
        make_release(slug="rapat", date=datetime(2024, 5, 1, 9, 0, tzinfo=WIB)),
        make_release(
            region_id="kota-makassar",
            tz="Asia/Makassar",
            slug="vaksinasi",
            date=datetime(2024, 5, 18, 8, 0, tzinfo=WITA),
            category="kesehatan",
            author="Andi Nurhaliza",
        ),
        make_release(
            region_id="kota-jayapura",
            tz="Asia/Jayapura",
            slug="air-pdam-beracun",
            date=datetime(2024, 5, 17, 20, 0, tzinfo=WIT),
            type=ReleaseType.KLARIFIKASI_HOAKS,
            claim=Claim("Air PDAM Jayapura beracun", Verdict.HOAKS),
        ),
        make_release(
            region_id="jawa-barat", slug="apbd", date=datetime(2024, 4, 2, 10, 0, tzinfo=WIB)
        ),
    ]


@pytest.fixture
def repo(portal_repo: PortalRepo) -> PortalRepo:
    return portal_repo


def build(root: Path, releases: Iterable[Release], **settings: Any) -> dict[str, bytes]:
    config = make_settings(root, **settings)
    return feeds.build_feeds(make_portal(root, releases, config), config)


def rss_items(data: bytes) -> list[etree._Element]:
    return etree.fromstring(data).findall("channel/item")


def atom_entries(data: bytes) -> list[etree._Element]:
    return etree.fromstring(data).findall("atom:entry", NS)


def parsed(data: bytes) -> Any:
    result = feedparser.parse(data)
    assert result.bozo == 0, result.get("bozo_exception")
    return result


# --- every feed exists and parses ----------------------------------------------------------


def test_every_feed_set_is_built_and_parses(repo: PortalRepo) -> None:
    releases = sample_releases()
    files = build(repo.root, releases)
    portal = make_portal(repo.root, releases)
    sets = feeds.all_feed_sets(portal)

    expected_keys = {
        "nasional",
        *portal.regions,
        *(f"gabungan/{p.id}" for p in portal.provinces()),
        *(f"kategori/{c}" for c in portal.categories),
        *(f"jenis/{t.value}" for t in ReleaseType),
    }
    assert {feed.key for _group, feed, _html in sets} == expected_keys
    assert len(sets) == len(expected_keys)  # each once
    assert set(files) == {
        *(path for _g, feed, _h in sets for path in (feed.rss, feed.atom, feed.json)),
        urls.opml(),
    }
    for _group, feed, _html in sets:
        rss = parsed(files[feed.rss])
        assert rss.version == "rss20"
        atom = parsed(files[feed.atom])
        assert atom.version == "atom10"
        document = json.loads(files[feed.json])
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert len(rss.entries) == len(atom.entries) == len(document["items"])


def test_html_pages_of_feeds(repo: PortalRepo) -> None:
    portal = make_portal(repo.root, sample_releases())
    pages = {feed.key: html for _g, feed, html in feeds.all_feed_sets(portal)}
    assert pages["nasional"] == urls.home()
    assert pages["kota-bandung"] == portal.region("kota-bandung").url
    assert pages["gabungan/jawa-barat"] == urls.region("jawa-barat")
    assert pages["kategori/kesehatan"] == portal.categories["kesehatan"].url
    assert pages["jenis/klarifikasi-hoaks"] == ReleaseType.KLARIFIKASI_HOAKS.url


def test_region_rollup_category_and_type_feeds_hold_the_right_items(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())

    def ids(path: str) -> list[str]:
        return [i["id"].rsplit(":", 1)[1] for i in json.loads(files[path])["items"]]

    assert ids("feeds/kota-bandung.json") == [
        "kota-bandung/2024-05-18-banjir",
        "kota-bandung/2024-05-01-rapat",
    ]
    assert ids("feeds/gabungan/jawa-barat.json") == [
        "kota-bandung/2024-05-18-banjir",
        "kota-bandung/2024-05-01-rapat",
        "jawa-barat/2024-04-02-apbd",
    ]
    assert ids("feeds/jawa-barat.json") == ["jawa-barat/2024-04-02-apbd"]
    assert ids("feeds/kategori/kesehatan.json") == ["kota-makassar/2024-05-18-vaksinasi"]
    assert ids("feeds/jenis/klarifikasi-hoaks.json") == [
        "kota-jayapura/2024-05-17-air-pdam-beracun"
    ]
    assert len(ids("feeds/nasional.json")) == 5


# --- channel -------------------------------------------------------------------------------


def test_rss_channel_elements(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    channel = etree.fromstring(files["feeds/kota-bandung.xml"]).find("channel")
    assert channel is not None
    assert channel.findtext("link") == BASE + "kota-bandung/"  # the HTML page, not the feed
    self_link = channel.find("atom:link", NS)
    assert self_link is not None
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == BASE + "feeds/kota-bandung.xml"
    assert self_link.get("type") == "application/rss+xml"
    assert channel.findtext("language") == "id"
    assert channel.findtext("ttl") == str(feeds.TTL_MINUTES)
    assert channel.findtext("title") == "Rilis Kota Bandung — Portal Uji"
    assert channel.findtext("description")
    assert channel.findtext("image/url") == BASE + feeds.LOGO_PATH
    assert channel.findtext("image/link") == channel.findtext("link")
    assert channel.findtext("image/title") == channel.findtext("title")
    # lastBuildDate: the newest change of an item (here the correction), never "now"
    assert channel.findtext("lastBuildDate") == "Sun, 19 May 2024 09:15:00 +0700"
    assert channel.findtext("pubDate") == "Sat, 18 May 2024 16:30:00 +0700"
    assert channel.find("generator") is None


def test_atom_feed_elements(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    root = etree.fromstring(files["feeds/kota-makassar.atom"])
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "id"
    feed_id = root.findtext("atom:id", namespaces=NS)
    assert feed_id == "tag:portal.test,2024:feeds/kota-makassar"
    assert TAG_RE.match(feed_id)
    links = {link.get("rel"): link.get("href") for link in root.findall("atom:link", NS)}
    assert links == {
        "self": BASE + "feeds/kota-makassar.atom",
        "alternate": BASE + "kota-makassar/",
    }
    assert root.findtext("atom:updated", namespaces=NS) == "2024-05-18T08:00:00+08:00"
    assert root.findtext("atom:author/atom:name", namespaces=NS)
    assert root.find("atom:generator", NS) is None


def test_json_feed_top_level(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    document = json.loads(files["feeds/gabungan/jawa-barat.json"])
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["home_page_url"] == BASE + "jawa-barat/"
    assert document["feed_url"] == BASE + "feeds/gabungan/jawa-barat.json"
    assert document["language"] == "id"
    assert document["title"]
    assert document["authors"][0]["name"]
    for item in document["items"]:
        for key in ("id", "url", "title", "summary", "content_html", "date_published"):
            assert isinstance(item[key], str) and item[key]
        assert item["url"].startswith(BASE)
        for key in ("date_published", "date_modified"):  # RFC 3339 with the zone's offset
            assert datetime.fromisoformat(item[key]).utcoffset() is not None
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", item[key])
        assert "author" not in item  # JSON Feed 1.0's field, deprecated in 1.1
        assert item["authors"][0]["name"]
        assert item["tags"]


# --- items ---------------------------------------------------------------------------------


def test_item_fields(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    item = rss_items(files["feeds/kota-bandung.xml"])[0]
    assert item.findtext("title") == "Banjir & <longsor> di Bandung"
    assert item.findtext("link") == BASE + "kota-bandung/2024/2024-05-18-banjir/"
    guid = item.find("guid")
    assert guid is not None
    assert guid.get("isPermaLink") == "false"
    assert guid.text == "tag:portal.test,2024:kota-bandung/2024-05-18-banjir"
    assert item.findtext("description") == make_release().summary
    assert item.findtext("dc:creator", namespaces=NS) == (
        "Dinas Komunikasi dan Informatika Kota Bandung"
    )
    assert [c.text for c in item.findall("category")] == [
        "Kota Bandung",
        "Kebencanaan",
        "Siaran Pers",
        "banjir",
        "cuaca",
    ]
    enclosure = item.find("enclosure")
    assert enclosure is not None
    assert enclosure.attrib == {
        "url": BASE + "kota-bandung/2024/banjir.jpg",
        "length": "48213",
        "type": "image/jpeg",
    }
    content = item.findtext("content:encoded", namespaces=NS) or ""
    assert "Banjir melanda" in content
    assert 'alt="Genangan di jalan"' in content

    # the author wins over the office for dc:creator / Atom author / JSON authors
    makassar = rss_items(files["feeds/kota-makassar.xml"])[0]
    assert makassar.findtext("dc:creator", namespaces=NS) == "Andi Nurhaliza"
    entry = atom_entries(files["feeds/kota-makassar.atom"])[0]
    assert entry.findtext("atom:author/atom:name", namespaces=NS) == "Andi Nurhaliza"
    assert json.loads(files["feeds/kota-makassar.json"])["items"][0]["authors"] == [
        {"name": "Andi Nurhaliza"}
    ]


def test_atom_entry_links_keep_rel_type_and_length(repo: PortalRepo) -> None:
    """feedgen 1.0.0 drops these attributes; the enclosure must not become an alternate."""
    files = build(repo.root, sample_releases())
    entry = atom_entries(files["feeds/kota-bandung.atom"])[0]
    links = [dict(link.attrib) for link in entry.findall("atom:link", NS)]
    assert links == [
        {
            "rel": "alternate",
            "type": "text/html",
            "href": BASE + "kota-bandung/2024/2024-05-18-banjir/",
        },
        {
            "rel": "enclosure",
            "type": "image/jpeg",
            "length": "48213",
            "href": BASE + "kota-bandung/2024/banjir.jpg",
        },
    ]
    content = entry.find("atom:content", NS)
    assert content is not None and content.get("type") == "html"
    assert entry.findtext("atom:summary", namespaces=NS) == make_release().summary
    assert entry.findtext("atom:published", namespaces=NS) == "2024-05-18T16:30:00+07:00"


def test_json_feed_item_image_and_attachment(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    item = json.loads(files["feeds/kota-bandung.json"])["items"][0]
    assert item["image"] == BASE + "kota-bandung/2024/banjir.jpg"
    assert item["attachments"] == [
        {
            "url": BASE + "kota-bandung/2024/banjir.jpg",
            "mime_type": "image/jpeg",
            "title": "Genangan di jalan",
            "size_in_bytes": 48213,
        }
    ]
    assert item["tags"] == ["Kota Bandung", "Kebencanaan", "Siaran Pers", "banjir", "cuaca"]
    assert item["date_published"] == "2024-05-18T16:30:00+07:00"
    assert item["date_modified"] == "2024-05-19T09:15:00+07:00"


def test_hoax_clarification_carries_the_claim_and_verdict(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    item = json.loads(files["feeds/jenis/klarifikasi-hoaks.json"])["items"][0]
    text = lxml.html.fromstring(item["content_html"]).text_content()
    assert "Air PDAM Jayapura beracun" in text
    assert "Penilaian: Hoaks" in text


# --- GUIDs ---------------------------------------------------------------------------------


def guids(data: bytes) -> list[str]:
    return [item.findtext("guid") or "" for item in rss_items(data)]


def test_guid_survives_an_edit_of_title_summary_and_body(repo: PortalRepo) -> None:
    original = sample_releases()
    edited = [
        dataclasses.replace(
            r,
            title=r.title + " (diperbaiki)",
            summary="Ringkasan baru.",
            body_markdown="Isi yang sama sekali berbeda.\n",
        )
        for r in original
    ]
    before = build(repo.root, original)
    after = build(repo.root, edited)
    for path in ("feeds/nasional.xml", "feeds/kota-bandung.xml"):
        assert guids(before[path]) == guids(after[path])
        assert before[path] != after[path]  # the edit itself did reach the feed
    assert [
        e.findtext("atom:id", namespaces=NS) for e in atom_entries(after["feeds/nasional.atom"])
    ] == guids(after["feeds/nasional.xml"])
    assert [i["id"] for i in json.loads(after["feeds/nasional.json"])["items"]] == guids(
        after["feeds/nasional.xml"]
    )


def test_guids_are_tag_uris_and_unique_in_every_feed(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    for path, data in files.items():
        if path.endswith(".xml"):
            values = guids(data)
            assert len(values) == len(set(values)), path
            for value in values:
                assert TAG_RE.match(value), value
                assert "http" not in value


# --- dates and zones -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region_id", "offset", "iso_offset"),
    [
        ("kota-bandung", "+0700", "+07:00"),
        ("kota-makassar", "+0800", "+08:00"),
        ("kota-jayapura", "+0900", "+09:00"),
    ],
)
def test_dates_use_the_region_offset(
    repo: PortalRepo, region_id: str, offset: str, iso_offset: str
) -> None:
    files = build(repo.root, sample_releases())
    for item in rss_items(files[f"feeds/{region_id}.xml"]):
        pub_date = item.findtext("pubDate") or ""
        assert pub_date.endswith(" " + offset)
        assert email.utils.parsedate_to_datetime(pub_date).tzinfo is not None
    for entry in atom_entries(files[f"feeds/{region_id}.atom"]):
        assert (entry.findtext("atom:published", namespaces=NS) or "").endswith(iso_offset)
        assert (entry.findtext("atom:updated", namespaces=NS) or "").endswith(iso_offset)
    # the national feed keeps each item's own zone
    national = {
        item.findtext("link"): item.findtext("pubDate")
        for item in rss_items(files["feeds/nasional.xml"])
    }
    own = [date for link, date in national.items() if f"/{region_id}/" in (link or "")]
    assert own and all((d or "").endswith(offset) for d in own)


def test_release_stored_in_another_zone_is_shown_in_its_region_zone(repo: PortalRepo) -> None:
    release = make_release(
        region_id="kota-jayapura", slug="utc", date=datetime(2024, 5, 18, 1, 0, tzinfo=UTC)
    )
    files = build(repo.root, [release])
    assert rss_items(files["feeds/kota-jayapura.xml"])[0].findtext("pubDate") == (
        "Sat, 18 May 2024 10:00:00 +0900"
    )


# --- order and limit -----------------------------------------------------------------------


def test_newest_first_with_ties_broken_by_id(repo: PortalRepo) -> None:
    same = datetime(2024, 6, 1, 10, 0, tzinfo=WIB)
    releases = [
        make_release(slug="c-tiga", date=same),
        make_release(slug="a-satu", date=same),
        make_release(slug="lama", date=same - timedelta(days=3)),
        make_release(slug="baru", date=same + timedelta(minutes=1)),
        make_release(slug="b-dua", date=same),
    ]
    files = build(repo.root, releases)
    links = [item.findtext("link") for item in rss_items(files["feeds/kota-bandung.xml"])]
    slugs = [(link or "").rstrip("/").rsplit("/", 1)[1][11:] for link in links]
    assert slugs == ["baru", "a-satu", "b-dua", "c-tiga", "lama"]


def test_feed_holds_the_configured_number_of_newest_items(repo: PortalRepo) -> None:
    releases = [
        make_release(
            slug=f"rilis-{n:02d}", date=datetime(2024, 1, 1, 8, tzinfo=WIB) + timedelta(days=n)
        )
        for n in range(7)
    ]
    files = build(repo.root, releases, feed_items=3)
    document = json.loads(files["feeds/kota-bandung.json"])
    assert [i["url"].rstrip("/")[-8:] for i in document["items"]] == [
        "rilis-06",
        "rilis-05",
        "rilis-04",
    ]
    assert len(rss_items(files["feeds/nasional.xml"])) == 3
    assert len(atom_entries(files["feeds/gabungan/jawa-barat.atom"])) == 3


# --- content -------------------------------------------------------------------------------


def test_content_urls_are_absolute(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    checked = 0
    for path, data in files.items():
        if path.endswith(".xml") and path != urls.opml():
            bodies = [i.findtext("content:encoded", namespaces=NS) or "" for i in rss_items(data)]
        elif path.endswith(".atom"):
            bodies = [e.findtext("atom:content", namespaces=NS) or "" for e in atom_entries(data)]
        elif path.endswith(".json"):
            bodies = [i["content_html"] for i in json.loads(data)["items"]]
        else:
            continue
        for body in bodies:
            for element in lxml.html.fragment_fromstring(body, create_parent="div").iter():
                for attribute in ("href", "src"):
                    value = element.get(attribute)
                    if value is not None:
                        checked += 1
                        assert value.startswith(("https://", "http://", "mailto:")), (path, value)
    assert checked > 20
    body = json.loads(files["feeds/kota-bandung.json"])["items"][0]["content_html"]
    hrefs = [
        a.get("href") for a in lxml.html.fragment_fromstring(body, create_parent="div").iter("a")
    ]
    assert BASE + "kantor/" in hrefs
    assert BASE + "kota-bandung/2024/2024-05-01-rapat/" in hrefs
    assert BASE + "kota-bandung/2024/2024-05-18-banjir/#bawah" in hrefs
    assert "https://bandung.go.id/" in hrefs
    srcs = [
        i.get("src") for i in lxml.html.fragment_fromstring(body, create_parent="div").iter("img")
    ]
    assert BASE + "kota-bandung/2024/peta.png" in srcs


def test_body_is_sanitized_in_feeds(repo: PortalRepo) -> None:
    release = make_release(
        slug="xss",
        title="</title><script>alert(1)</script>",
        body_markdown='Teks <script>alert(1)</script> <a href="javascript:alert(1)">x</a>\n',
    )
    files = build(repo.root, [release])
    body = json.loads(files["feeds/kota-bandung.json"])["items"][0]["content_html"]
    assert "<script" not in body
    assert "javascript:" not in body
    item = rss_items(files["feeds/kota-bandung.xml"])[0]
    assert item.findtext("title") == "</title><script>alert(1)</script>"  # text, escaped once
    assert parsed(files["feeds/kota-bandung.xml"]).entries[0].title == release.title


def test_rss_text_uses_hexadecimal_references(repo: PortalRepo) -> None:
    """RSS Best Practices Profile: "&" and "<" in text as &#x26; and &#x3C;."""
    files = build(repo.root, sample_releases())
    raw = files["feeds/kota-bandung.xml"]
    assert b"Banjir &#x26; &#x3C;longsor&gt; di Bandung" in raw
    assert b"&amp;" not in raw and b"&lt;" not in raw


# --- editorial states ----------------------------------------------------------------------


def test_correction_bumps_updated_and_appears_in_content(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    entry = atom_entries(files["feeds/kota-bandung.atom"])[0]
    assert entry.findtext("atom:published", namespaces=NS) == "2024-05-18T16:30:00+07:00"
    assert entry.findtext("atom:updated", namespaces=NS) == "2024-05-19T09:15:00+07:00"
    root = etree.fromstring(files["feeds/kota-bandung.atom"])
    assert root.findtext("atom:updated", namespaces=NS) == "2024-05-19T09:15:00+07:00"
    content = entry.findtext("atom:content", namespaces=NS) or ""
    block = lxml.html.fragment_fromstring(content, create_parent="div").xpath("//section")[0]
    assert block.findtext("h2") == "Pembaruan"
    assert "Minggu, 19 Mei 2024 09.15 WIB" in block.text_content()
    assert "Jumlah warga terdampak diperbarui." in block.text_content()
    assert block.xpath("string(.//time/@datetime)") == "2024-05-19T09:15:00+07:00"
    # an item without correction: updated == published
    other = atom_entries(files["feeds/kota-bandung.atom"])[1]
    assert other.findtext("atom:updated", namespaces=NS) == other.findtext(
        "atom:published", namespaces=NS
    )


def test_withdrawn_embargoed_and_draft_releases_are_absent(repo: PortalRepo) -> None:
    withdrawn = make_release(
        slug="ditarik",
        date=datetime(2024, 5, 20, 8, 0, tzinfo=WIB),
        withdrawn=Withdrawal(datetime(2024, 5, 21, 8, 0, tzinfo=WIB), "Data keliru."),
    )
    embargoed = make_release(
        slug="embargo",
        date=datetime(2024, 5, 20, 9, 0, tzinfo=WIB),
        publish_at=datetime(2027, 1, 1, tzinfo=UTC),  # after the fixture build time
    )
    draft = make_release(slug="konsep", date=datetime(2024, 5, 20, 10, 0, tzinfo=WIB), draft=True)
    files = build(repo.root, [*sample_releases(), withdrawn, embargoed, draft])
    everything = b"".join(files.values())
    for hidden in ("ditarik", "embargo", "konsep"):
        assert f"2024-05-20-{hidden}".encode() not in everything
    # the withdrawal is a change of the channel: lastBuildDate/updated move to it
    channel = etree.fromstring(files["feeds/kota-bandung.xml"]).find("channel")
    assert channel is not None
    assert channel.findtext("lastBuildDate") == "Tue, 21 May 2024 08:00:00 +0700"
    # …but not in feeds the withdrawn release was never part of
    channel = etree.fromstring(files["feeds/kota-makassar.xml"]).find("channel")
    assert channel is not None
    assert channel.findtext("lastBuildDate") == "Sat, 18 May 2024 08:00:00 +0800"


def test_old_withdrawal_outside_a_full_window_does_not_touch_the_feed(repo: PortalRepo) -> None:
    recent = [
        make_release(slug=f"baru-{n}", date=datetime(2024, 6, 1 + n, 8, tzinfo=WIB))
        for n in range(2)
    ]
    old_withdrawn = make_release(
        slug="lama",
        date=datetime(2023, 1, 1, 8, tzinfo=WIB),
        withdrawn=Withdrawal(datetime(2024, 7, 1, 8, tzinfo=WIB), "Kedaluwarsa."),
    )
    with_it = build(repo.root, [*recent, old_withdrawn], feed_items=2)
    without = build(repo.root, recent, feed_items=2)
    assert with_it["feeds/kota-bandung.xml"] == without["feeds/kota-bandung.xml"]


# --- empty feeds ---------------------------------------------------------------------------


def test_empty_region_feeds_are_valid_and_fixed(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    later = build(repo.root, sample_releases(), build_time=datetime(2026, 12, 24, tzinfo=UTC))
    for key in (
        "kabupaten-bandung",
        "kemendagri",
        "papua",
        "kota-pontianak",
        "kategori/pendidikan",
    ):
        feed = urls.FeedSet(key, "")
        rss = parsed(files[feed.rss])
        atom = parsed(files[feed.atom])
        assert rss.entries == [] and atom.entries == []
        assert json.loads(files[feed.json])["items"] == []
        assert files[feed.rss] == later[feed.rss]  # the build time is not in it
        channel = etree.fromstring(files[feed.rss]).find("channel")
        assert channel is not None
        assert channel.findtext("link", "").startswith(BASE)
        assert channel.find("pubDate") is None
        moment = email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate") or "")
        assert moment == feeds.EMPTY_FEED_DATE
        atom_root = etree.fromstring(files[feed.atom])
        assert atom_root.findtext("atom:author/atom:name", namespaces=NS)  # RFC 4287 §4.1.1
    papua = etree.fromstring(files["feeds/papua.xml"]).find("channel")
    assert papua is not None
    assert (papua.findtext("lastBuildDate") or "").endswith("+0900")


def test_portal_without_any_release(repo: PortalRepo) -> None:
    files = build(repo.root, [])
    for path, data in files.items():
        if path.endswith((".xml", ".atom")) and path != urls.opml():
            assert parsed(data).entries == []


def test_feeds_need_an_absolute_site_url(repo: PortalRepo) -> None:
    with pytest.raises(UsageError, match="site_url"):
        build(repo.root, sample_releases(), site_url="")


# --- OPML ----------------------------------------------------------------------------------


def test_opml_lists_every_rss_feed_grouped_by_province(repo: PortalRepo) -> None:
    files = build(repo.root, sample_releases())
    portal = make_portal(repo.root, sample_releases())
    root = etree.fromstring(files[urls.opml()])
    assert root.get("version") == "2.0"
    assert root.findtext("head/title")
    groups = root.findall("body/outline")
    listed = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    assert sorted(listed) == sorted(BASE + feed.rss for _g, feed, _h in feeds.all_feed_sets(portal))
    assert len(listed) == len(set(listed))
    for outline in root.iter("outline"):
        if outline.get("xmlUrl"):
            assert outline.get("type") == "rss"
            assert (outline.get("htmlUrl") or "").startswith(BASE)
            assert outline.get("text")

    def members(group: etree._Element) -> list[str]:
        return [(o.get("xmlUrl") or "").removeprefix(BASE + "feeds/") for o in group]

    assert groups[0].get("text") == feeds.CENTRAL_GROUP
    assert members(groups[0]) == ["nasional.xml", "pusat.xml", "kemendagri.xml"]
    jabar = next(g for g in groups if g.get("text") == "Provinsi Jawa Barat")
    assert members(jabar) == [
        "gabungan/jawa-barat.xml",
        "jawa-barat.xml",
        *(f"{c.id}.xml" for c in portal.children("jawa-barat")),
    ]
    assert {"kota-bandung.xml", "kabupaten-bandung.xml"} <= set(members(jabar))
    labels = [g.get("text") for g in groups]
    provinces = [p.name for p in portal.provinces()]
    assert labels == [feeds.CENTRAL_GROUP, *provinces, feeds.CATEGORY_GROUP, feeds.TYPE_GROUP]


def test_every_region_is_placed_in_exactly_one_group(repo: PortalRepo) -> None:
    portal = make_portal(repo.root, [])
    region_sets = [
        (group, feed.key)
        for group, feed, _h in feeds.all_feed_sets(portal)
        if feed.key in portal.regions
    ]
    assert sorted(key for _g, key in region_sets) == sorted(portal.regions)
    for group, key in region_sets:
        region = portal.region(key)
        if region.kind in (RegionKind.NASIONAL, RegionKind.LEMBAGA):
            assert group == feeds.CENTRAL_GROUP
        else:
            province = portal.province_of(region)
            assert province is not None and group == province.name


# --- the validator's rules, as assertions --------------------------------------------------


def test_validator_rules_hold_for_every_feed(repo: PortalRepo) -> None:
    """The W3C Feed Validator rules the feeds are most at risk of breaking (the validator itself
    is run by hand, see /tmp/readme/feeds.md): self links match the file, RFC 822 / RFC 3339
    dates, one alternate link per type, guid present, no relative URLs, required elements."""
    files = build(repo.root, sample_releases())
    rfc3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")
    for path, data in files.items():
        if path.endswith(".xml") and path != urls.opml():
            channel = etree.fromstring(data).find("channel")
            assert channel is not None
            self_link = channel.find("atom:link[@rel='self']", NS)
            assert self_link is not None and self_link.get("href") == BASE + path
            for required in ("title", "link", "description"):
                assert channel.findtext(required), (path, required)
            for element in channel.iter("pubDate", "lastBuildDate"):
                assert email.utils.parsedate_to_datetime(element.text or "").tzinfo is not None
            for item in channel.findall("item"):
                assert item.findtext("guid")
                assert item.findtext("title")
                assert item.find("author") is None  # RSS author needs an e-mail; dc:creator used
        elif path.endswith(".atom"):
            root = etree.fromstring(data)
            self_link = root.find("atom:link[@rel='self']", NS)
            assert self_link is not None and self_link.get("href") == BASE + path
            for required in ("atom:id", "atom:title", "atom:updated"):
                assert root.findtext(required, namespaces=NS), (path, required)
            for element in root.iter(f"{{{ATOM}}}updated", f"{{{ATOM}}}published"):
                assert rfc3339.match(element.text or ""), element.text
            for entry in root.findall("atom:entry", NS):
                kinds = [
                    (link.get("rel"), link.get("type")) for link in entry.findall("atom:link", NS)
                ]
                assert len(kinds) == len(set(kinds))
                assert ("alternate", "text/html") in kinds


# --- determinism ---------------------------------------------------------------------------


def digest(files: Mapping[str, bytes]) -> str:
    sha = hashlib.sha256()
    for path in sorted(files):
        sha.update(path.encode() + b"\0" + files[path] + b"\0")
    return sha.hexdigest()


def dump_digest(root: str) -> None:
    """Entry point of the subprocess in :func:`test_byte_identical_across_tz_and_hash_seed`."""
    print(digest(build(Path(root), sample_releases())))


def test_byte_identical_on_rebuild(repo: PortalRepo) -> None:
    first = build(repo.root, sample_releases())
    second = build(repo.root, list(reversed(sample_releases())))
    assert first == second
    assert list(first) == sorted(first)


def test_byte_identical_across_tz_and_hash_seed(repo: PortalRepo) -> None:
    expected = digest(build(repo.root, sample_releases()))
    code = (
        "import sys; sys.path[:0] = sys.argv[2:]; "
        "import test_feeds; test_feeds.dump_digest(sys.argv[1])"
    )
    for tz, seed, lang in (("America/New_York", "1", "C"), ("Asia/Tokyo", "4242", "C.UTF-8")):
        env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed, "LC_ALL": lang}
        result = subprocess.run(
            [sys.executable, "-c", code, str(repo.root), str(REPO / "tests"), str(REPO)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        assert result.stdout.strip() == expected, result.stderr


# --- the real pipeline: files in a repository → validate → feeds ---------------------------


def write_sample_repository(repo: PortalRepo) -> None:
    repo.write_release("kota-bandung", "2024-05-18 16:30", "rapat-koordinasi")
    repo.write_release(
        "kota-makassar",
        "2024-05-18 16:30",
        "pekan-imunisasi",
        category="kesehatan",
        updates='\n- date: "2024-05-20 08:00"\n  note: "Ralat: lokasi posyandu ditambah."',
    )
    repo.write_release("kota-jayapura", "2024-05-18 16:30", "pasar-murah", category="ekonomi")
    repo.write_release(
        "kota-bandung",
        "2024-05-19 10:00",
        "dicabut",
        withdrawn='\n  date: "2024-05-21 09:00"\n  reason: "Jadwal kegiatan berubah total."',
    )
    repo.write_release(
        "kota-bandung", "2024-05-19 11:00", "berembargo", publish_at='"2027-01-01 08:00"'
    )
    repo.write_release("kota-bandung", "2024-05-19 12:00", "konsep", draft="true")


def pipeline_feeds(repo: PortalRepo) -> dict[str, bytes]:
    settings = repo.settings()
    portal, problems = validate(settings)
    assert portal is not None, [p.format() for p in problems]
    return feeds.build_feeds(portal, settings)


def test_pipeline_feeds_zones_states_and_corrections(repo: PortalRepo) -> None:
    write_sample_repository(repo)
    files = pipeline_feeds(repo)
    for path, data in files.items():
        if path.endswith((".xml", ".atom")) and path != urls.opml():
            parsed(data)
    national = rss_items(files["feeds/nasional.xml"])
    links = [item.findtext("link") for item in national]
    # same local time 16:30 in three zones: Jayapura (earliest instant) is the oldest
    assert links == [
        BASE + "kota-bandung/2024/2024-05-18-rapat-koordinasi/",
        BASE + "kota-makassar/2024/2024-05-18-pekan-imunisasi/",
        BASE + "kota-jayapura/2024/2024-05-18-pasar-murah/",
    ]
    assert [item.findtext("pubDate") for item in national] == [
        "Sat, 18 May 2024 16:30:00 +0700",
        "Sat, 18 May 2024 16:30:00 +0800",
        "Sat, 18 May 2024 16:30:00 +0900",
    ]
    everything = b"".join(files.values())
    for hidden in (b"dicabut", b"berembargo", b"konsep"):
        assert hidden not in everything
    entry = atom_entries(files["feeds/kota-makassar.atom"])[0]
    assert entry.findtext("atom:updated", namespaces=NS) == "2024-05-20T08:00:00+08:00"
    assert "Ralat: lokasi posyandu ditambah." in (
        entry.findtext("atom:content", namespaces=NS) or ""
    )
    channel = etree.fromstring(files["feeds/kota-bandung.xml"]).find("channel")
    assert channel is not None
    assert channel.findtext("lastBuildDate") == "Tue, 21 May 2024 09:00:00 +0700"


def test_pipeline_guid_survives_editing_the_file(repo: PortalRepo) -> None:
    write_sample_repository(repo)
    before = pipeline_feeds(repo)
    repo.write_release(
        "kota-bandung",
        "2024-05-18 17:45",  # the time of day corrected too
        "rapat-koordinasi",
        title='"Rapat Koordinasi Kehumasan Se-Kota Bandung"',
        body="Isi yang ditulis ulang seluruhnya, dengan [tautan](/kantor/).\n",
    )
    after = pipeline_feeds(repo)
    assert before["feeds/kota-bandung.xml"] != after["feeds/kota-bandung.xml"]
    assert guids(before["feeds/kota-bandung.xml"]) == guids(after["feeds/kota-bandung.xml"])
    assert guids(after["feeds/kota-bandung.xml"]) == [
        "tag:portal.test,2024:kota-bandung/2024-05-18-rapat-koordinasi"
    ]
    assert parsed(after["feeds/kota-bandung.xml"]).entries[0].title == (
        "Rapat Koordinasi Kehumasan Se-Kota Bandung"
    )


# --- end to end: a real `mkdocs build` -----------------------------------------------------


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def test_mkdocs_build_writes_feeds_and_pages_advertise_them(
    repo: PortalRepo, tmp_path: Path
) -> None:
    write_sample_repository(repo)
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
        cwd=repo.root,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    portal, _problems = validate(repo.settings())
    assert portal is not None
    for _group, feed, html_page in feeds.all_feed_sets(portal):
        for path in (feed.rss, feed.atom, feed.json):
            assert (site / path).is_file(), path
        assert (site / html_page / "index.html").is_file(), html_page
    assert (site / urls.opml()).is_file()
    assert (site / feeds.LOGO_PATH).is_file()  # the channel image exists

    advertised: dict[str, set[str]] = {}
    for page in site.rglob("index.html"):
        document = lxml.html.fromstring(page.read_bytes())
        hrefs = {
            link.get("href") or ""
            for link in document.iter("link")
            if link.get("rel") == "alternate" and link.get("type") in FEED_TYPES
        }
        for href in hrefs:
            assert href.startswith(BASE)
            assert (site / href.removeprefix(BASE)).is_file(), (page, href)
        advertised[page.parent.relative_to(site).as_posix() + "/"] = hrefs
    assert BASE + "feeds/nasional.xml" in advertised["./"]
    for region in portal.iter_regions():  # every region page advertises its own feeds
        assert BASE + f"feeds/{region.id}.xml" in advertised[region.url], region.id
        assert BASE + f"feeds/{region.id}.atom" in advertised[region.url], region.id
    assert BASE + "feeds/gabungan/jawa-barat.xml" in advertised["jawa-barat/"]
    assert BASE + "feeds/kategori/kesehatan.xml" in advertised["kategori/kesehatan/"]
    assert BASE + "feeds/jenis/klarifikasi-hoaks.xml" in advertised["jenis/klarifikasi-hoaks/"]
    release_page = "kota-bandung/2024/2024-05-18-rapat-koordinasi/"
    assert BASE + "feeds/kota-bandung.xml" in advertised[release_page]

    for path in site.joinpath("feeds").rglob("*"):
        if path.suffix in (".xml", ".atom"):
            parsed(path.read_bytes())
    assert not (site / "sitemap.xml.gz").exists()  # MkDocs' own sitemap is replaced
    index = etree.fromstring((site / "sitemap.xml").read_bytes())
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert "Sitemap: https://portal.test/sitemap.xml" in (site / "robots.txt").read_text()
