"""``<head>`` metadata of every page: description, canonical URL, Open Graph, Twitter card,
JSON-LD (schema.org ``NewsArticle`` / ``ClaimReview``) and feed autodiscovery.

Every value is plain text escaped here exactly once; JSON-LD is serialised with ``<``, ``>``
and ``&`` written as ``\\u003c``/``\\u003e``/``\\u0026`` so that no string can close the
``<script>`` element (the HTML parser does not decode entities inside ``<script>``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import urls
from .pages_html import Link, esc

#: Site-relative path of the portal's icon (shipped in ``generator/theme/assets``); feeds
#: reference the same file.
LOGO_PATH = "assets/logo.png"

_FEED_TYPES = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
)


@dataclass(frozen=True)
class HeadMeta:
    """What one page says about itself to browsers, crawlers, link previews and feed readers."""

    url: str
    title: str
    description: str
    feeds: tuple[urls.FeedSet, ...]
    og_type: str = "website"
    #: Site-relative image URL (the release image) and its alt text; else the site logo.
    image_url: str | None = None
    image_alt: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    section: str | None = None
    json_ld: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    #: False for pages that must not be indexed by crawlers (404).
    indexable: bool = True


def absolute(base_url: str, url: str, link: Link) -> str:
    """Absolute URL from ``site_url`` when configured; else relative to the page (unescaped)."""
    if base_url:
        return base_url + url
    return link.root + url or "./"


def json_ld_script(data: Mapping[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'


def feed_autodiscovery(feeds: Sequence[urls.FeedSet], base_url: str, link: Link) -> str:
    tags = []
    for feed in feeds:
        for attr, mime, label in _FEED_TYPES:
            href = absolute(base_url, getattr(feed, attr), link)
            tags.append(
                f'<link rel="alternate" type="{mime}" title="{esc(f"{feed.title} ({label})")}" '
                f'href="{esc(href)}">'
            )
    return "".join(tags)


def head_html(meta: HeadMeta, *, base_url: str, site_name: str) -> str:
    """The portal part of ``<head>`` (Material's template adds charset, viewport, CSS, JS)."""
    link = Link(meta.url)
    page_url = absolute(base_url, meta.url, link)
    image = absolute(base_url, meta.image_url or LOGO_PATH, link)
    parts = [f'<meta name="description" content="{esc(meta.description)}">']
    if base_url and meta.indexable:  # a 404 is served at any URL: it has no canonical one
        parts.append(f'<link rel="canonical" href="{esc(page_url)}">')
    if not meta.indexable:
        parts.append('<meta name="robots" content="noindex">')
    og = [
        ("og:type", meta.og_type),
        ("og:site_name", site_name),
        ("og:locale", "id_ID"),
        ("og:title", meta.title),
        ("og:description", meta.description),
        ("og:image", image),
    ]
    if base_url and meta.indexable:
        og.append(("og:url", page_url))
    if meta.image_alt:
        og.append(("og:image:alt", meta.image_alt))
    if meta.published is not None:
        og.append(("article:published_time", meta.published.isoformat()))
    if meta.modified is not None:
        og.append(("article:modified_time", meta.modified.isoformat()))
    if meta.section:
        og.append(("article:section", meta.section))
    parts.extend(f'<meta property="{key}" content="{esc(value)}">' for key, value in og)
    twitter = [
        ("twitter:card", "summary_large_image" if meta.image_url else "summary"),
        ("twitter:title", meta.title),
        ("twitter:description", meta.description),
        ("twitter:image", image),
    ]
    if meta.image_alt:
        twitter.append(("twitter:image:alt", meta.image_alt))
    parts.extend(f'<meta name="{key}" content="{esc(value)}">' for key, value in twitter)
    parts.append(feed_autodiscovery(meta.feeds, base_url, link))
    parts.extend(json_ld_script(data) for data in meta.json_ld)
    return "\n".join(parts)
