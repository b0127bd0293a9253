"""Atomic, confined output: finish a complete folder beside ``site/`` and swap it in.

A build that fails or is killed half-way must leave the previous ``site/`` exactly as it was,
because that folder is what the web server publishes. So the MkDocs plugin points MkDocs at
``.site.tmp-<pid>`` (a sibling of ``site/``, on the same file system so that ``rename`` is
atomic), the *staging* folder, and only after everything has been written and the complete new
folder is ready does :meth:`AtomicBuild.swap` rename the old folder away and the new one into
place.

Issue 6 (a rebuild costs what changed): the staging folder receives only what was made in this
build (MkDocs' own files, pages rendered now, new feeds, sitemaps); every output reused from the
cache is only *named* (:class:`SiteWriter` with ``defer=True``). :meth:`AtomicBuild.prepare` then
completes a folder in one of two ways:

* **double buffering** — the build before last (kept as ``.site.spare``, with its file list in
  :class:`FolderRecord`) is brought up to date by replacing exactly the files whose content
  changed since it was published and deleting the ones that went away; the published ``site/``
  then becomes the spare. One edited release touches a few dozen files, not the archive;
* **full** — without a trustworthy spare (first builds, a deleted cache, a folder changed by
  hand), every reused file is hard-linked into the staging folder, which becomes the site.

Either way the folder swapped in holds exactly the files of this build: nothing is ever changed
in place (a file is replaced by renaming a new one over it, so hard links shared with the cache
and the other folder never see a change), and the spare is marked unusable before the first
change to it, so an interrupted build only costs the next one a full preparation.

:class:`SiteWriter` is the only way the pipeline writes files of its own into the output: it
refuses paths that leave the output folder, symlinks, and writing one path twice (two stages
claiming the same URL is a bug that must not silently overwrite a page).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .cache import NO_LINK_ERRNOS, bulk_load, place_file
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


@dataclass
class FolderRecord:
    """What one finished output folder holds: recorded when it is published, trusted later
    only while the folder is still the same one (inode and modification time)."""

    identity: list[int] = field(default_factory=list)
    #: Site-relative path of every file → fingerprint of its content.
    files: dict[str, str] = field(default_factory=dict)

    def matches(self, folder: Path) -> bool:
        return bool(self.identity) and self.identity == folder_identity(folder)


@dataclass
class PublishedRecord:
    """The published ``site/`` and the spare (the folder published before it)."""

    site: FolderRecord = field(default_factory=FolderRecord)
    spare: FolderRecord = field(default_factory=FolderRecord)

    @classmethod
    def load(cls, path: Path) -> PublishedRecord:
        try:
            with bulk_load():
                data = marshal.loads(path.read_bytes())
            record = cls(**{name: FolderRecord(**data[name]) for name in ("site", "spare")})
        except (OSError, ValueError, EOFError, KeyError, TypeError):
            return cls()
        if _changing_marker(path).exists():  # a build died while changing the spare
            record.spare = FolderRecord()
        return record

    @staticmethod
    def mark_spare_changing(path: Path) -> None:
        """Called before the spare's first change: until :meth:`save` the spare is unusable."""
        path.parent.mkdir(parents=True, exist_ok=True)
        _changing_marker(path).touch()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        data = {
            name: {"identity": rec.identity, "files": rec.files}
            for name, rec in (("site", self.site), ("spare", self.spare))
        }
        temp.write_bytes(marshal.dumps(data))
        os.replace(temp, path)
        _changing_marker(path).unlink(missing_ok=True)


def _changing_marker(path: Path) -> Path:
    return path.with_name(f"{path.name}.spare-changing")


def folder_identity(folder: Path) -> list[int]:
    """Inode and modification time of a folder (empty when it does not exist)."""
    try:
        info = os.stat(folder)
    except OSError:
        return []
    return [info.st_ino, info.st_mtime_ns]


def file_fingerprint(path: Path) -> str:
    """Fingerprint of a file's content for files without a cache key (MkDocs' own output)."""
    with open(path, "rb") as handle:
        return "b:" + hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True)
class PreparedFolder:
    """The complete output folder of a build, before the swap."""

    folder: Path
    record: FolderRecord
    #: True when the spare was brought up to date (False: staging folder completed by links).
    from_spare: bool
    #: Files replaced (or added) and deleted in the spare; linked into staging otherwise.
    replaced: int
    removed: int


