"""Atomic, confined output: build into a temporary folder beside ``site/`` and swap it in.

A build that fails or is killed half-way must leave the previous ``site/`` exactly as it was,
because that folder is what the web server publishes. So the MkDocs plugin points MkDocs at
``.site.tmp-<pid>`` (a sibling of ``site/``, on the same file system so that ``rename`` is
atomic), and only after everything (pages, feeds, sitemaps, search index) has been written does
:meth:`AtomicBuild.commit` rename the old folder away, rename the new one into place and delete
the old one. :class:`SiteWriter` is the only way the pipeline writes files of its own into the
output: it refuses paths that leave the output folder, symlinks, and writing one path twice
(two stages claiming the same URL is a bug that must not silently overwrite a page).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import place_file
from .diagnostics import PortalError


class OutputError(PortalError):
    """A stage tried to write where it must not (outside the output, twice, through a link)."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists but belongs to someone else
        return True
    return True


@dataclass(frozen=True)
class AtomicBuild:
    """One build's temporary output folder and the published folder it will replace."""

    site_dir: Path
    temp_dir: Path

    @classmethod
    def begin(cls, site_dir: Path) -> AtomicBuild:
        """Pick (and empty) ``.<site>.tmp-<pid>`` beside ``site_dir``; drop dead builds' folders."""
        site_dir = site_dir.absolute()
        parent = site_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{site_dir.name}.tmp-"
        for leftover in sorted(parent.glob(f"{prefix}*")):
            # A killed build leaves its folder behind; a running one (another pid) keeps it.
            suffix = leftover.name.removeprefix(prefix)
            if suffix.isdigit() and not _pid_alive(int(suffix)):
                _remove(leftover)
        temp_dir = parent / f"{prefix}{os.getpid()}"
        _remove(temp_dir)
        return cls(site_dir=site_dir, temp_dir=temp_dir)

    def commit(self) -> None:
        """Swap the finished build in: old ``site/`` aside, new one in place, old one removed."""
        if not self.temp_dir.is_dir():
            raise OutputError(f"{self.temp_dir}: folder keluaran sementara tidak ada")
        old = self.site_dir.parent / f".{self.site_dir.name}.old-{os.getpid()}"
        _remove(old)
        if self.site_dir.is_symlink() or self.site_dir.exists():
            os.rename(self.site_dir, old)
        try:
            os.rename(self.temp_dir, self.site_dir)
        except OSError:
            # Put the previous site back so that a failed swap publishes nothing new.
            if old.exists() and not self.site_dir.exists():
                os.rename(old, self.site_dir)
            raise
        _remove(old)

    def abort(self) -> None:
        """Throw the unfinished build away; ``site/`` was never touched."""
        _remove(self.temp_dir)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


class SiteWriter:
    """Writes generated files (feeds, sitemaps, robots.txt) below one output folder only."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir.absolute()
        self._written: set[str] = set()

    def target(self, rel_path: str) -> Path:
        """The absolute path for ``rel_path``, or :class:`OutputError` if it is not confined."""
        pure = PurePosixPath(rel_path)
        if (
            not rel_path
            or "\\" in rel_path
            or "\x00" in rel_path
            or pure.is_absolute()
            or any(part in ("", ".", "..") for part in rel_path.split("/"))
        ):
            raise OutputError(f"{rel_path!r}: jalur keluaran tidak sah (di luar folder situs)")
        target = self.output_dir.joinpath(*pure.parts)
        # No component that already exists may be a symlink: it could lead outside the output.
        probe = self.output_dir
        for part in pure.parts:
            probe = probe / part
            if probe.is_symlink():
                raise OutputError(f"{rel_path}: menolak menulis melalui tautan simbolik")
        return target

    def write(self, rel_path: str, data: bytes) -> Path:
        if rel_path in self._written:
            raise OutputError(f"{rel_path}: berkas keluaran ditulis dua kali")
        target = self.target(rel_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # "x": never replace a file another stage (or MkDocs) already produced at this path.
        try:
            with open(target, "xb") as handle:
                handle.write(data)
        except FileExistsError as exc:
            raise OutputError(
                f"{rel_path}: berkas keluaran sudah ada (dua tahap menulis ke sini)"
            ) from exc
        self._written.add(rel_path)
        return target

    def place(self, rel_path: str, source: Path) -> Path:
        """Like :meth:`write`, with the bytes of an existing file (a cache entry), linked where
        the file system allows (see :func:`generator.cache.place_file`)."""
        if rel_path in self._written:
            raise OutputError(f"{rel_path}: berkas keluaran ditulis dua kali")
        target = self.target(rel_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            place_file(source, target)
        except FileExistsError as exc:
            raise OutputError(
                f"{rel_path}: berkas keluaran sudah ada (dua tahap menulis ke sini)"
            ) from exc
        self._written.add(rel_path)
        return target

    def write_all(self, files: Mapping[str, bytes] | Mapping[str, bytes | Path]) -> dict[str, Path]:
        """Write every file (bytes, or an existing file to link: a cache entry); return where."""
        written: dict[str, Path] = {}
        for rel_path in sorted(files):
            data = files[rel_path]
            if isinstance(data, Path):
                written[rel_path] = self.place(rel_path, data)
            else:
                written[rel_path] = self.write(rel_path, data)
        return written

    def remove(self, rel_path: str) -> None:
        """Delete a file MkDocs produced that the portal replaces (e.g. its own sitemap)."""
        target = self.target(rel_path)
        if target.is_file():
            target.unlink()
