"""The pipeline, stage by stage: regions → releases → model. Rendering stages read the model.

Both the MkDocs plugin and the ``portal`` CLI call :func:`validate`; nothing is written until
every source has been read and validated.

Parsed releases are cached (issue 6): a release file whose bytes, images, region record, the
categories, the validation settings and the generator code are all unchanged since an earlier
build is not parsed again; its validated :class:`~generator.model.Release` and its warnings
come from ``.cache/portal/releases/``. Only the other files go through
:func:`generator.releases.load_releases` (as ``only_paths``, which still checks ids and URLs
for uniqueness against the whole archive), so the diagnostics are exactly those of a full run.

When a build knows that only some release files changed since the published build (its source
snapshot says so; same file names, configuration and code), :func:`validate_sources` takes
that build's registry, categories and archive classification (:class:`SourceModel`) and hashes
only the changed files (:class:`Revalidation`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .cache import FileStat, bulk_load, code_version, digest
from .config import Settings
from .diagnostics import Diagnostic, has_errors
from .model import Category, Portal, Region, Release, newest_first_key
from .regions import RegionRegistry, load_regions
from .releases import Archive, future_date_warnings, load_releases, scan_archive
from .taxonomy import load_categories

#: Sub-folder of the cache with one file of parsed releases per region.
RELEASES_CACHE = "releases"


@dataclass(frozen=True)
class SourceModel:
    """What a build derives from the regions, the categories and the *names* of the content
    files: kept with the published build's source record (:class:`generator.cache.
    SourceSnapshot`), so that a build in which only some release files changed neither reads
    the registry again nor walks the archive (:class:`Revalidation`)."""

    registry: RegionRegistry
    categories: Mapping[str, Category]
    #: Diagnostics of the regions and categories (warnings: the build succeeded).
    problems: tuple[Diagnostic, ...]
    archive: Archive

    def __reduce__(self) -> tuple[Any, ...]:
        # Read-only mapping views cannot be pickled: plain dicts are stored instead.
        return (
            _source_model,
            (dict(self.registry.regions), dict(self.categories), self.problems, self.archive),
        )


def _source_model(
    regions: dict[str, Region],
    categories: dict[str, Category],
    problems: tuple[Diagnostic, ...],
    archive: Archive,
) -> SourceModel:
    return SourceModel(
        RegionRegistry(MappingProxyType(regions)), MappingProxyType(categories), problems, archive
    )


@dataclass(frozen=True)
class Revalidation:
    """The previous build's :class:`SourceModel` and the files changed since (all of them
    release files already known to it, each with the stat this build saw)."""

    model: SourceModel
    changed: tuple[str, ...]
    stats: Mapping[str, FileStat | None]
    #: The stat of each region's release-cache shard as that build left it.
    shards: Mapping[str, FileStat] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        model: object,
        changed: Sequence[str],
        stats: Mapping[str, FileStat | None],
        shards: object = None,
    ) -> Revalidation | None:
        """None unless every changed file is a release file of ``model``'s archive."""
        if not isinstance(model, SourceModel):
            return None
        known = {path.rel_path for path in model.archive.releases if path.valid}
        if not all(rel in known for rel in changed):
            return None
        return cls(model, tuple(changed), stats, shards if isinstance(shards, dict) else {})


#: A release as the next build compares it: id, source digest, outline.
ReleaseIdentity = tuple[str, str, str]


@dataclass(frozen=True)
class Validated:
    """The result of :func:`validate_sources`."""

    portal: Portal | None
    diagnostics: list[Diagnostic]
    model: SourceModel | None = None
    #: Every valid release file (drafts and embargoed included): path → (id, source digest,
    #: outline). Kept with the published build's source record, so that the next build can
    #: tell which releases changed since, and whether only in their body.
    identities: Mapping[str, ReleaseIdentity] = field(default_factory=dict)
    #: The stat of each region's release-cache shard after validation (for the next build).
    shards: Mapping[str, FileStat] = field(default_factory=dict)


def validate(
    settings: Settings,
    only_paths: Sequence[str] | None = None,
    *,
    use_cache: bool = True,
    parallel: bool = True,
) -> tuple[Portal | None, list[Diagnostic]]:
    """Load and validate everything; the model is returned only when there is no error.

    ``only_paths`` (repository-relative) limits the detailed checks to those release files,
    while ids and URLs are still checked for uniqueness against the whole archive. A full
    validation (no ``only_paths``) reuses the release cache unless ``use_cache`` is False.
    """
    result = validate_sources(settings, only_paths, use_cache=use_cache, parallel=parallel)
    return result.portal, result.diagnostics


def validate_sources(
    settings: Settings,
    only_paths: Sequence[str] | None = None,
    *,
    use_cache: bool = True,
    since: Revalidation | None = None,
    parallel: bool = True,
) -> Validated:
    """:func:`validate` with what a build needs besides the model. With ``since`` (only
    release files changed since the build that made its model), the registry, categories and
    archive come from that build and only the changed files are read."""
    model: SourceModel | None
    shards: Mapping[str, FileStat] = {}
    if since is not None:
        model = since.model
        registry, categories = model.registry, model.categories
        problems = list(model.problems)
    else:
        registry, problems = load_regions(settings.root, settings.regions_dir)
        categories, category_problems = load_categories(settings)
        problems += category_problems
        model = None
    if only_paths is None and use_cache and not has_errors(problems):
        cache = ReleaseCache(settings)
        if since is not None:
            releases, release_problems = cache.load(
                registry,
                categories,
                archive=since.model.archive,
                stats=since.stats,
                parallel=parallel,
                trusted=since.shards,
                changed=since.changed,
            )
        else:
            region_problems = tuple(problems)
            releases, release_problems = cache.load(registry, categories, parallel=parallel)
            assert cache.archive is not None
            model = SourceModel(registry, categories, region_problems, cache.archive)
        shards = cache.shard_stats
    else:
        releases, release_problems = load_releases(
            settings, registry, categories, only_paths=only_paths, parallel=parallel
        )
        model = None
    problems += release_problems
    problems += future_date_warnings(releases, settings)
    problems.sort()
    if has_errors(problems):
        return Validated(None, problems)
    public = sorted((r for r in releases if r.is_public(settings.build_time)), key=newest_first_key)
    waiting = [
        r.publish_at
        for r in releases
        if not r.draft and r.publish_at is not None and r.publish_at > settings.build_time
    ]
    portal = Portal(
        regions=registry.regions,
        categories=MappingProxyType(dict(categories)),
        releases=tuple(public),
        build_time=settings.build_time,
        site_name=settings.site_name,
        site_url=settings.base_url,
        next_publication=min(waiting, default=None),
    )
    identities = {r.source_path: (r.id, r.digest, r.outline) for r in releases}
    return Validated(portal, problems, model, identities, dict(shards))


@dataclass(frozen=True)
class _FileDigest:
    """sha256 of a file's bytes, trusted while its size, mtime and inode are unchanged."""

    size: int
    mtime_ns: int
    inode: int
    sha256: str


@dataclass
class _Shard:
    """One region's cached files: digests of every file, parsed releases, checked images."""

    files: dict[str, _FileDigest] = field(default_factory=dict)
    #: rel path -> (key, release, diagnostics of that file)
    releases: dict[str, tuple[str, Release, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    #: rel path -> (key, diagnostics of that file) for images checked on their own
    images: dict[str, tuple[str, tuple[Diagnostic, ...]]] = field(default_factory=dict)


class ReleaseCache:
    """Validated releases by content key, one pickle per region folder."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.folder = settings.root / settings.cache_dir / RELEASES_CACHE
        #: The archive :meth:`load` classified (or was given).
        self.archive: Archive | None = None
        #: The stat of every region's shard file once :meth:`load` is done.
        self.shard_stats: dict[str, FileStat] = {}

    def load(
        self,
        registry: RegionRegistry,
        categories: Mapping[str, Category],
        *,
        archive: Archive | None = None,
        stats: Mapping[str, FileStat | None] | None = None,
        parallel: bool = True,
        trusted: Mapping[str, FileStat] | None = None,
        changed: Collection[str] = (),
    ) -> tuple[list[Release], list[Diagnostic]]:
        """Every valid release and the diagnostics of every file, as ``load_releases`` gives
        them for the whole archive; only files not in the cache are read and parsed.

        ``archive`` and ``stats`` come from a scan this build already made (the previous
        build's archive when no file name changed; every source file's stat): nothing is
        walked or stat'ed again. ``trusted`` holds the stat of each region's shard as the
        published build left it: a shard still the same, of a region in which none of the
        ``changed`` files lies, is that build's validated releases, taken as they are."""
        settings = self.settings
        regions = registry.regions
        if archive is None:
            archive = scan_archive(settings, registry)
        self.archive = archive
        context = digest(
            code_version(),
            repr(tuple(categories.items())),
            settings.content_dir,
            str(settings.max_release_bytes),
            str(settings.max_image_bytes),
        )
        prefix = settings.content_dir + "/"
        by_region: dict[str, list[str]] = {}
        for release_path in archive.releases:
            by_region.setdefault(release_path.region_id, []).append(release_path.rel_path)
        for image in archive.images:
            by_region.setdefault(_region_of(image, prefix), []).append(image)
        for rel in archive.placement:
            by_region.setdefault(_region_of(rel, prefix), []).append(rel)

        root = str(settings.root)  # (a string: a Path per file costs more than its stat)
        with bulk_load():
            read = {region_id: self._read(region_id) for region_id in by_region}
        old_shards = {region_id: shard for region_id, (shard, _stat) in read.items()}
        touched = {_region_of(rel, prefix) for rel in changed}
        new_shards: dict[str, _Shard] = {}
        hits: list[Release] = []
        hit_problems: list[Diagnostic] = []
        keys: dict[str, str] = {}
        misses: list[str] = []
        release_paths = {r.rel_path for r in archive.releases}
        image_paths = set(archive.images)
        for region_id, rels in sorted(by_region.items()):
            old, shard_stat = read[region_id]
            if (
                trusted is not None
                and region_id not in touched
                and shard_stat is not None
                and trusted.get(region_id) == shard_stat
            ):
                # Written by the published build, and nothing in its folder changed since
                # (same names, bytes, code and settings): its releases as they are.
                new_shards[region_id] = old
                for _key, release, found in old.releases.values():
                    hits.append(release)
                    hit_problems.extend(found)
                for _key, found in old.images.values():
                    hit_problems.extend(found)
                continue
            shard = _Shard()
            new_shards[region_id] = shard
            region = regions.get(region_id)
            region_text = repr(region)  # once per region: it is part of every release's key
            for rel in sorted(rels):
                if rel in release_paths or rel in image_paths:
                    known = _file_digest(
                        f"{root}/{rel}",
                        old.files.get(rel),
                        stats.get(rel, _UNKNOWN) if stats is not None else _UNKNOWN,
                    )
                    if known is not None:
                        shard.files[rel] = known
            # Images may be used by any release of the region: all of them are in its key.
            assets = digest(
                *(
                    f"{rel}={shard.files[rel].sha256 if rel in shard.files else '-'}"
                    for rel in sorted(rels)
                    if rel not in release_paths
                )
            )
            # Everything a release's key holds besides its own bytes, hashed once per region.
            region_key = digest(context, region_text, assets)
            for rel in sorted(rels):
                info = shard.files.get(rel)
                if info is None or region is None:
                    misses.append(rel)
                    continue
                if rel in release_paths:
                    key = digest(region_key, info.sha256)
                    cached = old.releases.get(rel)
                    if cached is not None and cached[0] == key:
                        shard.releases[rel] = cached
                        hits.append(cached[1])
                        hit_problems.extend(cached[2])
                        continue
                elif rel in image_paths:
                    key = digest(context, info.sha256)
                    cached_image = old.images.get(rel)
                    if cached_image is not None and cached_image[0] == key:
                        shard.images[rel] = cached_image
                        hit_problems.extend(cached_image[1])
                        continue
                else:
                    misses.append(rel)
                    continue
                keys[rel] = key
                misses.append(rel)

        fresh: list[Release] = []
        problems: list[Diagnostic] = []
        if misses or not hits:
            fresh, problems = load_releases(
                settings,
                registry,
                categories,
                only_paths=sorted(misses),
                archive=archive,
                parallel=parallel,
            )
        self.shard_stats = {
            region_id: stat for region_id, (_shard, stat) in read.items() if stat is not None
        }
        if not has_errors(problems):
            self._remember(new_shards, old_shards, fresh, problems, keys, prefix)
        releases = sorted([*hits, *fresh], key=lambda r: r.source_path)
        return releases, [*hit_problems, *problems]

    def _remember(
        self,
        new_shards: dict[str, _Shard],
        old_shards: dict[str, _Shard],
        fresh: Iterable[Release],
        problems: Sequence[Diagnostic],
        keys: Mapping[str, str],
        prefix: str,
    ) -> None:
        by_path: dict[str, list[Diagnostic]] = {}
        for problem in problems:
            by_path.setdefault(problem.path, []).append(problem)
        for release in fresh:
            key = keys.get(release.source_path)
            shard = new_shards.get(release.region_id)
            if key is None or shard is None:
                continue
            shard.releases[release.source_path] = (
                key,
                release,
                tuple(by_path.get(release.source_path, ())),
            )
        for rel, key in keys.items():
            shard = new_shards.get(_region_of(rel, prefix))
            if (
                shard is not None
                and rel in shard.files
                and rel not in shard.releases
                and not rel.endswith(".md")
            ):
                shard.images[rel] = (key, tuple(by_path.get(rel, ())))
        self.folder.mkdir(parents=True, exist_ok=True)
        for region_id, shard in new_shards.items():
            old = old_shards.get(region_id)
            if old is not None and (old is shard or _same(old, shard)):
                continue
            self.shard_stats[region_id] = self._write(region_id, shard)

    def _path(self, region_id: str) -> Path:
        return self.folder / f"{region_id}.pickle"

    def _read(self, region_id: str) -> tuple[_Shard, FileStat | None]:
        """A region's shard and the stat of its file (None: no usable shard)."""
        try:
            with open(self._path(region_id), "rb") as handle:
                info = os.fstat(handle.fileno())
                loaded = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return _Shard(), None
        if not isinstance(loaded, _Shard):
            return _Shard(), None
        return loaded, (info.st_size, info.st_mtime_ns, info.st_ino)

    def _write(self, region_id: str, shard: _Shard) -> FileStat:
        temp = self.folder / f".{region_id}.pickle.{os.getpid()}"
        with open(temp, "wb") as handle:
            pickle.dump(shard, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            info = os.fstat(handle.fileno())
        os.replace(temp, self._path(region_id))  # (a rename keeps the inode and mtime)
        return (info.st_size, info.st_mtime_ns, info.st_ino)


def _same(old: _Shard, new: _Shard) -> bool:
    return (
        old.files == new.files
        and {k: v[0] for k, v in old.releases.items()} == {k: v[0] for k, v in new.releases.items()}
        and {k: v[0] for k, v in old.images.items()} == {k: v[0] for k, v in new.images.items()}
    )


def _region_of(rel: str, prefix: str) -> str:
    rest = rel.removeprefix(prefix)
    return rest.split("/", 1)[0] if "/" in rest else ""


#: "Not stat'ed yet" (``None`` is a stat that proves nothing: a file modified during a scan).
_UNKNOWN = (-1, -1, -1)


def _file_digest(
    path: str | Path, known: _FileDigest | None, stat: FileStat | None = _UNKNOWN
) -> _FileDigest | None:
    """The digest of ``path``, from ``known`` while its stat is unchanged. ``stat`` is the
    one a scan of this build saw (``None``: modified too recently to trust)."""
    if stat == _UNKNOWN:
        try:
            info = os.lstat(path)
        except OSError:
            return None
        stat = (info.st_size, info.st_mtime_ns, info.st_ino)
    if stat is not None and known is not None and (known.size, known.mtime_ns, known.inode) == stat:
        return known
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read()
    except OSError:
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    if stat is None:  # modified during the scan: the next build hashes it again
        return _FileDigest(-1, -1, -1, sha256)
    return _FileDigest(info.st_size, info.st_mtime_ns, info.st_ino, sha256)
