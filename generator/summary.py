"""``portal summary``: the pull-request job summary, in Indonesian, for ``GITHUB_STEP_SUMMARY``.

A maintainer reviewing an office's pull request sees, without opening any file, what will be
published: for every release added or changed since the base branch its title, region, local
date and time with zone (WIB/WITA/WIT), the URL it will have, its embargo and its state
(draft, withdrawn). Deleted files are listed (a deleted release's URL disappears), and changes
outside ``content/<region-id>/`` are flagged for the central team, who own everything else.

The summary is written even when the check fails: whatever can be read is listed, unreadable
files are named, and the reader is sent to the check step for the ``path:line:col`` details.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .changes import Change, changes_since
from .config import Settings
from .diagnostics import Diagnostic, PortalError, Severity
from .model import Region, Release
from .timefmt import format_datetime

#: The step of ``.github/workflows/pull-request.yml`` that prints the problems.
CHECK_STEP = "Periksa rilis yang berubah"
#: Releases listed in full; GitHub caps a step summary at 1 MiB, and a bulk import of
#: thousands of releases is reviewed from the files, not from the summary.
MAX_LISTED_RELEASES = 300
#: Other files listed (deleted, outside region folders, images) per section.
MAX_LISTED_FILES = 100
#: Problems shown under one file; the check step's log has all of them.
MAX_PROBLEMS_PER_FILE = 10
#: ``content/<region-id>/<YYYY>/<YYYY-MM-DD>-<slug>.md`` (the region id is a slug).
_RELEASE_PATH = re.compile(r"^(?P<region>[a-z0-9]+(?:-[a-z0-9]+)*)/\d{4}/[^/]+\.md$")
_REGION_PATH = re.compile(r"^(?P<region>[a-z0-9]+(?:-[a-z0-9]+)*)/.+$")
#: Characters with a meaning in GitHub-flavoured Markdown; a backslash makes them literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@])")


@dataclass(frozen=True)
class ChangeSet:
    """The changed paths of a pull request, sorted, classified by who owns them."""

    changes: tuple[Change, ...]
    content_dir: str

    def _region_relative(self, path: str) -> str | None:
        prefix = f"{self.content_dir}/"
        return path[len(prefix) :] if path.startswith(prefix) else None

    def is_release(self, path: str) -> bool:
        rest = self._region_relative(path)
        return rest is not None and _RELEASE_PATH.match(rest) is not None

    def is_region_owned(self, path: str) -> bool:
        """Inside ``content/<region-id>/`` (offices own these; everything else is central)."""
        rest = self._region_relative(path)
        return rest is not None and _REGION_PATH.match(rest) is not None

    @property
    def releases(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.status != "D" and self.is_release(c.path))

    @property
    def other_region_files(self) -> tuple[Change, ...]:
        """Added or changed files in region folders that are not releases (images)."""
        return tuple(
            c
            for c in self.changes
            if c.status != "D" and self.is_region_owned(c.path) and not self.is_release(c.path)
        )

    @property
    def deleted(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.status == "D")

    @property
    def outside_regions(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not self.is_region_owned(c.path))


def changed_files(settings: Settings, changed_from: str) -> ChangeSet:
    """The pull request's changes (see :func:`generator.changes.changes_since`), classified."""
    return ChangeSet(changes_since(settings.root, changed_from), settings.content_dir)


@dataclass(frozen=True)
class _Loaded:
    """What could be read of the tree: regions, the changed releases, and the problems."""

    regions: Mapping[str, Region]
    releases: Mapping[str, Release]  # by source path
    diagnostics: tuple[Diagnostic, ...]
    failure: str | None = None


def _load(settings: Settings, content_paths: Sequence[str]) -> _Loaded:
    # Imported here: the loading stages are heavy and ``portal --help`` must stay fast.
    from .regions import load_regions
    from .releases import load_releases
    from .taxonomy import load_categories

    try:
        registry, problems = load_regions(settings.root, settings.regions_dir)
        categories, category_problems = load_categories(settings)
        releases, release_problems = load_releases(
            settings, registry, categories, only_paths=list(content_paths)
        )
    except PortalError as exc:
        return _Loaded({}, {}, exc.diagnostics, failure=exc.message)
    wanted = set(content_paths)
    by_path = {r.source_path: r for r in releases if r.source_path in wanted}
    diagnostics = tuple(sorted({*problems, *category_problems, *release_problems}))
    return _Loaded(registry.regions, by_path, diagnostics)


