"""The frozen, typed content model every later stage reads: regions, categories, releases.

Nothing here touches the file system. The loading stages (``regions``, ``releases``) build
these objects after validating their sources; rendering, feeds and search only read them.
Every collection is a tuple or a read-only mapping in a defined order, so that anything built
from the model is deterministic.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo


class RegionKind(enum.StrEnum):
    NASIONAL = "nasional"
    LEMBAGA = "lembaga"
    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"

    @property
    def label(self) -> str:
        return _REGION_KIND_LABELS[self]


_REGION_KIND_LABELS = {
    RegionKind.NASIONAL: "Nasional",
    RegionKind.LEMBAGA: "Lembaga Pusat",
    RegionKind.PROVINSI: "Provinsi",
    RegionKind.KABUPATEN: "Kabupaten",
    RegionKind.KOTA: "Kota",
}

#: IANA zones used in Indonesia and the label the public knows them by
#: (Undang-Undang/Keppres 41/1987 on the three time zones).
ZONE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "Asia/Jakarta": "WIB",
        "Asia/Pontianak": "WIB",
        "Asia/Makassar": "WITA",
        "Asia/Jayapura": "WIT",
    }
)

#: Island groups by the first digit of the Kemendagri province code, in the order the
#: home page shows them.
ISLAND_GROUPS: tuple[tuple[str, str], ...] = (
    ("1", "Sumatera"),
    ("2", "Sumatera"),  # 21 Kepulauan Riau
    ("3", "Jawa"),
    ("5", "Bali dan Nusa Tenggara"),
    ("6", "Kalimantan"),
    ("7", "Sulawesi"),
    ("8", "Maluku"),
    ("9", "Papua"),
)


@dataclass(frozen=True)
class Office:
    """The press office (Humas/Diskominfo) that speaks for a region. All fields optional."""

    name: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Region:
    """One publisher: the nation (``pusat``), a central institution, a province, a regency/city.

    ``id`` is the slug used in paths and URLs and equals the registry file's name.
    """

    id: str
    code: str
    name: str
    kind: RegionKind
    parent: str | None
    timezone: str
    office: Office = field(default_factory=Office)
    maintainers: tuple[str, ...] = ()
    source_path: str = ""

    @property
    def zone_label(self) -> str:
        """WIB, WITA or WIT."""
        return ZONE_LABELS[self.timezone]

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def office_name(self) -> str:
        return self.office.name or f"Humas {self.name}"

    @property
    def island_group(self) -> str | None:
        """The island group of a province or regency/city, from its Kemendagri code."""
        if self.kind in (RegionKind.NASIONAL, RegionKind.LEMBAGA):
            return None
        first = self.code[:1]
        return next((name for digit, name in ISLAND_GROUPS if digit == first), None)

    @property
    def url(self) -> str:
        """Site-relative URL of the region's page (directory URL, no leading slash)."""
        return f"{self.id}/"


@dataclass(frozen=True)
class Category:
    """One entry of the controlled topic vocabulary (``content/categories.yml``)."""

    id: str
    label: str
    description: str = ""

    @property
    def url(self) -> str:
        return f"kategori/{self.id}/"


class ReleaseType(enum.StrEnum):
    SIARAN_PERS = "siaran-pers"
    BERITA = "berita"
    PENGUMUMAN = "pengumuman"
    AGENDA = "agenda"
    KLARIFIKASI_HOAKS = "klarifikasi-hoaks"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @property
    def url(self) -> str:
        return f"jenis/{self.value}/"


_TYPE_LABELS = {
    ReleaseType.SIARAN_PERS: "Siaran Pers",
    ReleaseType.BERITA: "Berita",
    ReleaseType.PENGUMUMAN: "Pengumuman",
    ReleaseType.AGENDA: "Agenda",
    ReleaseType.KLARIFIKASI_HOAKS: "Klarifikasi Hoaks",
}


class Verdict(enum.StrEnum):
    HOAKS = "hoaks"
    DISINFORMASI = "disinformasi"
    MISINFORMASI = "misinformasi"
    SATIRE = "satire"
    BENAR = "benar"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]

    @property
    def rating(self) -> int:
        """schema.org ClaimReview ``ratingValue`` on a 1 (false) to 5 (true) scale."""
        return _VERDICT_RATINGS[self]


_VERDICT_LABELS = {
    Verdict.HOAKS: "Hoaks",
    Verdict.DISINFORMASI: "Disinformasi",
    Verdict.MISINFORMASI: "Misinformasi",
    Verdict.SATIRE: "Satire",
    Verdict.BENAR: "Benar",
}
_VERDICT_RATINGS = {
    Verdict.HOAKS: 1,
    Verdict.DISINFORMASI: 1,
    Verdict.MISINFORMASI: 2,
    Verdict.SATIRE: 3,
    Verdict.BENAR: 5,
}


