"""The build cache: content-addressed outputs and parsed releases under ``.cache/portal/``.

Issue 6: a rebuild must cost what changed, not what exists. Everything here is keyed by a
digest of *all* the inputs of the thing cached, never by a timestamp, so a stale entry can only
be missed, never served:

* **Pages** (``pages/<kk>/<key>.html``): the finished HTML of one generated page. The key
  (:meth:`generator.pages.PortalPages.input_digest` plus the *shell digest*) covers what the
  page shows (the release's source and image bytes, its region, province and category, the
  outlines of the neighbours and related releases it links to; for listings the outlines of
  the releases on that page and the region/category registry; an outline is every field but
  the body, see :attr:`generator.model.Release.outline`), the theme and MkDocs configuration,
  the navigation, and the
  generator's own code (:func:`code_version`). Reused pages are published by hard link
  (copied where links are impossible; see :mod:`generator.writer` for when no link is made).
* **Feeds** (``feeds/<kk>/<key>``): the bytes of one feed file, keyed by its feed set's inputs.
* **Files** (``files/<kk>/<sha256>``): private copies of release images, published by link.
* **Search** (``search/``): ``records/<kk>/<key>.json``, the search record of one indexed
  page under the page's own key (``null`` for a page that is not indexed), and
  ``files/<kk>/<sha256>``, the content of every file of the search index, published by link.
  ``state`` maps each index path to its content, so the next build updates the index from it
  (:func:`generator.search.update_index`).
* **Releases** (``releases/<region>.pickle``, see :class:`generator.pipeline.ReleaseCache`):
  parsed and validated releases keyed by the source bytes' digest, the digests of the images
  in their region folder, their region record, the categories, the settings that influence
  validation and :func:`code_version`.
* ``serve/`` holds the page, feed and search entries of ``mkdocs serve`` (another site URL).
* ``state.marshal`` (:class:`BuildState`): what the last build used; ``sources.pickle``
  (:class:`SourceSnapshot`): the stat of every source file the published ``site/`` was built
  from, which tells the next build whether, and which, sources changed.

The cache is never needed for correctness: deleting ``.cache/portal/`` gives a byte-identical
build, only slower. Entries not used by the latest build are removed at its end (``state``
remembers which), so the cache does not grow without bound.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import marshal
import os
import pickle
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

#: Bump to invalidate every cache entry on a format change of the cache itself.
CACHE_FORMAT = "3"
#: Packages whose code shapes the output; their versions are part of :func:`code_version`.
OUTPUT_PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "nh3",
    "feedgen",
    "snowballstemmer",
    "lxml",
)
_GENERATOR_DIR = Path(__file__).resolve().parent
#: Private to the cache and read on every build, so in :mod:`marshal` form: at 10,000
#: releases JSON took a quarter of a second to write and read, marshal a hundredth.
_STATE_FILE = "state.marshal"


def digest(*parts: str | bytes) -> str:
    """sha256 over length-prefixed parts (so that ``("ab", "c") != ("a", "bc")``).

    Text parts are joined into one string first: one hash update instead of two per part
    (keys of 100,000 pages are made on every build).
    """
    texts = [part for part in parts if isinstance(part, str)]
    if len(texts) == len(parts):
        text = "".join(f"{len(part)}:{part}" for part in texts)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(f"{len(data)}#".encode())
        hasher.update(data)
    return hasher.hexdigest()


@contextmanager
def bulk_load() -> Iterator[None]:
    """Cyclic garbage collection paused while a large structure is loaded (the release
    cache, the build state, the published file list). Loading creates objects by the hundred
    thousand, and every collection on the way walks all of them again: at 10,000 releases that
    was 40% of the release cache's load time. Loading makes no cyclic garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def code_version() -> str:
    """Digest of the generator's own source (Python and theme files) and of the versions of
    the packages that shape the output: any code change invalidates every cached output."""
    parts: list[str | bytes] = [CACHE_FORMAT]
    for path in sorted(_GENERATOR_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not path.is_symlink():
            parts.append(path.relative_to(_GENERATOR_DIR).as_posix())
            parts.append(path.read_bytes())
    for name in OUTPUT_PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        parts.append(f"{name}=={version}")
    return digest(*parts)


def stable_text(value: Any) -> str:
    """A text form of configuration values that is the same in every process and run.

    ``repr`` of arbitrary objects can contain memory addresses; those objects are described by
    their type and, when they have one, their own configuration mapping.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Path):
        return repr(value.as_posix())
    if isinstance(value, Mapping):
        items = sorted((str(k), stable_text(v)) for k, v in value.items())
        return "{" + ",".join(f"{k!r}:{v}" for k, v in items) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(stable_text(v) for v in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(stable_text(v) for v in value) + "]"
    config = getattr(value, "config", None)
    if isinstance(config, Mapping):
        return f"<{type(value).__qualname__}:{stable_text(config)}>"
    text = repr(value)
    if " at 0x" in text:
        return f"<{type(value).__qualname__}>"
    return f"<{type(value).__qualname__}:{text}>"


def files_digest(folders: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> str:
    """Digest of the names and bytes of the files below ``folders`` (e.g. theme templates)."""
    parts: list[str | bytes] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        parts.append(folder.as_posix())
        for path in sorted(folder.rglob("*")):
            if suffixes is not None and path.suffix not in suffixes:
                continue
            if path.is_file():
                parts.append(path.relative_to(folder).as_posix())
                parts.append(path.read_bytes())
    return digest(*parts)


def place_file(source: str | Path, target: str | Path) -> None:
    """Put ``source``'s bytes at ``target``: a hard link, else (other device, no links) a copy.

    Outputs are never modified in place (a build writes a new folder; MkDocs and the writer
    create new files), so sharing the inode with the cache is safe.
    """
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in NO_LINK_ERRNOS:
            raise
        shutil.copyfile(source, target)


#: Why a hard link may be impossible where a copy works: another device, a file system
#: without links (or refusing them), too many links to one file.
NO_LINK_ERRNOS = (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP)


class BackgroundWrites:
    """Cache entries written on a thread while the caller goes on computing (a context
    manager: on leaving, every write is done, and the first error is raised).

    Creating a file costs the kernel more than the bytes do: a search index built from nothing
    writes some 24,000 files at 10,000 releases. On a thread (file calls release the GIL) that
    work runs on another core beside the index's own. At most ``max_pending`` bytes wait at
    a time, so memory stays bounded however large the index."""

    def __init__(self, max_pending: int = 64 * 2**20) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-cache")
        self._max_pending = max_pending
        self._pending = 0
        self._changed = threading.Condition()
        self._futures: list[Future[None]] = []

    def submit(self, write: Callable[[Path, bytes], None], entry: Path, data: bytes) -> None:
        size = len(data)
        with self._changed:
            self._changed.wait_for(
                lambda: self._pending == 0 or self._pending + size <= self._max_pending
            )
            self._pending += size
        future = self._executor.submit(write, entry, data)
        future.add_done_callback(lambda _done: self._release(size))
        self._futures.append(future)

    def _release(self, size: int) -> None:
        with self._changed:
            self._pending -= size
            self._changed.notify_all()

    def __enter__(self) -> BackgroundWrites:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_rest: object) -> None:
        self._executor.shutdown(wait=True)
        if exc_type is None:  # else that error is the one to report
            for future in self._futures:
                future.result()  # the first failed write's error


@dataclass
class BuildState:
    """What the previous build used (to drop unused entries and to reuse the search index)."""

    pages: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, str] = field(default_factory=dict)
    #: Published copies of source files (release images): site path → sha256 of the bytes.
    files: dict[str, str] = field(default_factory=dict)
    #: Digest of the indexed pages' keys ("" when the build made no search index).
    search: str = ""
    #: Every candidate page of the search index: URL → [record key, partition] (partition
    #: -1: the page is not indexed).
    search_docs: dict[str, list[Any]] = field(default_factory=dict)
    #: Every file of the search index: path below ``cari/indeks/`` → sha256 of its content.
    search_files: dict[str, str] = field(default_factory=dict)
    #: :func:`code_version` of the build that made the index (another code: built anew).
    search_code: str = ""
    #: Digest of every output's key: equal means the published site would not change.
    outputs: str = ""
    #: Inode and mtime of the ``site/`` folder the build published.
    site: list[int] = field(default_factory=list)


class BuildCache:
    """One cache folder (``settings.root / settings.cache_dir``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages_dir = root / "pages"
        self.feeds_dir = root / "feeds"
        self.files_dir = root / "files"
        self.search_dir = root / "search"
        self.previous = self._load_state()

    # --- pages and feeds ------------------------------------------------------------------

    def page_path(self, key: str) -> Path:
        return Path(self.page_entry(key))

    def page_entry(self, key: str) -> str:
        """:meth:`page_path` as a string: this runs for every page of the archive on every
        build, and a ``Path`` costs ten times a string."""
        return f"{self.pages_dir}/{key[:2]}/{key}.html"

    def feed_path(self, key: str) -> Path:
        return self.feeds_dir / key[:2] / key

    def file_path(self, sha256: str) -> Path:
        return self.files_dir / sha256[:2] / sha256

    def keep_copy(self, source: Path, sha256: str) -> Path:
        """A private copy of a source file (never a link: the source may be edited in place)."""
        entry = self.file_path(sha256)
        if not entry.is_file():
            entry.parent.mkdir(parents=True, exist_ok=True)
            temp = entry.with_name(f".{entry.name}.{os.getpid()}")
            shutil.copyfile(source, temp)
            os.replace(temp, entry)
        return entry

    @staticmethod
    def keep(output: Path, entry: Path) -> None:
        """Remember a freshly written output under its key (atomically; first writer wins).

        A hard link appears whole in one step, so the entry is linked directly (one metadata
        operation per output: a cold build keeps tens of thousands); a copy, where links
        cannot be made, goes through a temporary file."""
        for attempt in range(2):
            try:
                os.link(output, entry)
                return
            except FileExistsError:
                return
            except FileNotFoundError:
                if attempt:
                    raise
                entry.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                if exc.errno not in NO_LINK_ERRNOS:
                    raise
                break
        if entry.exists():
            return
        entry.parent.mkdir(parents=True, exist_ok=True)
        temp = entry.with_name(f".{entry.name}.{os.getpid()}")
        try:
            place_file(output, temp)
            os.replace(temp, entry)
        finally:
            if temp.exists():
                temp.unlink()

    # --- search index ---------------------------------------------------------------------

    def record_path(self, key: str) -> Path:
        return Path(f"{self.search_dir}/records/{key[:2]}/{key}.json")

    def search_file_path(self, sha256: str) -> Path:
        return Path(self.search_file_entry(sha256))

    def search_file_entry(self, sha256: str) -> str:
        """:meth:`search_file_path` as a string (every index file is placed on every build)."""
        return f"{self.search_dir}/files/{sha256[:2]}/{sha256}"

    @staticmethod
    def write_entry(entry: Path, data: bytes) -> None:
        """Write a content-addressed entry atomically (first writer wins)."""
        if entry.exists():
            return
        temp = entry.with_name(f".{entry.name}.{os.getpid()}")
        try:
            temp.write_bytes(data)
        except FileNotFoundError:  # the entry's folder is new (not asked first: one call less)
            entry.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(data)
        os.replace(temp, entry)

    def keep_search_file(self, data: bytes, writes: BackgroundWrites | None = None) -> str:
        """Keep an index file by its sha256 (returned); written by ``writes`` if given."""
        sha256 = hashlib.sha256(data).hexdigest()
        if writes is None:
            self.write_entry(self.search_file_path(sha256), data)
        else:
            writes.submit(self.write_entry, self.search_file_path(sha256), data)
        return sha256

    # --- state ----------------------------------------------------------------------------

    def _load_state(self) -> BuildState:
        try:
            with bulk_load():
                data = marshal.loads((self.root / _STATE_FILE).read_bytes())
            return BuildState(
                pages=dict(data["pages"]),
                feeds=dict(data["feeds"]),
                files=dict(data.get("files", {})),
                search=str(data["search"]),
                search_docs=dict(data.get("search_docs", {})),
                search_files=dict(data.get("search_files", {})),
                search_code=str(data.get("search_code", "")),
                outputs=str(data["outputs"]),
                site=[int(n) for n in data["site"]],
            )
        except (OSError, ValueError, EOFError, KeyError, TypeError):
            return BuildState()

    def commit(self, state: BuildState) -> None:
        """Record this build's entries and delete the previous build's that are now unused."""
        used_pages = set(state.pages.values())
        for key in set(self.previous.pages.values()) - used_pages:
            self.page_path(key).unlink(missing_ok=True)
        used_feeds = set(state.feeds.values())
        for key in set(self.previous.feeds.values()) - used_feeds:
            self.feed_path(key).unlink(missing_ok=True)
        used_files = set(state.files.values())
        for sha256 in set(self.previous.files.values()) - used_files:
            self.file_path(sha256).unlink(missing_ok=True)
        used_records = {entry[0] for entry in state.search_docs.values()}
        for entry in self.previous.search_docs.values():
            if entry[0] not in used_records:
                self.record_path(entry[0]).unlink(missing_ok=True)
        used_search = set(state.search_files.values())
        for sha256 in set(self.previous.search_files.values()) - used_search:
            self.search_file_path(sha256).unlink(missing_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)
        temp = self.root / f".{_STATE_FILE}.{os.getpid()}"
        temp.write_bytes(
            marshal.dumps(
                {
                    "pages": state.pages,
                    "feeds": state.feeds,
                    "files": state.files,
                    "search": state.search,
                    "search_docs": state.search_docs,
                    "search_files": state.search_files,
                    "search_code": state.search_code,
                    "outputs": state.outputs,
                    "site": state.site,
                }
            )
        )
        os.replace(temp, self.root / _STATE_FILE)
        self.previous = state


# --- Unchanged sources -----------------------------------------------------------------------

#: Record of the sources the published ``site/`` was built from (see :class:`SourceSnapshot`).
_SOURCES_FILE = "sources.pickle"
#: The model part of that record, in a file of its own: it changes far less often than the
#: file list (never in an edit build), and is then not written again.
_MODEL_FILE = "sources-model.pickle"
#: A file changed this recently may change again within the file system's timestamp
#: resolution without its mtime moving: such a snapshot is never trusted ("racy git").
_RACY_NS = 2_000_000_000

#: Size, mtime (ns) and inode of one source file.
FileStat = tuple[int, int, int]


@dataclass(frozen=True)
class SourceSnapshot:
    """Size, mtime and inode of every source file, plus everything else a build reads.

    The one place the cache trusts file metadata instead of bytes, as ``make`` and git's index
    do, and only to answer "is anything different from the published build?" and "which
    files?". A build whose sources, configuration, theme, code and embargo window all equal
    the last published build's can leave ``site/`` as it is without loading a single release:
    at 100,000 releases that is the difference between about 18 s and 2 s. A build that
    differs only in a few source files learns which ones (:meth:`changed_since`). Any doubt
    (a file modified within two seconds of a scan, a missing or unreadable record, another
    ``site/``) means the file is read again, or a full build, which stays byte-identical.
    """

    #: False when a source was modified within ``_RACY_NS`` of the scan (or in the future).
    trustworthy: bool
    #: Digest of everything but the source files (configuration, theme, code).
    extra: str = ""
    #: Repository-relative POSIX path of every source file → its stat; ``None`` for a file
    #: modified within ``_RACY_NS`` of the scan (its stat proves nothing next time).
    files: Mapping[str, FileStat | None] = field(default_factory=dict)
    #: Source folders that do not exist (or cannot be listed).
    missing: tuple[str, ...] = ()

    @classmethod
    def scan(cls, root: Path, folders: Iterable[str], *extra: str) -> SourceSnapshot:
        started = time.time_ns()
        racy_from = started - _RACY_NS
        stats: dict[str, FileStat] = {}
        missing: list[str] = []
        prefix = len(str(root)) + 1
        sep = os.sep
        for folder in folders:
            stack = [str(root / folder)]
            while stack:
                directory = stack.pop()
                try:
                    iterator = os.scandir(directory)
                except OSError:
                    missing.append(directory[prefix:])
                    continue
                with iterator:
                    for entry in iterator:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                            continue
                        info = entry.stat(follow_symlinks=False)
                        rel = entry.path[prefix:]
                        if sep != "/":
                            rel = rel.replace(sep, "/")
                        stats[rel] = (info.st_size, info.st_mtime_ns, info.st_ino)
        extra_digest = digest(*extra)
        newest = max((stat[1] for stat in stats.values()), default=0)
        files: dict[str, FileStat | None] = dict(stats)
        if newest >= racy_from:
            for rel, stat in stats.items():
                if stat[1] >= racy_from:
                    files[rel] = None
        # Compared with the record as they are (no digest of the list: a tenth of a second
        # at 10,000 releases, on every build).
        return cls(
            trustworthy=newest < racy_from,
            extra=extra_digest,
            files=files,
            missing=tuple(sorted(missing)),
        )

    @staticmethod
    def published(cache_root: Path) -> dict[str, Any]:
        """The record of the last published build ({} when there is none)."""
        try:
            with open(cache_root / _SOURCES_FILE, "rb") as handle, bulk_load():
                data = pickle.load(handle)
        except Exception:  # any damage (or another version's classes): no record
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def published_model(cache_root: Path, record: Mapping[str, Any]) -> Any:
        """The model ``record`` was saved with (None when it is missing or another one)."""
        try:
            with open(cache_root / _MODEL_FILE, "rb") as handle, bulk_load():
                model_id, model = pickle.load(handle)
        except Exception:  # any damage (or another version's classes): no model
            return None
        return model if model_id and model_id == record.get("model_id") else None

    def unchanged_since(self, record: Mapping[str, Any], site: list[int], build_time: str) -> bool:
        """Whether ``record`` (see :meth:`save`) describes these sources, this ``site/`` and
        an embargo window that holds ``build_time`` (ISO 8601, UTC)."""
        if (
            not self.trustworthy
            or not record.get("trustworthy")
            or not _same_window(record, site, build_time)
        ):
            return False
        return bool(
            record.get("extra") == self.extra
            and record.get("missing") == self.missing
            and record.get("files") == self.files
        )

    def changed_since(
        self, record: Mapping[str, Any], site: list[int], build_time: str
    ) -> list[str] | None:
        """The source files that may differ from those ``record`` was published from (in
        path order), or None when more than files changed: the configuration, theme or code,
        the set of file names, the published ``site/`` or the embargo window. A file counts as
        changed when its stat differs, or when either scan saw it modified within two seconds
        (its bytes are then compared by whoever reads it)."""
        if (
            not _same_window(record, site, build_time)
            or record.get("extra") != self.extra
            or record.get("missing") != self.missing
        ):
            return None
        before = record.get("files")
        if not isinstance(before, dict) or before.keys() != self.files.keys():
            return None
        return sorted(
            rel for rel, stat in self.files.items() if stat is None or before[rel] != stat
        )

    def save(
        self,
        cache_root: Path,
        site: list[int],
        since: str,
        until: str | None,
        model: Any = None,
        model_id: str | None = None,
        derived: Mapping[str, Any] | None = None,
    ) -> None:
        """Record that ``site/`` was published from these sources; ``model`` is what the
        build derived from their names alone (kept for the next build; see the pipeline).
        ``model_id`` names the stored model when ``model`` is the one it names; ``derived``
        is what the next build compares its own with (the release cache's file stats, each
        release's identity; see the plugin)."""
        path = cache_root / _SOURCES_FILE
        path.unlink(missing_ok=True)
        if not site:
            return
        cache_root.mkdir(parents=True, exist_ok=True)
        if model is None:
            model_id = None
        elif not model_id or not (cache_root / _MODEL_FILE).is_file():
            model_id = f"{time.time_ns():x}-{os.getpid()}"
            temp = cache_root / f".{_MODEL_FILE}.{os.getpid()}"
            with open(temp, "wb") as handle:
                pickle.dump((model_id, model), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, cache_root / _MODEL_FILE)
        temp = cache_root / f".{_SOURCES_FILE}.{os.getpid()}"
        record = {
            "trustworthy": self.trustworthy,
            "extra": self.extra,
            "files": dict(self.files),
            "missing": self.missing,
            "site": site,
            "from": since,
            "until": until,
            "model_id": model_id,
            "derived": dict(derived or {}),
        }
        with open(temp, "wb") as handle:
            pickle.dump(record, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)


def _same_window(record: Mapping[str, Any], site: list[int], build_time: str) -> bool:
    """``record`` describes this ``site/`` and an embargo window holding ``build_time``."""
    if not record or not site or record.get("site") != site:
        return False
    until = record.get("until")
    return str(record.get("from", "")) <= build_time and (until is None or build_time < until)