@dataclass(frozen=True)
class AtomicBuild:
    """One build's staging folder and the published folder it will replace."""

    site_dir: Path
    temp_dir: Path

    @property
    def spare_dir(self) -> Path:
        """The folder published before ``site/``, kept to be brought up to date next time."""
        return self.site_dir.parent / f".{self.site_dir.name}.spare"

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

    def prepare(
        self,
        reused: Mapping[str, str | Path],
        known: Mapping[str, str],
        record: PublishedRecord,
        before_spare_change: Callable[[], None],
    ) -> PreparedFolder:
        """The complete folder of this build (the spare brought up to date, or the staging
        folder with every reused file linked in) and its record (``identity`` still empty).

        ``reused`` names the cache entry of every output not written into the staging folder;
        ``known`` gives fingerprints (cache keys) for staging files that have one, every other
        staging file is fingerprinted by its bytes.
        ``before_spare_change`` is called before the spare's first change (to mark it unusable).
        """
        staged = self._staged_fingerprints(known)
        for rel in sorted(set(staged) & set(reused)):
            raise OutputError(f"{rel}: berkas keluaran sudah ada (dua tahap menulis ke sini)")
        files = dict(staged)
        for rel, entry in reused.items():
            files[rel] = known.get(rel) or "e:" + os.path.basename(entry)
        new = FolderRecord(files=files)
        spare = self.spare_dir
        if record.spare.matches(spare) and spare.is_dir():
            before_spare_change()
            replaced, removed = self._update(spare, record.spare.files, files, reused)
            return PreparedFolder(spare, new, True, replaced, removed)
        # Tens of thousands of links: plain strings, and each folder made once.
        root = str(self.temp_dir)
        made: set[str] = set()
        for rel, entry in sorted(reused.items()):
            folder = rel.rpartition("/")[0]
            if folder not in made:
                os.makedirs(f"{root}/{folder}", exist_ok=True)
                made.add(folder)
            place_file(entry, f"{root}/{rel}")
        return PreparedFolder(self.temp_dir, new, False, len(reused), 0)

    def _staged_fingerprints(self, known: Mapping[str, str]) -> dict[str, str]:
        found: dict[str, str] = {}
        root = self.temp_dir
        for directory, _folders, names in os.walk(root):
            rel_dir = os.path.relpath(directory, root)
            for name in names:
                rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                found[rel] = known.get(rel) or file_fingerprint(Path(directory, name))
        return found

    def _update(
        self,
        folder: Path,
        old: Mapping[str, str],
        new: Mapping[str, str],
        reused: Mapping[str, str | Path],
    ) -> tuple[int, int]:
        """Make ``folder`` (holding the files ``old``) hold exactly the files ``new``; return
        how many files were replaced and how many deleted."""
        gone = sorted(rel for rel in old if rel not in new)
        for rel in gone:
            _remove(folder / rel)
            _prune_empty_parents(folder, rel)
        # Tens of thousands of files, a few of them changed: only those are sorted.
        changed = sorted(rel for rel, fingerprint in new.items() if old.get(rel) != fingerprint)
        for rel in changed:
            target = folder / rel
            _make_parents(folder, rel)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            staged = self.temp_dir / rel
            if rel in reused:
                temp = target.with_name(f".{target.name}.{os.getpid()}")
                temp.unlink(missing_ok=True)
                place_file(reused[rel], temp)
                os.replace(temp, target)
            else:
                os.replace(staged, target)
        return len(changed), len(gone)

    def swap(
        self, folder: Path, published: FolderRecord, record: PublishedRecord
    ) -> PublishedRecord:
        """Publish ``folder`` (from :meth:`prepare`) as ``site/``; the
        previous ``site/`` becomes the spare. Returns the record to store."""
        if folder == self.spare_dir:
            spare_record = record.site if record.site.matches(self.site_dir) else FolderRecord()
            self._commit_from(folder)
            _remove(self.temp_dir)
        else:
            keep_old = record.site.matches(self.site_dir)
            spare_record = record.site if keep_old else FolderRecord()
            _remove(self.spare_dir)
            self._commit_from(folder, keep_old_as_spare=keep_old)
        published.identity = folder_identity(self.site_dir)
        if spare_record.identity:
            spare_record = FolderRecord(
                identity=folder_identity(self.spare_dir), files=spare_record.files
            )
        else:
            spare_record = self._spare_from_site(published)
        return PublishedRecord(site=published, spare=spare_record)

    def _spare_from_site(self, published: FolderRecord) -> FolderRecord:
        """A spare made now as hard links to the new ``site/``'s files, when there is none
        (a first build, a deleted cache, a ``site/`` changed by hand). Without it the next
        build would link every file into a new folder (at 10,000 releases some 40,000 links
        and 19,000 folders, a second on this machine's disk, which a one-release edit build
        would otherwise spend); with it, the next build replaces only the files that change.
        Made in the (by now empty) staging folder's place and renamed, so a half-made spare
        is never taken for one (a dead build's is removed like its staging folder); where
        files cannot be linked (another device) no spare is made."""
        _remove(self.spare_dir)
        making = self.temp_dir
        _remove(making)
        source, target = str(self.site_dir), str(making)
        try:
            for directory, folders, names in os.walk(source):
                into = target + directory[len(source) :]
                os.mkdir(into)
                folders.sort()
                for name in names:
                    os.link(f"{directory}/{name}", f"{into}/{name}")
        except OSError as exc:
            _remove(making)
            if exc.errno not in NO_LINK_ERRNOS:
                raise
            return FolderRecord()
        os.rename(making, self.spare_dir)
        return FolderRecord(identity=folder_identity(self.spare_dir), files=dict(published.files))

    def _commit_from(self, folder: Path, keep_old_as_spare: bool = True) -> None:
        """Rename ``folder`` into place; the old ``site/`` becomes the spare (or is deleted)."""
        old = self.site_dir.parent / f".{self.site_dir.name}.old-{os.getpid()}"
        _remove(old)
        if self.site_dir.is_symlink() or self.site_dir.exists():
            os.rename(self.site_dir, old)
        try:
            os.rename(folder, self.site_dir)
        except OSError:
            if old.exists() and not self.site_dir.exists():
                os.rename(old, self.site_dir)
            raise
        if old.exists():
            if keep_old_as_spare and not self.spare_dir.exists():
                os.rename(old, self.spare_dir)
            else:
                _remove(old)

    def abort(self) -> None:
        """Throw the unfinished build away; ``site/`` was never touched."""
        _remove(self.temp_dir)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _check_rel_path(rel_path: str) -> None:
    """:class:`OutputError` when ``rel_path`` could leave the output folder."""
    if (
        not rel_path
        or "\\" in rel_path
        or "\x00" in rel_path
        or rel_path.startswith("/")
        or any(part in ("", ".", "..") for part in rel_path.split("/"))
    ):
        raise OutputError(f"{rel_path!r}: jalur keluaran tidak sah (di luar folder situs)")