@dataclass(frozen=True)
class Correction:
    """An entry of ``updates``: a dated correction or update note ("Pembaruan"/"Ralat")."""

    date: datetime
    note: str


@dataclass(frozen=True)
class Withdrawal:
    """``withdrawn``: the release stays reachable at its URL but leaves every listing."""

    date: datetime
    reason: str


@dataclass(frozen=True)
class Claim:
    """``claim`` of a ``klarifikasi-hoaks`` release: the circulating claim and its verdict."""

    text: str
    verdict: Verdict
    first_seen: date | None = None
    source_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Image:
    """The lead image. ``source_path`` is repository-relative (``content/<region>/…``)."""

    source_path: str
    alt: str
    size_bytes: int
    mime_type: str
    #: sha256 of the file's bytes (hex): the build cache stores and publishes images by it.
    sha256: str = ""

    @property
    def url(self) -> str:
        """Site-relative URL: assets keep their path below ``content/``."""
        return self.source_path.removeprefix("content/")


@dataclass(frozen=True)
class Release:
    """One validated press release.

    ``id`` (``<region-id>/<YYYY-MM-DD>-<slug>``) is permanent: URLs, feed GUIDs and search
    keys derive from it and never from the title. All datetimes are timezone-aware and
    expressed in the region's own zone.
    """

    id: str
    region_id: str
    slug: str
    source_path: str
    title: str
    date: datetime
    summary: str
    category: str
    type: ReleaseType
    body_markdown: str
    tags: tuple[str, ...] = ()
    author: str | None = None
    contact: str | None = None
    image: Image | None = None
    publish_at: datetime | None = None
    draft: bool = False
    updates: tuple[Correction, ...] = ()
    withdrawn: Withdrawal | None = None
    claim: Claim | None = None
    #: sha256 of the source bytes (and of the image bytes): the cache key's base.
    digest: str = ""
    #: Digest of every field but the body (:func:`outline_digest`): all that a page other
    #: than the release's own shows of it (listings, neighbours, related releases). A body
    #: edit leaves it unchanged, so it re-renders the release's page and feeds, not the
    #: listings around it.
    outline: str = ""

    @property
    def url(self) -> str:
        """Site-relative directory URL, e.g. ``kota-bandung/2024/2024-05-01-slug/``."""
        return f"{self.region_id}/{self.date:%Y}/{self.id.split('/', 1)[1]}/"

    @property
    def source_dir(self) -> str:
        """Folder of the source file below ``content/`` (relative links resolve from it)."""
        return self.source_path.removeprefix("content/").rsplit("/", 1)[0]

    @property
    def updated(self) -> datetime:
        """The latest of the release date, its corrections and its withdrawal."""
        moments = [self.date, *(u.date for u in self.updates)]
        if self.withdrawn is not None:
            moments.append(self.withdrawn.date)
        return max(moments)

    def is_public(self, at: datetime) -> bool:
        """Visible at all (its page exists): not a draft and past its embargo."""
        if self.draft:
            return False
        return self.publish_at is None or self.publish_at <= at

    @property
    def listed_when_public(self) -> bool:
        """Withdrawn releases keep their page but leave every listing."""
        return self.withdrawn is None

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its field values: the release cache loads every release on every build,
        # and this takes about half the time of the default (a state dict per release).
        return (_release_from_fields, tuple(self.__dict__[name] for name in _RELEASE_FIELDS))


def _release_from_fields(*values: Any) -> Release:
    release = object.__new__(Release)
    release.__dict__.update(zip(_RELEASE_FIELDS, values, strict=True))
    return release


_RELEASE_FIELDS = tuple(f.name for f in fields(Release))


def outline_digest(release: Release) -> str:
    """sha256 of ``repr`` of the release without its body and digests. Only the release's
    own page and its feed items render ``body_markdown``; every other field can show
    elsewhere, so any change to one of them changes this digest."""
    bare = replace(release, body_markdown="", digest="", outline="")
    return hashlib.sha256(repr(bare).encode("utf-8", "surrogatepass")).hexdigest()


_KeyFunc = Callable[[Release], Iterable[str]]


def newest_first_key(release: Release) -> tuple[float, str]:
    """Sort key: newest first, ties broken by id (ascending) so order never depends on I/O."""
    return (-release.date.timestamp(), release.id)


