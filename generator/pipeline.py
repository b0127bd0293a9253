"""The pipeline, stage by stage: regions → releases → model. Rendering stages read the model.

Both the MkDocs plugin and the ``portal`` CLI call :func:`validate`; nothing is written until
every source has been read and validated.

Parsed releases are cached (issue 6): a release file whose bytes, images, region record, the
categories, the validation settings and the generator code are all unchanged since an earlier
build is not parsed again; its validated :class:`~generator.model.Release` and its warnings
come from ``.cache/portal/releases/``. Only the other files go through
:func:`generator.releases.load_releases` (as ``only_paths``, which still checks ids and URLs
for uniqueness against the whole archive), so the diagnostics are exactly those of a full run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .cache import code_version, digest
from .config import Settings
from .diagnostics import Diagnostic, has_errors
from .model import Category, Portal, Release, newest_first_key
from .regions import RegionRegistry, load_regions
from .releases import future_date_warnings, load_releases, scan_archive
from .taxonomy import load_categories

#: Sub-folder of the cache with one file of parsed releases per region.
RELEASES_CACHE = "releases"


def validate(
    settings: Settings, only_paths: Sequence[str] | None = None, *, use_cache: bool = True
) -> tuple[Portal | None, list[Diagnostic]]:
    """Load and validate everything; the model is returned only when there is no error.

    ``only_paths`` (repository-relative) limits the detailed checks to those release files,
    while ids and URLs are still checked for uniqueness against the whole archive. A full
    validation (no ``only_paths``) reuses the release cache unless ``use_cache`` is False.
    """
    registry, problems = load_regions(settings.root, settings.regions_dir)
    categories, category_problems = load_categories(settings)
    problems += category_problems
    if only_paths is None and use_cache and not has_errors(problems):
        releases, release_problems = ReleaseCache(settings).load(registry, categories)
    else:
        releases, release_problems = load_releases(
            settings, registry, categories, only_paths=only_paths
        )
    problems += release_problems
    problems += future_date_warnings(releases, settings)
    problems.sort()
    if has_errors(problems):
        return None, problems
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
    return portal, problems


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

    def load(
        self, registry: RegionRegistry, categories: Mapping[str, Category]
    ) -> tuple[list[Release], list[Diagnostic]]:
        """Every valid release and the diagnostics of every file, as ``load_releases`` gives
        them for the whole archive; only files not in the cache are read and parsed."""
        settings = self.settings
        regions = registry.regions
        archive = scan_archive(settings, registry)
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

        old_shards = {region_id: self._read(region_id) for region_id in by_region}
        new_shards: dict[str, _Shard] = {}
        hits: list[Release] = []
        hit_problems: list[Diagnostic] = []
        keys: dict[str, str] = {}
        misses: list[str] = []
        release_paths = {r.rel_path for r in archive.releases}
        image_paths = set(archive.images)
        for region_id, rels in sorted(by_region.items()):
            old = old_shards[region_id]
            shard = _Shard()
            new_shards[region_id] = shard
            region = regions.get(region_id)
            region_text = repr(region)  # once per region: it is part of every release's key
            for rel in sorted(rels):
                if rel in release_paths or rel in image_paths:
                    known = _file_digest(settings.root / rel, old.files.get(rel))
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
            for rel in sorted(rels):
                info = shard.files.get(rel)
                if info is None or region is None:
                    misses.append(rel)
                    continue
                if rel in release_paths:
                    key = digest(context, region_text, info.sha256, assets)
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
                settings, registry, categories, only_paths=sorted(misses), archive=archive
            )
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
            if old is not None and _same(old, shard):
                continue
            self._write(region_id, shard)

    def _path(self, region_id: str) -> Path:
        return self.folder / f"{region_id}.pickle"

    def _read(self, region_id: str) -> _Shard:
        try:
            with open(self._path(region_id), "rb") as handle:
                loaded = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return _Shard()
        return loaded if isinstance(loaded, _Shard) else _Shard()

    def _write(self, region_id: str, shard: _Shard) -> None:
        temp = self.folder / f".{region_id}.pickle.{os.getpid()}"
        with open(temp, "wb") as handle:
            pickle.dump(shard, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, self._path(region_id))


def _same(old: _Shard, new: _Shard) -> bool:
    return (
        old.files == new.files
        and {k: v[0] for k, v in old.releases.items()} == {k: v[0] for k, v in new.releases.items()}
        and {k: v[0] for k, v in old.images.items()} == {k: v[0] for k, v in new.images.items()}
    )


def _region_of(rel: str, prefix: str) -> str:
    rest = rel.removeprefix(prefix)
    return rest.split("/", 1)[0] if "/" in rest else ""


def _file_digest(path: Path, known: _FileDigest | None) -> _FileDigest | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if (
        known is not None
        and known.size == info.st_size
        and known.mtime_ns == info.st_mtime_ns
        and known.inode == info.st_ino
    ):
        return known
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    return _FileDigest(info.st_size, info.st_mtime_ns, info.st_ino, sha256)