def pull_request_summary(settings: Settings, changed_from: str) -> str:
    """The Markdown job summary of the changes since ``changed_from`` (a git ref)."""
    changes = changed_files(settings, changed_from)
    # Every changed file below content/ is checked, as `portal check --changed-from` does, so
    # that a misplaced file or a bad image counts among the problems too.
    content_paths = [
        c.path
        for c in changes.changes
        if c.status != "D" and c.path.startswith(f"{settings.content_dir}/")
    ]
    loaded = _load(settings, content_paths)
    return _render(settings, changed_from, changes, loaded)


def _render(settings: Settings, changed_from: str, changes: ChangeSet, loaded: _Loaded) -> str:
    lines: list[str] = ["## Ringkasan pull request", ""]
    added = sum(c.status == "A" for c in changes.releases)
    modified = len(changes.releases) - added
    lines.append(
        f"Dibandingkan dengan `{_code(changed_from)}`: {added} rilis baru, {modified} rilis "
        f"diubah, {len(changes.deleted)} berkas dihapus."
    )
    lines.append("")
    lines += _check_status(changes, loaded)
    if changes.outside_regions:
        lines += _central_notice(settings, changes.outside_regions)
    if not changes.changes:
        lines += ["Tidak ada berkas yang berubah.", ""]
    if changes.releases:
        lines += ["### Rilis baru dan diubah", ""]
        listed = changes.releases[:MAX_LISTED_RELEASES]
        for change in listed:
            lines += _release_block(settings, change, loaded)
        if len(changes.releases) > len(listed):
            lines += [
                f"_…dan {len(changes.releases) - len(listed)} rilis lain yang tidak ditampilkan "
                "di ringkasan ini._",
                "",
            ]
    if changes.other_region_files:
        lines += ["### Berkas lain di folder wilayah", ""]
        lines += [f"- {item}" for item in _file_labels(changes.other_region_files)]
        lines.append("")
    if changes.deleted:
        lines += ["### Berkas dihapus", ""]
        lines += [f"- {item}" for item in _file_labels(changes.deleted)]
        lines.append("")
        if any(changes.is_release(c.path) for c in changes.deleted):
            lines += [
                "Alamat rilis yang dihapus tidak dapat dibuka lagi. Untuk menarik rilis yang "
                "sudah terbit, isi `withdrawn` (tanggal dan alasan) dan jangan hapus berkasnya.",
                "",
            ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _check_status(changes: ChangeSet, loaded: _Loaded) -> list[str]:
    if loaded.failure is not None:
        return [
            "> [!CAUTION]",
            f"> Portal tidak dapat dibaca: {_text(loaded.failure)}",
            f"> Lihat langkah **{CHECK_STEP}** untuk rinciannya.",
            "",
        ]
    errors = sum(d.severity is Severity.ERROR for d in loaded.diagnostics)
    warnings = len(loaded.diagnostics) - errors
    if errors:
        return [
            "> [!CAUTION]",
            f"> Pemeriksaan menemukan {errors} kesalahan dan {warnings} peringatan. Rilis yang "
            "bermasalah belum dapat diterbitkan; lihat langkah "
            f"**{CHECK_STEP}** untuk letak dan cara memperbaikinya.",
            "",
        ]
    if warnings:
        return [
            "> [!WARNING]",
            f"> Pemeriksaan menemukan {warnings} peringatan; lihat langkah **{CHECK_STEP}**.",
            "",
        ]
    return []


def _central_notice(settings: Settings, outside: Sequence[Change]) -> list[str]:
    lines = [
        "> [!IMPORTANT]",
        f"> **Perlu tinjauan tim pusat** (`{_code(settings.central_team)}`): pull request ini "
        f"mengubah berkas di luar `{settings.content_dir}/<wilayah>/`.",
        ">",
    ]
    lines += [f"> - {item}" for item in _file_labels(outside)]
    lines.append("")
    return lines


def _release_block(settings: Settings, change: Change, loaded: _Loaded) -> list[str]:
    release = loaded.releases.get(change.path)
    status = "baru" if change.status == "A" else "diubah"
    problems = [d for d in loaded.diagnostics if d.path == change.path]
    errors = sum(d.severity is Severity.ERROR for d in problems)
    if release is None:
        region_id = change.path.split("/")[1]
        region = loaded.regions.get(region_id)
        return [
            f"#### `{_code(change.path)}`",
            "",
            f"- **Status:** {status}; **tidak dapat dibaca** ({errors} kesalahan): lihat "
            f"langkah **{CHECK_STEP}**",
            f"- **Wilayah:** {_region_label(region, region_id)}",
            "- **Masalah:**",
            *_problem_items(problems),
            "",
        ]
    region = loaded.regions.get(release.region_id)
    zone = region.tzinfo if region is not None else release.date.tzinfo
    lines = [
        f"#### {_text(release.title)}",
        "",
        f"- **Status:** {status}; {_state(settings, release)}",
        f"- **Wilayah:** {_region_label(region, release.region_id)}",
        f"- **Tanggal:** {format_datetime(release.date.astimezone(zone))}",
        f"- **Alamat:** {_public_url(settings, release)}",
    ]
    if release.publish_at is not None:
        lines.append(f"- **Embargo:** {_embargo(settings, release.publish_at.astimezone(zone))}")
    if release.withdrawn is not None:
        lines.append(f"- **Alasan penarikan:** {_text(release.withdrawn.reason)}")
    if problems:
        warnings = len(problems) - errors
        lines.append(
            f"- **Pemeriksaan:** {errors} kesalahan, {warnings} peringatan (lihat langkah "
            f"**{CHECK_STEP}**)"
        )
        lines += _problem_items(problems)
    lines += [f"- **Berkas:** `{_code(change.path)}`", ""]
    return lines


def _problem_items(problems: Sequence[Diagnostic]) -> list[str]:
    """The file's first problems, nested under its entry, so the reviewer sees what is wrong
    without opening the log (which has all of them)."""
    items = [
        f"  - baris {d.line}, kolom {d.col}: `{d.code}` "
        f"{'peringatan: ' if d.severity is Severity.WARNING else ''}{_text(d.message)}"
        for d in problems[:MAX_PROBLEMS_PER_FILE]
    ]
    if len(problems) > MAX_PROBLEMS_PER_FILE:
        items.append(f"  - …dan {len(problems) - MAX_PROBLEMS_PER_FILE} masalah lain")
    return items


def _state(settings: Settings, release: Release) -> str:
    if release.draft:
        return "**draf** (tidak diterbitkan selama `draft: true`)"
    if release.withdrawn is not None:
        return "**ditarik** (halaman tetap ada dengan keterangan penarikan, keluar dari daftar)"
    if release.publish_at is not None and release.publish_at > settings.build_time:
        return "**diembargo** (terbit otomatis pada waktu embargo)"
    return "terbit setelah digabungkan"


def _embargo(settings: Settings, publish_at: datetime) -> str:
    when = format_datetime(publish_at)
    if publish_at > settings.build_time:
        return f"tidak tampil sebelum {when}"
    return f"{when} (sudah lewat: tampil segera setelah digabungkan)"


def _public_url(settings: Settings, release: Release) -> str:
    # Written as is: the site URL is the maintainers' configuration and the path is made of
    # validated slugs and digits, so nothing in it can be Markdown.
    return (settings.base_url or "/") + release.url


def _region_label(region: Region | None, region_id: str) -> str:
    if region is None:
        return f"`{_code(region_id)}` (tidak ada di registri wilayah)"
    return f"{_text(region.name)} (`{region.id}`, {region.zone_label})"


def _file_labels(changes: Sequence[Change]) -> list[str]:
    labels = [_file_label(c) for c in changes[:MAX_LISTED_FILES]]
    if len(changes) > MAX_LISTED_FILES:
        labels.append(f"…dan {len(changes) - MAX_LISTED_FILES} berkas lain")
    return labels


def _file_label(change: Change) -> str:
    kind = {"A": "baru", "M": "diubah", "D": "dihapus"}[change.status]
    return f"`{_code(change.path)}` ({kind})"


def _text(value: str) -> str:
    """Contributor text as literal Markdown on one line: no markup, links or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _code(value: str) -> str:
    """Text for inside a single-backtick code span (which cannot contain a backtick)."""
    return " ".join(value.replace("`", "'").split())
