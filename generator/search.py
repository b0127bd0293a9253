"""Pagefind search index of the built portal, and what a query costs a reader.

Material's lunr search ships one index for the whole site (about 1.5 MB gzipped per 1,000
releases) and has no Indonesian stemmer; Pagefind writes a chunked static index under
``pagefind/`` that the browser fetches piece by piece, and stems Indonesian
(``membangun``, ``pembangunan`` and ``dibangun`` all become ``bangun``).

What is indexed is decided by the pages, following the search contract in ARCHITECTURE.md:
only elements marked ``data-pagefind-body`` (release, region and office pages) are indexed, with
the filters ``wilayah``, ``provinsi``, ``kategori``, ``jenis`` and ``tahun``, the sort key
``tanggal`` (ISO 8601) and the metadata ``wilayah`` and ``tanggal`` (local date text). Listing
pages, withdrawn releases and every other page carry no ``data-pagefind-body`` and so are not.

Determinism: Pagefind 1.5.2 writes the word index and the page fragments byte-identically for the
same input, but lists filter values (in each filter file) and filter names (in the ``.pf_meta``
file) in hash-map order, which changes from run to run (upstream: Pagefind/pagefind#638); the
files are named by content hash, so their names and ``pagefind-entry.json`` change too.
``canonicalize_bundle`` rewrites exactly those files with sorted lists and names derived from
their content, so the whole bundle is byte-identical for the same site.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Settings
from .diagnostics import PortalError

#: Folder of the Pagefind bundle inside the built site (its URL is ``/pagefind/``).
PAGEFIND_DIR = "pagefind"
#: Every page is Indonesian (``<html lang="id">``); forcing it gives one index with Pagefind's
#: Indonesian stemmer even where a page's ``lang`` attribute is missing or different.
SEARCH_LANGUAGE = "id"
#: Filter names the pages emit (``data-pagefind-filter``), in the order the search page lists them.
FILTER_NAMES = ("wilayah", "provinsi", "kategori", "jenis", "tahun")
#: Sort key the pages emit (``data-pagefind-sort``): the release's ISO 8601 date and time.
SORT_NAME = "tanggal"
#: Metadata the pages emit (``data-pagefind-meta``) and the search page shows under each result.
META_NAMES = ("wilayah", "tanggal")


class SearchIndexError(PortalError):
    """Pagefind could not index the built site."""


@dataclass(frozen=True)
class SearchReport:
    """What one Pagefind run produced (for the build log and the benchmark)."""

    #: Pages in the index (those with ``data-pagefind-body``), from ``pagefind-entry.json``.
    pages_indexed: int
    #: Total size in bytes of every file under ``pagefind/`` (index, fragments, UI, WASM).
    index_bytes: int
    #: Number of files under ``pagefind/``.
    file_count: int
    #: Wall-clock seconds Pagefind took (the only non-deterministic field; never written out).
    elapsed_seconds: float


def index_site(site_dir: Path, settings: Settings) -> SearchReport:
    """Index the built site in ``site_dir`` and write the bundle to ``site_dir/pagefind/``.

    Called after every page, feed and asset is written (the plugin's ``on_post_build``), because
    Pagefind reads the final HTML. A previous ``pagefind/`` folder is replaced, so no stale index
    chunk survives a rebuild. ``settings.search`` is the caller's switch; this function always
    indexes when called.
    """
    del settings  # The index depends only on the HTML; the parameter keeps the stage signature.
    site_dir = site_dir.resolve()
    if not site_dir.is_dir():
        raise SearchIndexError(f"{site_dir}: folder situs hasil build tidak ditemukan")
    output_dir = site_dir / PAGEFIND_DIR

    started = time.perf_counter()
    _write_complete_bundle(site_dir, output_dir)
    canonicalize_bundle(output_dir)
    elapsed = time.perf_counter() - started

    files = sorted(path for path in output_dir.rglob("*") if path.is_file())
    return SearchReport(
        pages_indexed=_pages_in_entry(output_dir / "pagefind-entry.json"),
        index_bytes=sum(path.stat().st_size for path in files),
        file_count=len(files),
        elapsed_seconds=elapsed,
    )


#: Runs of Pagefind before a torn bundle is reported (the second only after a torn first run).
_WRITE_ATTEMPTS = 2
#: Longest wait, in seconds, for Pagefind to finish writing files after it reported them written.
_WRITE_SETTLE_TIMEOUT_SECONDS = 120.0


def _write_complete_bundle(site_dir: Path, output_dir: Path) -> None:
    """Run Pagefind into a fresh ``output_dir`` until the bundle it leaves is complete.

    Pagefind writes each file with tokio's ``File::write_all``, which hands the bytes to a
    background thread and returns before they reach the file; the service answers "files
    written" at that point, and the Python API then terminates it. ``_write_index`` waits for
    those writes (see ``_wait_until_files_closed``), and this check catches what that wait cannot
    see (no ``/proc``, or a wait that timed out): a second run, then a clear error, instead of a
    ``JSONDecodeError`` from an empty ``pagefind-entry.json``.
    """
    problem = ""
    for _attempt in range(_WRITE_ATTEMPTS):
        if output_dir.exists():
            shutil.rmtree(output_dir)  # no stale chunk of a previous index (or of a torn run)
        _run_coroutine_blocking(_write_index(site_dir, output_dir))
        problem = _incomplete_bundle_problem(output_dir)
        if not problem:
            return
    raise SearchIndexError(
        f"{output_dir}: Pagefind menulis indeks pencarian yang tidak lengkap ({problem}) "
        f"sebanyak {_WRITE_ATTEMPTS} kali; jalankan build sekali lagi"
    )


async def _write_index(site_dir: Path, output_dir: Path) -> None:
    # Imported here so that building without search (``search: false``) never needs the binary.
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    config: IndexConfig = {
        "force_language": SEARCH_LANGUAGE,
        "keep_index_url": False,
        "write_playground": False,
        "output_path": str(output_dir),
    }
    try:
        # The service, not ``PagefindIndex``, is the context: ``PagefindIndex`` writes the files
        # on exit and terminates the service at once, before its last writes have landed.
        async with PagefindService() as service:
            index = await service.create_index(config)
            await index.add_directory(str(site_dir))
            await index.write_files()
            backend_pid = getattr(getattr(service, "_backend", None), "pid", None)
            if isinstance(backend_pid, int):
                await _wait_until_files_closed(
                    backend_pid, output_dir, _WRITE_SETTLE_TIMEOUT_SECONDS
                )
    except FileNotFoundError as exc:
        raise SearchIndexError(
            "program Pagefind tidak ditemukan; pasang paket 'pagefind[extended]' "
            f"atau matikan pencarian dengan 'search: false' ({exc})"
        ) from exc
    except Exception as exc:  # Pagefind's service reports every failure as a bare Exception.
        raise SearchIndexError(f"Pagefind gagal membuat indeks pencarian: {exc}") from exc
    if not (output_dir / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"{output_dir}: Pagefind tidak menulis indeks pencarian")


async def _wait_until_files_closed(pid: int, directory: Path, timeout_seconds: float) -> None:
    """Wait until process ``pid`` holds no open file under ``directory``, or the timeout passes.

    Pagefind's background write of a file holds the file open until the bytes are written, so
    "no open file under the bundle" means every file is complete. Reads ``/proc/<pid>/fd``
    (Linux); where that does not exist the wait is skipped and ``_incomplete_bundle_problem``
    is the only guard.
    """
    deadline = time.monotonic() + timeout_seconds
    while _open_files_under(pid, directory) and time.monotonic() < deadline:
        await asyncio.sleep(0.005)


def _open_files_under(pid: int, directory: Path) -> list[str]:
    """Paths under ``directory`` that process ``pid`` has open (empty without ``/proc``)."""
    import os

    fd_dir = Path(f"/proc/{pid}/fd")
    prefix = f"{directory.resolve()}{os.sep}"
    try:
        descriptors = sorted(os.listdir(fd_dir))
    except OSError:  # no /proc, or the process has already exited
        return []
    open_paths: list[str] = []
    for descriptor in descriptors:
        try:
            target = os.readlink(fd_dir / descriptor)
        except OSError:  # closed between listing and reading
            continue
        if target.startswith(prefix):
            open_paths.append(target)
    return open_paths


def _incomplete_bundle_problem(output_dir: Path) -> str:
    """Why the bundle in ``output_dir`` is not complete (Indonesian), or ``""`` if it is.

    Checks what the build reads back (``pagefind-entry.json``, each language's meta file and
    its filter chunks) completely, and that no other file is empty: a file Pagefind created
    but had not yet written is empty.
    """
    import zlib

    entry_file = output_dir / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{entry_file.name} kosong, terpotong atau tidak terbaca"
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not isinstance(languages, dict) or not all(
        isinstance(info, dict) and isinstance(info.get("hash"), str) for info in languages.values()
    ):
        return f"{entry_file.name} tidak berisi daftar bahasa"
    for _language, info in sorted(languages.items()):
        chunk_file = output_dir / f"pagefind.{info['hash']}.pf_meta"
        try:
            meta = _read_chunk(chunk_file)
            for _name, chunk_hash in _meta_filter_list(meta, chunk_file):
                chunk_file = output_dir / "filter" / f"{chunk_hash}.pf_filter"
                _read_chunk(chunk_file)
        except (OSError, EOFError, ValueError, IndexError, zlib.error, SearchIndexError):
            return f"{chunk_file.relative_to(output_dir)} kosong atau terpotong"
    for path in sorted(output_dir.rglob("*")):
        if path.is_file() and path.stat().st_size == 0:
            return f"{path.relative_to(output_dir)} kosong"
    return ""


def _run_coroutine_blocking(coroutine: Any) -> None:
    """Run ``coroutine`` to completion, even when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    # A running loop (e.g. an async host) cannot be re-entered: use a fresh one in a thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _pages_in_entry(entry_file: Path) -> int:
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    languages: dict[str, dict[str, Any]] = entry.get("languages", {})
    return sum(int(language.get("page_count", 0)) for language in languages.values())


# --- What a query costs a reader (used by the benchmark) -------------------------------------

#: Chromium flags for a quiet, offline, reproducible headless run (Debian's /usr/bin/chromium).
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
CHROMIUM_PATH = "/usr/bin/chromium"


@dataclass(frozen=True)
class QueryCost:
    """Bytes the search page fetched from ``/pagefind/`` to answer one query."""

    query: str
    #: Result count Pagefind reported for the query (before paging).
    result_count: int
    #: Bytes of every ``/pagefind/`` response, UI script and WASM included (a cold cache).
    total_bytes: int
    #: The same, without the files every search pays once and the browser then caches
    #: (``pagefind-ui.js``/``.css``, ``pagefind.js``, ``pagefind-worker.js``, ``wasm.*``):
    #: the index, filter and fragment chunks this query needed.
    index_bytes: int
    #: ``total_bytes`` as a compressing web server or CDN sends it: scripts and styles
    #: gzip-compressed (level 6), the already-gzipped Pagefind chunks and WASM as they are.
    total_gzip_bytes: int
    #: Number of ``/pagefind/`` requests.
    requests: int


#: Files fetched once per visitor whatever the query (code, not index data).
_FIXED_ASSET_PREFIXES = ("pagefind-ui.", "pagefind.js", "pagefind-worker.js", "wasm.")


def query_cost(
    site_dir: Path,
    queries: Sequence[str],
    *,
    chromium_path: str = CHROMIUM_PATH,
    timeout_seconds: float = 60.0,
) -> tuple[QueryCost, ...]:
    """Open ``cari/?q=<query>`` of the built site in headless Chromium, once per query with a
    cold cache, and measure the bytes fetched under ``/pagefind/`` until the results are shown.

    The site is served from ``site_dir`` on 127.0.0.1 by a local threaded HTTP server for the
    duration of the call. Needs the ``playwright`` package and Debian's Chromium (no browser
    download). Sizes are the bytes on the wire from this uncompressed server; Pagefind's chunks
    are already gzip-compressed, so they match what a CDN would send.
    """
    from playwright.sync_api import sync_playwright

    costs: list[QueryCost] = []
    with LocalSiteServer(site_dir) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            for query in queries:
                context = browser.new_context()  # a fresh context is a cold HTTP cache
                try:
                    page = context.new_page()
                    bodies: dict[str, bytes] = {}

                    def record(response: Any, bodies: dict[str, bytes] = bodies) -> None:
                        path = response.url.split("?", 1)[0]
                        if "/pagefind/" in path and response.ok:
                            bodies[path] = response.body()

                    page.on("response", record)
                    page.goto(f"{base_url}/cari/?q={_quote(query)}", timeout=timeout_seconds * 1000)
                    page.wait_for_function(_RESULTS_SHOWN_JS, timeout=timeout_seconds * 1000)
                    page.wait_for_load_state("networkidle", timeout=timeout_seconds * 1000)
                    message = page.inner_text(".pagefind-ui__message")
                    costs.append(_cost(query, _result_count(message), bodies))
                finally:
                    context.close()
        finally:
            browser.close()
    return tuple(costs)


#: True once Pagefind's UI has replaced "Mencari …" with the outcome ("Ditemukan 3 hasil …" or
#: "… tidak ditemukan"); the strings are Pagefind UI's built-in Indonesian translation.
_RESULTS_SHOWN_JS = """() => {
  const message = document.querySelector('.pagefind-ui__message');
  return !!message && /hasil|tidak ditemukan/i.test(message.textContent)
    && !/^\\s*Mencari/i.test(message.textContent);
}"""


def _result_count(message: str) -> int:
    """The count in "Ditemukan 3 hasil untuk …"; 0 for "… tidak ditemukan"."""
    match = re.search(r"(\d+)\s+hasil", message)
    return int(match.group(1)) if match else 0


def _cost(query: str, result_count: int, bodies: dict[str, bytes]) -> QueryCost:
    import gzip

    index_bytes = sum(
        len(body)
        for url, body in bodies.items()
        if not url.rsplit("/", 1)[-1].startswith(_FIXED_ASSET_PREFIXES)
    )
    gzip_bytes = sum(
        len(body) if body[:2] == b"\x1f\x8b" else len(gzip.compress(body, 6, mtime=0))
        for body in bodies.values()
    )
    return QueryCost(
        query=query,
        result_count=result_count,
        total_bytes=sum(len(body) for body in bodies.values()),
        index_bytes=index_bytes,
        total_gzip_bytes=gzip_bytes,
        requests=len(bodies),
    )


def _quote(query: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(query)


class LocalSiteServer:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a background thread while in scope."""

    def __init__(self, directory: Path) -> None:
        import functools
        import http.server

        class QuietHandler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass  # Keep test and benchmark output clean.

        handler = functools.partial(QuietHandler, directory=str(directory))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread: Any = None

    def __enter__(self) -> str:
        import threading

        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)


# --- Canonical bundle (byte-identical output) -------------------------------------------------

#: Every decompressed Pagefind chunk starts with this marker, then one CBOR item.
_CHUNK_MARKER = b"pagefind_dcd"


def canonicalize_bundle(output_dir: Path) -> None:
    """Rewrite the run-dependent parts of a Pagefind bundle in a canonical form.

    * each ``filter/*.pf_filter`` (``[name, [[value, [page, …]], …]]``): values sorted;
    * the ``pagefind.<hash>.pf_meta`` filter list (``[[name, chunk-hash], …]``): sorted by name;
    * every rewritten file is named ``<language>_<sha256 of its CBOR>`` (Pagefind's own names are
      content hashes too, so names stay unique) and ``pagefind-entry.json`` points at the
      rewritten meta file.

    Everything else (word index, fragments, scripts, WASM) is already deterministic and is left
    untouched. Gzip is written with a zero timestamp. Search results do not change: Pagefind
    reads these lists as maps.
    """
    entry_file = output_dir / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    languages: dict[str, dict[str, Any]] = entry["languages"]
    filter_dir = output_dir / "filter"
    for language, info in sorted(languages.items()):
        meta_file = output_dir / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_chunk(meta_file)
        filter_list = _meta_filter_list(meta, meta_file)
        renamed: list[list[Any]] = []
        for name, chunk_hash in sorted(filter_list, key=lambda pair: str(pair[0])):
            chunk_file = filter_dir / f"{chunk_hash}.pf_filter"
            chunk_name, chunk_values = _read_chunk(chunk_file)
            chunk = [chunk_name, sorted(chunk_values, key=lambda pair: str(pair[0]))]
            new_hash = _content_name(language, chunk, 7)
            chunk_file.unlink()
            _write_chunk(filter_dir / f"{new_hash}.pf_filter", chunk)
            renamed.append([name, new_hash])
        meta[_META_FILTERS] = renamed
        new_meta_hash = _content_name(language, meta, 10)
        meta_file.unlink()
        _write_chunk(output_dir / f"pagefind.{new_meta_hash}.pf_meta", meta)
        info["hash"] = new_meta_hash
    entry_file.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


#: Position of the filter list in a ``.pf_meta`` record ``[version, pages, index chunks,
#: filters, sorts, meta fields]`` (Pagefind 1.5's MetaIndex).
_META_FILTERS = 3


def _meta_filter_list(meta: Any, meta_file: Path) -> list[list[Any]]:
    if not (isinstance(meta, list) and len(meta) > _META_FILTERS):
        raise SearchIndexError(f"{meta_file}: susunan berkas meta Pagefind tidak dikenal")
    filters = meta[_META_FILTERS]
    if not all(isinstance(pair, list) and len(pair) == 2 for pair in filters):
        raise SearchIndexError(f"{meta_file}: daftar filter Pagefind tidak dikenal")
    return list(filters)


def _read_chunk(path: Path) -> Any:
    import gzip

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_CHUNK_MARKER):
        raise SearchIndexError(f"{path}: bukan berkas indeks Pagefind")
    item, end = _read_cbor(data, len(_CHUNK_MARKER))
    if end != len(data):
        raise SearchIndexError(f"{path}: berkas indeks Pagefind tidak dikenal")
    return item


def _write_chunk(path: Path, item: Any) -> None:
    import gzip

    path.write_bytes(gzip.compress(_CHUNK_MARKER + _write_cbor(item), 9, mtime=0))


def _content_name(language: str, item: Any, length: int) -> str:
    import hashlib

    return f"{language}_{hashlib.sha256(_write_cbor(item)).hexdigest()[:length]}"


def _write_cbor(item: Any) -> bytes:
    """Encode the CBOR subset Pagefind's index uses (shortest forms, as Pagefind writes them)."""
    if isinstance(item, bool) or item is None:
        raise SearchIndexError(f"CBOR tidak didukung: {item!r}")
    if isinstance(item, int):
        return _cbor_head(0, item) if item >= 0 else _cbor_head(1, -1 - item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(item, bytes):
        return _cbor_head(2, len(item)) + item
    if isinstance(item, list):
        return _cbor_head(4, len(item)) + b"".join(_write_cbor(part) for part in item)
    if isinstance(item, dict):
        return _cbor_head(5, len(item)) + b"".join(
            _write_cbor(key) + _write_cbor(value) for key, value in item.items()
        )
    raise SearchIndexError(f"CBOR tidak didukung: {type(item).__name__}")


def _cbor_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * width):
            return bytes([major << 5 | info]) + argument.to_bytes(width, "big")
    raise SearchIndexError(f"CBOR: bilangan terlalu besar ({argument})")


def indexed_filter_values(site_dir: Path) -> dict[str, tuple[str, ...]]:
    """Filter name -> sorted values recorded in the written index (for tests and diagnostics).

    Reads Pagefind's filter chunks (gzip, then ``pagefind_dcd`` + CBOR ``[name, [[value,
    [page…]]…]]``) with a small CBOR reader, so the check needs neither a browser nor a
    CBOR package.
    """
    values: dict[str, tuple[str, ...]] = {}
    for chunk in sorted((site_dir / PAGEFIND_DIR / "filter").glob("*.pf_filter")):
        name, entries = _read_chunk(chunk)
        values[str(name)] = tuple(sorted(str(entry[0]) for entry in entries))
    return dict(sorted(values.items()))


def _read_cbor(data: bytes, offset: int) -> tuple[Any, int]:
    """Decode one CBOR item (unsigned ints, text, bytes, arrays, maps) starting at ``offset``."""
    initial = data[offset]
    major, info = initial >> 5, initial & 0x1F
    offset += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        width = 1 << (info - 24)
        argument = int.from_bytes(data[offset : offset + width], "big")
        offset += width
    else:
        raise SearchIndexError(f"CBOR tidak didukung (byte awal {initial:#x})")
    if major == 0:
        return argument, offset
    if major == 1:
        return -1 - argument, offset
    if major in (2, 3):
        raw = data[offset : offset + argument]
        return (raw.decode("utf-8") if major == 3 else raw), offset + argument
    if major == 4:
        items: list[Any] = []
        for _ in range(argument):
            item, offset = _read_cbor(data, offset)
            items.append(item)
        return items, offset
    if major == 5:
        mapping: dict[Any, Any] = {}
        for _ in range(argument):
            key, offset = _read_cbor(data, offset)
            mapping[key], offset = _read_cbor(data, offset)
        return mapping, offset
    raise SearchIndexError(f"CBOR tidak didukung (jenis {major})")
