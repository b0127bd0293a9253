"""The release page: a pure function of one release and the few things shown beside it.

:func:`render_release` reads nothing but its :class:`ReleaseInputs` (the release, its region
and province, its category, its previous/next siblings, a few related releases, the site's
name and URL), so its output can be cached by a digest of those inputs and rendered in
parallel (issue 6); its cost does not depend on the size of the archive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import urls
from .markup import render_body
from .model import Category, Region, Release, ReleaseType
from .pages_html import Link, esc, iso, iso_utc, province_label, release_list, term, time_tag
from .pages_meta import LOGO_PATH, HeadMeta, absolute, head_html
from .timefmt import format_date, format_datetime

#: Release pages shown under "Rilis terkait".
RELATED_COUNT = 4


@dataclass(frozen=True)
class RenderedPage:
    """One generated page: plain-text title (the theme escapes it) and trusted HTML parts."""

    url: str
    title: str
    head_html: str
    body_html: str


@dataclass(frozen=True)
class ReleaseInputs:
    """Everything a release page shows; the cache key of the page is a digest of this."""

    release: Release
    region: Region
    province: Region | None
    category: Category | None
    newer: Release | None
    older: Release | None
    related: tuple[Release, ...]
    #: Regions and categories of ``related`` (and of newer/older), for their badges.
    regions: Mapping[str, Region]
    categories: Mapping[str, Category]
    site_name: str
    base_url: str


def render_release(inputs: ReleaseInputs) -> RenderedPage:
    release, region = inputs.release, inputs.region
    link = Link(release.url)
    withdrawn = release.withdrawn is not None
    category_label = inputs.category.label if inputs.category else release.category

    parts: list[str] = []
    # Withdrawn pages stay reachable (links from elsewhere keep working) but are not indexed.
    parts.append(
        '<article class="portal-release">'
        if withdrawn
        else '<article class="portal-release" data-pagefind-body>'
    )
    if release.withdrawn is not None:
        parts.append(
            '<div class="portal-withdrawn" role="note">'
            "<p><strong>Rilis ini telah ditarik</strong> pada "
            f'<time datetime="{esc(iso(release.withdrawn.date))}">'
            f"{esc(format_datetime(release.withdrawn.date))}</time>.</p>"
            f"<p>Alasan: {esc(release.withdrawn.reason)}</p></div>"
        )
    badges = [
        f'<a class="portal-badge portal-badge--region" href="{link(region.url)}">'
        f"{esc(region.name)}</a>"
    ]
    if inputs.province is not None and inputs.province.id != region.id:
        badges.append(
            f'<a class="portal-badge" href="{link(inputs.province.url)}">'
            f"{esc(inputs.province.name)}</a>"
        )
    badges.append(
        f'<a class="portal-badge portal-badge--type" href="{link(release.type.url)}">'
        f"{esc(release.type.label)}</a>"
    )
    # Badges and the date line are not search text: the result already shows the region and the
    # date, and the excerpt should come from the release itself (the publishing office is still
    # indexed, in the credits at the end).
    parts.append(f'<p class="portal-badges" data-pagefind-ignore>{" ".join(badges)}</p>')
    parts.append(f"<h1>{esc(release.title)}</h1>")
    category_link = (
        f'<a href="{link(inputs.category.url)}">{esc(category_label)}</a>'
        if inputs.category
        else esc(category_label)
    )
    parts.append(
        f'<p class="portal-meta" data-pagefind-ignore>{time_tag(release)} · '
        f"Kategori: {category_link}</p>"
    )
    parts.append(f'<p class="portal-lead">{esc(release.summary)}</p>')
    if release.claim is not None:
        parts.append(_claim_box(release))
    if release.image is not None:
        parts.append(
            '<figure class="portal-figure">'
            f'<img src="{link(release.image.url)}" alt="{esc(release.image.alt)}" '
            'loading="lazy" decoding="async"></figure>'
        )
    body = render_body(release.body_markdown, source_dir=release.source_dir, url_prefix=link.root)
    parts.append(f'<div class="portal-body">{body}</div>')
    if release.tags:
        # A withdrawn release is in no listing, so a tag only it carries has no page: its tags
        # are shown as text, never as links that could lead to "not found".
        tags = " ".join(
            f'<span class="portal-tag">#{esc(tag)}</span>'
            if withdrawn
            else f'<a class="portal-tag" href="{link(urls.tag(tag))}">#{esc(tag)}</a>'
            for tag in release.tags
        )
        parts.append(f'<p class="portal-tags">Topik: {tags}</p>')
    credits = []
    if release.author:
        credits.append(term("Penulis", esc(release.author)))
    credits.append(
        term("Diterbitkan oleh", f'<a href="{link(region.url)}">{esc(region.office_name)}</a>')
    )
    if release.contact:
        credits.append(term("Narahubung", esc(release.contact)))
    parts.append(f'<dl class="portal-credits">{"".join(credits)}</dl>')
    if release.updates:
        entries = "".join(
            f'<li><time datetime="{esc(iso(update.date))}">{esc(format_datetime(update.date))}'
            f"</time>: {esc(update.note)}</li>"
            for update in sorted(release.updates, key=lambda u: (u.date, u.note))
        )
        parts.append(
            '<section class="portal-updates" aria-labelledby="pembaruan">'
            f'<h2 id="pembaruan">Pembaruan</h2><ul>{entries}</ul></section>'
        )
    if not withdrawn:
        parts.append(_search_data(inputs, category_label))
    parts.append("</article>")
    parts.append(_neighbours(inputs, link))
    if inputs.related:
        parts.append(
            '<aside class="portal-related" aria-labelledby="terkait">'
            '<h2 id="terkait">Rilis terkait</h2>'
            + release_list(inputs.related, inputs.regions, inputs.categories, link)
            + "</aside>"
        )

    feeds = (urls.region_feed(region.id, region.name),)
    meta = HeadMeta(
        url=release.url,
        title=release.title,
        description=release.summary,
        feeds=feeds,
        og_type="article",
        image_url=release.image.url if release.image else None,
        image_alt=release.image.alt if release.image else None,
        published=release.date,
        modified=release.updated,
        section=category_label,
        json_ld=tuple(_json_ld(inputs, category_label)),
        indexable=True,
    )
    return RenderedPage(
        url=release.url,
        title=release.title,
        head_html=head_html(meta, base_url=inputs.base_url, site_name=inputs.site_name),
        body_html="".join(parts),
    )


def _claim_box(release: Release) -> str:
    claim = release.claim
    assert claim is not None
    rows = [
        '<p class="portal-claim__label">Klaim yang beredar</p>',
        f"<blockquote>{esc(claim.text)}</blockquote>",
        '<p class="portal-claim__verdict">Hasil pemeriksaan: '
        f'<strong class="portal-verdict portal-verdict--{esc(claim.verdict.value)}">'
        f"{esc(claim.verdict.label)}</strong></p>",
    ]
    if claim.first_seen is not None:
        rows.append(
            f'<p>Pertama beredar: <time datetime="{claim.first_seen.isoformat()}">'
            f"{esc(format_date(claim.first_seen))}</time></p>"
        )
    if claim.source_urls:
        items = "".join(
            # Links to where the hoax circulates: never endorsed, never followed by crawlers.
            f'<li><a href="{esc(url)}" rel="nofollow noopener ugc">{esc(url)}</a></li>'
            if url.startswith(("https://", "http://"))
            else f"<li>{esc(url)}</li>"
            for url in claim.source_urls
        )
        rows.append(f"<p>Sumber klaim:</p><ul>{items}</ul>")
    return (
        f'<aside class="portal-claim portal-claim--{esc(claim.verdict.value)}" '
        f'aria-label="Hasil klarifikasi">{"".join(rows)}</aside>'
    )


def _search_data(inputs: ReleaseInputs, category_label: str) -> str:
    """Hidden search filters, sort key and result metadata (ARCHITECTURE.md search contract).

    ``data-pagefind-ignore`` keeps these words out of the full-text index while the indexer
    (generator.search) still reads the filter, sort and meta values inside.
    """
    release, region = inputs.release, inputs.region
    values = [
        ("filter", "wilayah", region.name),
    ]
    if inputs.province is not None:
        values.append(("filter", "provinsi", province_label(inputs.province)))
    values += [
        ("filter", "kategori", category_label),
        ("filter", "jenis", release.type.label),
        ("filter", "tahun", f"{release.date:%Y}"),
        ("sort", "tanggal", iso_utc(release)),
        ("meta", "wilayah", region.name),
        ("meta", "tanggal", format_datetime(release.date)),
    ]
    spans = "".join(
        f'<span data-pagefind-{kind}="{name}">{esc(value)}</span>' for kind, name, value in values
    )
    return f'<div class="portal-search-data" hidden data-pagefind-ignore>{spans}</div>'


def _neighbours(inputs: ReleaseInputs, link: Link) -> str:
    if inputs.newer is None and inputs.older is None:
        return ""
    items = []
    if inputs.older is not None:
        items.append(
            f'<a class="portal-neighbours__prev" rel="prev" href="{link(inputs.older.url)}">'
            f"<span>« Rilis sebelumnya</span> {esc(inputs.older.title)}</a>"
        )
    if inputs.newer is not None:
        items.append(
            f'<a class="portal-neighbours__next" rel="next" href="{link(inputs.newer.url)}">'
            f"<span>Rilis berikutnya »</span> {esc(inputs.newer.title)}</a>"
        )
    return (
        f'<nav class="portal-neighbours" aria-label="Rilis lain dari {esc(inputs.region.name)}">'
        + "".join(items)
        + "</nav>"
    )


def _json_ld(inputs: ReleaseInputs, category_label: str) -> list[dict[str, Any]]:
    """schema.org ``NewsArticle`` for every release, plus ``ClaimReview`` for hoax checks."""
    release, region = inputs.release, inputs.region
    link = Link(release.url)
    page_url = absolute(inputs.base_url, release.url, link)
    publisher = {
        "@type": "Organization",
        "name": inputs.site_name,
        "logo": {"@type": "ImageObject", "url": absolute(inputs.base_url, LOGO_PATH, link)},
    }
    office = {"@type": "GovernmentOrganization", "name": region.office_name}
    if region.office.website:
        office["url"] = region.office.website
    author: dict[str, Any] = (
        {"@type": "Person", "name": release.author} if release.author else office
    )
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
        "description": release.summary,
        "datePublished": release.date.isoformat(),
        "dateModified": release.updated.isoformat(),
        "inLanguage": "id",
        "mainEntityOfPage": page_url,
        "url": page_url,
        "articleSection": category_label,
        "author": author,
        "sourceOrganization": office,
        "publisher": publisher,
        "contentLocation": {"@type": "AdministrativeArea", "name": region.name},
    }
    if release.tags:
        article["keywords"] = list(release.tags)
    if release.image is not None:
        article["image"] = absolute(inputs.base_url, release.image.url, link)
    documents = [article]
    if release.claim is not None and release.type is ReleaseType.KLARIFIKASI_HOAKS:
        claim = release.claim
        item_reviewed: dict[str, Any] = {"@type": "Claim"}
        if claim.first_seen is not None:
            item_reviewed["datePublished"] = claim.first_seen.isoformat()
        if claim.source_urls:
            item_reviewed["appearance"] = [
                {"@type": "CreativeWork", "url": url} for url in claim.source_urls
            ]
        documents.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": page_url,
                "claimReviewed": claim.text,
                "datePublished": release.date.isoformat(),
                "inLanguage": "id",
                "author": office,
                "itemReviewed": item_reviewed,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": claim.verdict.rating,
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": claim.verdict.label,
                },
            }
        )
    return documents
