"""Escaping, sanitizing, privacy (no external host) and refusal of unsafe sources (real builds)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import material
import pytest
from conftest import REPO, PortalRepo, make_release
from mkdocs.exceptions import Abort
from test_site_build import build_rich_site, build_site, page, parse

from generator import pipeline
from generator.config import Settings
from generator.model import newest_first_key

EVIL_TITLE = "</title><script>alert(1)</script> & \"kutip\" 'satu' <b>"
EVIL_SUMMARY = '"><img src=x onerror=alert(2)> ringkasan & <script>alert(3)</script>'
EVIL_BODY = (
    "Paragraf <script>alert(4)</script> aman.\n\n"
    '<img src="x" onerror="alert(5)"> dan <a href="https://a.example" onclick="alert(6)">a</a>\n\n'
    "[klik](javascript:alert(7)) dan [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
    '<iframe src="https://jahat.example"></iframe><style>body{}</style>\n'
)
EVIL_URL = "kota-bandung/2024/2024-05-20-jahat/"


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich_site(tmp_path_factory)


def _inject_evil_release(monkeypatch: pytest.MonkeyPatch) -> None:
    """Feed the renderer a release that validation would refuse (defence in depth)."""
    real_validate = pipeline.validate_sources

    def validate(settings: Settings, *args: Any, **kwargs: Any) -> pipeline.Validated:
        validated = real_validate(settings, *args, **kwargs)
        portal = validated.portal
        assert portal is not None
        evil = make_release(
            slug="jahat",
            date=portal.releases[0].date.replace(day=20),
            title=EVIL_TITLE,
            summary=EVIL_SUMMARY,
            body_markdown=EVIL_BODY,
            author="<script>alert(8)</script>",
            tags=("aman",),
        )
        releases = tuple(sorted((*portal.releases, evil), key=newest_first_key))
        return dataclasses.replace(validated, portal=dataclasses.replace(portal, releases=releases))

    monkeypatch.setattr(pipeline, "validate_sources", validate)


@pytest.fixture
def evil_site(portal_repo: PortalRepo, monkeypatch: pytest.MonkeyPatch) -> Path:
    portal_repo.write_release()
    _inject_evil_release(monkeypatch)
    return build_site(portal_repo.root)


#: Every template Material ships, and the portal theme: inline scripts must come from them.
_THEME_SOURCES = "\n".join(
    path.read_text("utf-8")
    for folder in (Path(material.__file__).parent / "templates", REPO / "generator" / "theme")
    for path in folder.rglob("*.html")
)


def _scripts_are_only_the_themes(doc: Any) -> None:
    for script in doc.xpath("//script"):
        kind = script.get("type")
        src = script.get("src") or ""
        if kind in ("application/ld+json", "application/json"):
            continue
        inline = (script.text or "").strip()
        assert (src.endswith(".js") and not inline) or inline[:18] in _THEME_SOURCES, inline
        assert "alert" not in inline


def test_malicious_title_is_text_everywhere(evil_site: Path) -> None:
    raw = (evil_site / EVIL_URL / "index.html").read_text("utf-8")
    doc = lxml.html.fromstring(raw)
    assert doc.xpath("//title")[0].text == f"{EVIL_TITLE} - Portal Uji"
    assert doc.xpath("//article//h1")[0].text_content() == EVIL_TITLE
    topic = doc.xpath('//div[@data-md-component="header-topic"]')[0].text_content().strip()
    assert topic == EVIL_TITLE
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    assert og["og:title"] == EVIL_TITLE
    assert og["og:description"] == EVIL_SUMMARY
    meta = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    assert meta["twitter:title"] == EVIL_TITLE
    assert meta["description"] == EVIL_SUMMARY
    (ld,) = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    assert ld["headline"] == EVIL_TITLE
    assert ld["author"]["name"] == "<script>alert(8)</script>"
    # Escaped exactly once: no double escaping visible as text anywhere.
    assert "&amp;amp;" not in raw and "&amp;lt;" not in raw and "&amp;quot;" not in raw
    assert "<script>alert" not in raw
    assert "\\u003c/title\\u003e" in raw  # JSON-LD cannot close its <script>
    _scripts_are_only_the_themes(doc)
    assert not doc.xpath("//img[@onerror]")


def test_malicious_title_in_listings_is_text(evil_site: Path) -> None:
    for url in ("", "kota-bandung", "jawa-barat", "arsip/2024/05", "topik/aman"):
        doc = page(evil_site, url)
        titles = [a.text_content() for a in doc.xpath('//a[@class="portal-item__title"]')]
        assert EVIL_TITLE in titles, url
        summaries = [p.text_content() for p in doc.xpath('//p[@class="portal-item__summary"]')]
        assert EVIL_SUMMARY in summaries
        _scripts_are_only_the_themes(doc)
        assert not doc.xpath("//*[@onerror or @onclick]")


def test_body_is_sanitized_by_the_renderer(evil_site: Path) -> None:
    doc = page(evil_site, EVIL_URL)
    body = doc.xpath('//div[@class="portal-body"]')[0]
    html = lxml.html.tostring(body, encoding=str)
    assert not body.xpath(".//script | .//iframe | .//style")
    assert not body.xpath(".//@*[starts-with(name(), 'on')]")
    for href in body.xpath(".//a/@href | .//img/@src"):
        assert not href.lower().startswith(("javascript:", "data:")), href
    assert "alert(4)" not in html
    assert "Paragraf" in html


def test_validator_refuses_malicious_title_and_nothing_is_written(
    portal_repo: PortalRepo,
) -> None:
    portal_repo.write_release(title='"</title><script>alert(1)</script>"')
    with pytest.raises(Abort):
        build_site(portal_repo.root)
    assert not (portal_repo.root / "site").exists()
    assert not list(portal_repo.root.glob(".site.*"))


def test_symlinked_release_is_never_followed(portal_repo: PortalRepo, tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.md"
    secret.write_text(
        '---\ntitle: "Rahasia Luar"\ndate: "2024-05-18 16:30"\nsummary: "Berkas di luar '
        'repositori yang tidak boleh terbit."\ncategory: pemerintahan\n---\n\nRAHASIA\n',
        encoding="utf-8",
    )
    folder = portal_repo.root / "content" / "kota-bandung" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-05-18-rahasia.md").symlink_to(secret)
    with pytest.raises(Abort):
        build_site(portal_repo.root)
    assert not (portal_repo.root / "site").exists()


# --- privacy -----------------------------------------------------------------------------------

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")


def _external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


def test_no_page_loads_anything_from_an_external_host(rich_site: Path) -> None:
    offenders = []
    for html in sorted(rich_site.rglob("*.html")):
        doc = parse(html)
        resources = (
            doc.xpath("//script/@src")
            + doc.xpath("//img/@src | //img/@srcset | //source/@src | //source/@srcset")
            + doc.xpath(
                "//video/@src | //audio/@src | //iframe/@src | //embed/@src | //object/@data"
            )
            + doc.xpath('//link[not(@rel="canonical") and not(@rel="alternate")]/@href')
        )
        offenders += [f"{html}: {u}" for u in resources if _external(u)]
        for style in doc.xpath("//style/text() | //@style"):
            offenders += [f"{html}: {m}" for m in _CSS_URL.findall(style) if any(map(_external, m))]
    for css in rich_site.rglob("*.css"):
        for match in _CSS_URL.findall(css.read_text("utf-8")):
            offenders += [f"{css}: {u}" for u in match if u and _external(u)]
    assert offenders == []
    home = (rich_site / "index.html").read_text("utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home


def test_font_setting_cannot_bring_back_google_fonts(portal_repo: PortalRepo) -> None:
    portal_repo.write_release()
    config = (portal_repo.root / "mkdocs.yml").read_text("utf-8")
    (portal_repo.root / "mkdocs.yml").write_text(
        config.replace("font: false", "font:\n    text: Roboto"), encoding="utf-8"
    )
    site = build_site(portal_repo.root)
    assert "fonts.googleapis.com" not in (site / "index.html").read_text("utf-8")