def _make_parents(folder: Path, rel: str) -> None:
    """Create the folders of ``rel`` below ``folder``, replacing files that stand in the way."""
    probe = folder
    for part in rel.split("/")[:-1]:
        probe = probe / part
        if probe.is_symlink() or probe.is_file():
            probe.unlink()
        if not probe.is_dir():
            probe.mkdir()


def _prune_empty_parents(folder: Path, rel: str) -> None:
    parent = (folder / rel).parent
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:  # not empty (or already gone)
            return
        parent = parent.parent


class SiteWriter:
    """Writes generated files (feeds, sitemaps, robots.txt) below one output folder only."""

    def __init__(self, output_dir: Path, defer: bool = False) -> None:
        self.output_dir = output_dir.absolute()
        self._written: set[str] = set()
        #: With ``defer``, :meth:`place` only names the cache entry here; the entries are put in
        #: place by :meth:`AtomicBuild.prepare` (most of them are already in the spare folder).
        self.defer = defer
        #: (Plain strings where a caller has them: 100,000 ``Path`` objects cost a second.)
        self.deferred: dict[str, str | Path] = {}

    @property
    def written(self) -> set[str]:
        """Every path written or placed so far."""
        return self._written

    def target(self, rel_path: str) -> Path:
        """The absolute path for ``rel_path``, or :class:`OutputError` if it is not confined."""
        _check_rel_path(rel_path)
        pure = PurePosixPath(rel_path)
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

    def place(self, rel_path: str, source: str | Path) -> str | Path:
        """Like :meth:`write`, with the bytes of an existing file (a cache entry), linked where
        the file system allows (see :func:`generator.cache.place_file`). With ``defer``, only
        named: :meth:`AtomicBuild.prepare` refuses it if the staging folder has that path."""
        if rel_path in self._written:
            raise OutputError(f"{rel_path}: berkas keluaran ditulis dua kali")
        if self.defer:
            _check_rel_path(rel_path)  # (cheap: the files of 100,000 pages pass here)
            self.deferred[rel_path] = source
            self._written.add(rel_path)
            return source
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
                written[rel_path] = Path(self.place(rel_path, data))
            else:
                written[rel_path] = self.write(rel_path, data)
        return written

    def remove(self, rel_path: str) -> None:
        """Delete a file MkDocs produced that the portal replaces (e.g. its own sitemap)."""
        target = self.target(rel_path)
        if target.is_file():
            target.unlink()