@dataclass(frozen=True)
class Portal:
    """Everything the site is built from, already filtered to what is public at ``build_time``.

    ``regions`` is in registry order (pusat, central institutions, then by Kemendagri code).
    ``releases`` holds every public release (withdrawn included: their pages stay), newest
    first. ``listed`` drops the withdrawn ones; listings, feeds' item lists and search use it.
    """

    regions: Mapping[str, Region]
    categories: Mapping[str, Category]
    releases: tuple[Release, ...]
    build_time: datetime
    site_name: str = "Portal Informasi Nasional"
    site_url: str = ""
    #: When the next embargoed release becomes public (None: none is waiting): until then the
    #: same sources give the same site (see the plugin's unchanged-sources check).
    next_publication: datetime | None = None

    @cached_property
    def listed(self) -> tuple[Release, ...]:
        return tuple(r for r in self.releases if r.listed_when_public)

    @cached_property
    def _by_region(self) -> Mapping[str, tuple[Release, ...]]:
        return _group(self.listed, lambda r: (r.region_id,))

    @cached_property
    def _children(self) -> Mapping[str, tuple[Region, ...]]:
        groups: dict[str, list[Region]] = {}
        for region in self.regions.values():
            if region.parent is not None:
                groups.setdefault(region.parent, []).append(region)
        return MappingProxyType({k: tuple(v) for k, v in groups.items()})

    def region(self, region_id: str) -> Region:
        return self.regions[region_id]

    def children(self, region_id: str) -> tuple[Region, ...]:
        """Direct children in registry order (a province's kabupaten/kota, pusat's members)."""
        return self._children.get(region_id, ())

    def provinces(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions.values() if r.kind is RegionKind.PROVINSI)

    def province_of(self, region: Region) -> Region | None:
        """The province a region belongs to (itself for a province), else None."""
        if region.kind is RegionKind.PROVINSI:
            return region
        if region.kind in (RegionKind.KABUPATEN, RegionKind.KOTA) and region.parent:
            return self.regions[region.parent]
        return None

    def releases_of_region(self, region_id: str) -> tuple[Release, ...]:
        """Listed releases published by exactly this region, newest first."""
        return self._by_region.get(region_id, ())

    def rollup(self, province_id: str) -> tuple[Release, ...]:
        """Listed releases of a province and all its kabupaten/kota, newest first."""
        ids = {province_id, *(c.id for c in self.children(province_id))}
        return tuple(r for r in self.listed if r.region_id in ids)

    @cached_property
    def _by_category(self) -> Mapping[str, tuple[Release, ...]]:
        return _group(self.listed, lambda r: (r.category,))

    def releases_in_category(self, category_id: str) -> tuple[Release, ...]:
        return self._by_category.get(category_id, ())

    @cached_property
    def _by_type(self) -> Mapping[str, tuple[Release, ...]]:
        return _group(self.listed, lambda r: (r.type.value,))

    def releases_of_type(self, release_type: ReleaseType) -> tuple[Release, ...]:
        return self._by_type.get(release_type.value, ())

    @cached_property
    def _by_tag(self) -> Mapping[str, tuple[Release, ...]]:
        return _group(self.listed, lambda r: r.tags)

    def tags(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_tag))

    def releases_with_tag(self, tag: str) -> tuple[Release, ...]:
        return self._by_tag.get(tag, ())

    @cached_property
    def _by_month(self) -> Mapping[str, tuple[Release, ...]]:
        return _group(self.listed, lambda r: (f"{r.date:%Y/%m}",))

    def months(self) -> tuple[str, ...]:
        """``YYYY/MM`` keys (in each release's local time), newest first."""
        return tuple(sorted(self._by_month, reverse=True))

    def releases_in_month(self, month: str) -> tuple[Release, ...]:
        return self._by_month.get(month, ())

    def neighbours(self, release: Release) -> tuple[Release | None, Release | None]:
        """(newer, older) listed releases of the same region, for previous/next links."""
        siblings = self.releases_of_region(release.region_id)
        try:
            index = siblings.index(release)
        except ValueError:  # withdrawn: not in the listing, so no neighbours
            return (None, None)
        newer = siblings[index - 1] if index > 0 else None
        older = siblings[index + 1] if index + 1 < len(siblings) else None
        return (newer, older)

    def iter_regions(self) -> Iterator[Region]:
        return iter(self.regions.values())


def _group(releases: tuple[Release, ...], keys: _KeyFunc) -> Mapping[str, tuple[Release, ...]]:
    groups: dict[str, list[Release]] = {}
    for release in releases:  # already newest first, so each group is too
        for key in keys(release):
            groups.setdefault(key, []).append(release)
    return MappingProxyType({k: tuple(v) for k, v in groups.items()})
