"""``portal check``: validate the registry, the categories and releases, all problems at once.

Three ways to choose the releases checked in detail: all of them (no arguments), the files
and folders named on the command line, or the files changed since a git ref
(``--changed-from``: committed on this branch since it left REF, plus uncommitted and
untracked ones). Whatever is chosen, the registry and the category vocabulary are always
validated in full and release ids and URLs are always compared with the whole archive, so a
pull request can never add a file that collides with one already merged.

A change that touches the content folders of regions with different maintainers gets an
``OWN001`` warning: one office should not publish in another office's folder.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Sequence
from pathlib import Path

from .changes import Change, changes_since
from .config import Settings
from .diagnostics import Diagnostic, Severity
from .regions import RegionRegistry, load_regions
from .releases import future_date_warnings, load_releases
from .taxonomy import CATEGORIES_FILE, load_categories


def run_check(
    settings: Settings, paths: list[Path], *, changed_from: str | None
) -> list[Diagnostic]:
    """Every problem, sorted by file, line and column."""
    registry, problems = load_regions(settings.root, settings.regions_dir)
    categories, category_problems = load_categories(settings)
    problems += category_problems
    only_paths: list[str] | None = None
    if paths or changed_from is not None:
        selected: set[str] = set()
        if paths:
            named, path_problems = _named_paths(settings.root, paths)
            selected.update(named)
            problems += path_problems
        if changed_from is not None:
            changes = changes_since(settings.root, changed_from)
            changed = _present(settings.root, changes)
            selected.update(changed)
            problems += ownership_warnings(settings, registry, changed)
            problems += removal_warnings(settings, changes)
        only_paths = sorted(selected)
        if any(_affects_every_release(settings, rel) for rel in selected):
            only_paths = None
    releases, release_problems = load_releases(
        settings, registry, categories, only_paths=only_paths
    )
    problems += release_problems
    problems += future_date_warnings(releases, settings)
    return sorted(set(problems))


def _affects_every_release(settings: Settings, rel: str) -> bool:
    """A change to the registry or the vocabulary can break releases it does not touch
    (a region's zone decides whether a file name's date is right, a removed category
    orphans its releases), so such a change is checked against the whole archive."""
    return rel.startswith(settings.regions_dir.rstrip("/") + "/") or rel == (
        f"{settings.content_dir}/{CATEGORIES_FILE}"
    )


def _named_paths(root: Path, paths: Sequence[Path]) -> tuple[set[str], list[Diagnostic]]:
    """Repository-relative POSIX paths of the named files (folders expand to their files)."""
    selected: set[str] = set()
    problems: list[Diagnostic] = []
    resolved_root = root.resolve()
    for path in paths:
        shown = str(path)
        if "\\" in shown:
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    1,
                    "FILE008",
                    "jalur memuat garis miring terbalik '\\'; tulis dengan '/', "
                    "mis. content/kota-bandung/2024/…",
                )
            )
            continue
        if ".." in path.parts:
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    1,
                    "FILE008",
                    "jalur tidak boleh memuat '..'; tulis jalur dari akar repositori, "
                    "mis. content/kota-bandung/2024/…",
                )
            )
            continue
        if path.is_absolute():
            try:
                relative = Path(os.path.normpath(path)).relative_to(resolved_root)
            except ValueError:
                try:
                    relative = Path(os.path.normpath(path)).relative_to(root)
                except ValueError:
                    problems.append(
                        Diagnostic(
                            shown,
                            1,
                            1,
                            "FILE008",
                            "jalur absolut di luar repositori; tulis jalur dari akar "
                            "repositori, mis. content/kota-bandung/2024/…",
                        )
                    )
                    continue
        else:
            relative = path
        rel = posixpath.normpath(relative.as_posix())
        full = root / rel
        if full.is_symlink() or full.is_file():
            selected.add(rel)
        elif full.is_dir():
            selected.update(_files_below(root, rel))
        else:
            problems.append(
                Diagnostic(rel, 1, 1, "FILE001", "berkas atau folder ini tidak ditemukan")
            )
    return selected, problems


def _files_below(root: Path, rel: str) -> Iterable[str]:
    for folder, dirnames, filenames in os.walk(root / rel):  # symlinked folders not entered
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        below = Path(folder).relative_to(root).as_posix()
        for name in sorted(filenames):
            yield f"{below}/{name}"
        for name in dirnames:
            if (Path(folder) / name).is_symlink():
                yield f"{below}/{name}"


def changed_files(root: Path, ref: str) -> list[str]:
    """Files changed on this branch since it left ``ref``, plus uncommitted and untracked ones.

    Paths are repository-relative; deleted files are left out (there is nothing to check).
    """
    return _present(root, changes_since(root, ref))


def _present(root: Path, changes: Sequence[Change]) -> list[str]:
    return [
        change.path
        for change in changes
        if change.status != "D"
        and ((root / change.path).exists() or (root / change.path).is_symlink())
    ]


def removal_warnings(settings: Settings, changes: Sequence[Change]) -> list[Diagnostic]:
    """``REL035`` for each release deleted or renamed since ``ref``: its id, URL and feed
    GUID are permanent, so a published release is withdrawn (``withdrawn:``), not removed."""
    prefix = settings.content_dir.rstrip("/") + "/"
    removed = {
        change.path
        for change in changes
        if change.status == "D"
        and change.path.startswith(prefix)
        and change.path.endswith(".md")
        and not (settings.root / change.path).exists()
    }
    return [
        Diagnostic(
            rel,
            1,
            1,
            "REL035",
            "rilis ini dihapus atau dipindahkan; alamat dan id rilis bersifat permanen. "
            "Untuk menarik rilis yang sudah terbit, kembalikan berkasnya dan tambahkan "
            "'withdrawn: {date: …, reason: …}'",
            Severity.WARNING,
        )
        for rel in sorted(removed)
    ]


def ownership_warnings(
    settings: Settings, registry: RegionRegistry, changed: Sequence[str]
) -> list[Diagnostic]:
    """``OWN001`` when one change touches the folders of regions with different owners."""
    prefix = settings.content_dir.rstrip("/") + "/"
    first_file: dict[str, str] = {}
    for rel in sorted(changed):
        if not rel.startswith(prefix):
            continue
        region_id = rel[len(prefix) :].split("/", 1)[0]
        if region_id in registry and "/" in rel[len(prefix) :]:
            first_file.setdefault(region_id, rel)
    owners: dict[str, tuple[str, ...]] = {}
    for region_id in first_file:
        region = registry.get(region_id)
        assert region is not None
        owners[region_id] = region.maintainers or (settings.central_team,)
    if len({tuple(sorted(o)) for o in owners.values()}) < 2:
        return []
    summary = "; ".join(
        f"{region_id} ({', '.join(owners[region_id])})" for region_id in sorted(owners)
    )
    return [
        Diagnostic(
            rel,
            1,
            1,
            "OWN001",
            "perubahan ini menyentuh folder wilayah dengan pengelola berbeda: "
            f"{summary}. Pisahkan menjadi satu pull request per wilayah",
            Severity.WARNING,
        )
        for rel in (first_file[r] for r in sorted(first_file))
    ]
