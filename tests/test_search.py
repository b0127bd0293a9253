"""Pagefind index of the built site (real Pagefind runs) and the search markup in a real build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_helpers import CONTRACT_RELEASES, mkdocs_build, write_contract_project
from conftest import PortalRepo, make_settings

from generator import search
from generator.search import SearchIndexError, index_site, indexed_filter_values

RELEASE_PAGE = """\
<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<nav>Menu navigasi beranda wilayah arsip</nav>
<article data-pagefind-body>
<h1>{title}</h1>
<div hidden data-pagefind-ignore>
<span data-pagefind-filter="wilayah">{wilayah}</span>
<span data-pagefind-filter="provinsi">{provinsi}</span>
<span data-pagefind-filter="kategori">{kategori}</span>
<span data-pagefind-filter="jenis">Siaran Pers</span>
<span data-pagefind-filter="tahun">{iso_date:.4}</span>
<span data-pagefind-sort="tanggal">{iso_date}</span>
<span data-pagefind-meta="wilayah">{wilayah}</span>
<span data-pagefind-meta="tanggal">{local_date}</span>
</div>
<p>{body}</p>
</article>
</body></html>
"""

UNINDEXED_PAGE = """\
<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1><p>{body}</p></article></body></html>
"""


def write_small_site(site: Path) -> None:
    """Two release pages, a listing page and a withdrawn release (neither of the last indexed)."""
    pages = {
        "kota-bandung/2024/2024-05-18-jalan/index.html": RELEASE_PAGE.format(
            title="Pembangunan Jalan Lingkungan",
            wilayah="Kota Bandung",
            provinsi="Jawa Barat",
            kategori="Infrastruktur",
            iso_date="2024-05-18T16:30:00+07:00",
            local_date="Sabtu, 18 Mei 2024 16.30 WIB",
            body="Pemerintah mempercepat pembangunan jalan lingkungan.",
        ),
        "kota-jayapura/2023/2023-01-02-vaksin/index.html": RELEASE_PAGE.format(
            title="Vaksinasi Anak",
            wilayah="Kota Jayapura",
            provinsi="Papua",
            kategori="Kesehatan",
            iso_date="2023-01-02T09:00:00+09:00",
            local_date="Senin, 2 Januari 2023 09.00 WIT",
            body="Dinas kesehatan memvaksinasi anak sekolah.",
        ),
        "arsip/index.html": UNINDEXED_PAGE.format(title="Arsip", body="Daftar rilis pembangunan."),
        "kota-bandung/2022/2022-01-01-ditarik/index.html": UNINDEXED_PAGE.format(
            title="Rilis Ditarik", body="Rilis ini ditarik oleh penerbitnya."
        ),
    }
    for relative, html in pages.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write_small_site(site)
    return site


def test_index_site_writes_an_indonesian_index_of_contract_pages(
    small_site: Path, tmp_path: Path
) -> None:
    report = index_site(small_site, make_settings(tmp_path))

    bundle = small_site / "pagefind"
    for name in ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    # One forced Indonesian index, with Pagefind's Indonesian stemmer (wasm.id).
    assert list(entry["languages"]) == ["id"]
    assert (bundle / "wasm.id.pagefind").is_file()
    # Only the two data-pagefind-body pages: the listing and the withdrawn release are not.
    assert entry["languages"]["id"]["page_count"] == 2
    assert report.pages_indexed == 2
    assert len(list((bundle / "fragment").glob("*.pf_fragment"))) == 2
    assert not (bundle / "playground").exists()

    files = [path for path in bundle.rglob("*") if path.is_file()]
    assert report.file_count == len(files)
    assert report.index_bytes == sum(path.stat().st_size for path in files)
    assert report.elapsed_seconds > 0


def test_index_site_records_every_contract_filter(small_site: Path, tmp_path: Path) -> None:
    index_site(small_site, make_settings(tmp_path))

    assert indexed_filter_values(small_site) == {
        "jenis": ("Siaran Pers",),
        "kategori": ("Infrastruktur", "Kesehatan"),
        "provinsi": ("Jawa Barat", "Papua"),
        "tahun": ("2023", "2024"),
        "wilayah": ("Kota Bandung", "Kota Jayapura"),
    }
    assert set(indexed_filter_values(small_site)) == set(search.FILTER_NAMES)


def test_index_site_records_sort_key_and_metadata(small_site: Path, tmp_path: Path) -> None:
    index_site(small_site, make_settings(tmp_path))

    import gzip

    (meta_file,) = (small_site / "pagefind").glob("pagefind.*.pf_meta")
    meta = gzip.decompress(meta_file.read_bytes())
    assert search.SORT_NAME.encode() in meta
    fragments = b"".join(
        gzip.decompress(path.read_bytes())
        for path in sorted((small_site / "pagefind" / "fragment").glob("*.pf_fragment"))
    )
    assert b"Senin, 2 Januari 2023 09.00 WIT" in fragments
    assert b"Kota Jayapura" in fragments
    # The navigation outside data-pagefind-body is not part of any record.
    assert b"Menu navigasi" not in fragments


def test_index_site_replaces_a_previous_index(small_site: Path, tmp_path: Path) -> None:
    stale = small_site / "pagefind" / "fragment" / "stale.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")

    index_site(small_site, make_settings(tmp_path))

    assert not stale.exists()
    assert (small_site / "pagefind" / "pagefind-entry.json").is_file()


def bundle_bytes(site: Path) -> dict[str, bytes]:
    bundle = site / "pagefind"
    return {
        path.relative_to(bundle).as_posix(): path.read_bytes()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


def test_bundle_is_byte_identical_across_runs(small_site: Path, tmp_path: Path) -> None:
    """Pagefind alone varies filter order between runs (Pagefind/pagefind#638); the
    canonicalized bundle does not."""
    index_site(small_site, make_settings(tmp_path))
    first = bundle_bytes(small_site)
    for _ in range(3):
        index_site(small_site, make_settings(tmp_path))
        assert bundle_bytes(small_site) == first


def test_canonical_chunks_are_sorted_and_named_by_content(small_site: Path, tmp_path: Path) -> None:
    import hashlib

    index_site(small_site, make_settings(tmp_path))
    bundle = small_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_file = bundle / f"pagefind.{entry['languages']['id']['hash']}.pf_meta"
    assert [path.name for path in bundle.glob("*.pf_meta")] == [meta_file.name]

    meta = search._read_chunk(meta_file)
    filter_list = meta[search._META_FILTERS]
    assert [name for name, _ in filter_list] == sorted(search.FILTER_NAMES)
    for _, chunk_hash in filter_list:
        chunk_file = bundle / "filter" / f"{chunk_hash}.pf_filter"
        name, values = search._read_chunk(chunk_file)
        assert [value for value, _ in values] == sorted(value for value, _ in values)
        digest = hashlib.sha256(search._write_cbor([name, values])).hexdigest()
        assert chunk_hash == f"id_{digest[:7]}"
    assert len(list((bundle / "filter").iterdir())) == len(filter_list)


def test_cbor_writer_reproduces_pagefinds_own_encoding(small_site: Path, tmp_path: Path) -> None:
    """The word-index chunks are untouched Pagefind output: decoding and re-encoding them must
    give back the same bytes, so rewritten filter and meta files are encoded the same way."""
    import gzip

    index_site(small_site, make_settings(tmp_path))
    chunks = sorted((small_site / "pagefind" / "index").glob("*.pf_index"))
    assert chunks
    for chunk in chunks:
        raw = gzip.decompress(chunk.read_bytes())
        item, end = search._read_cbor(raw, len(search._CHUNK_MARKER))
        assert end == len(raw)
        assert search._write_cbor(item) == raw[len(search._CHUNK_MARKER) :]


def test_index_site_rejects_a_missing_site(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="tidak ditemukan"):
        index_site(tmp_path / "tidak-ada", make_settings(tmp_path))


def test_pagefind_failure_is_a_portal_error(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "tidak-ada" / "pagefind"))
    with pytest.raises(SearchIndexError, match="Pagefind"):
        index_site(small_site, make_settings(tmp_path))


def test_a_torn_bundle_is_written_again(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind killed before its last write landed left an empty entry file: run it again."""
    real_write_index = search._write_index
    runs: list[int] = []

    async def first_run_torn(site_dir: Path, output_dir: Path) -> None:
        await real_write_index(site_dir, output_dir)  # the real Pagefind
        runs.append(len(runs))
        if len(runs) == 1:
            (output_dir / "pagefind-entry.json").write_bytes(b"")

    monkeypatch.setattr(search, "_write_index", first_run_torn)
    report = index_site(small_site, make_settings(tmp_path))

    assert len(runs) == 2
    assert report.pages_indexed == 2
    entry = json.loads((small_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["id"]["page_count"] == 2


def test_a_bundle_torn_every_time_is_a_clear_portal_error(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write_index = search._write_index
    runs: list[int] = []

    async def always_torn(site_dir: Path, output_dir: Path) -> None:
        await real_write_index(site_dir, output_dir)
        runs.append(len(runs))
        meta = next(output_dir.glob("pagefind.*.pf_meta"))
        meta.write_bytes(meta.read_bytes()[:10])  # a gzip stream cut short

    monkeypatch.setattr(search, "_write_index", always_torn)
    with pytest.raises(SearchIndexError, match=r"tidak lengkap \(pagefind\..*pf_meta kosong"):
        index_site(small_site, make_settings(tmp_path))
    assert len(runs) == 2


def test_an_empty_file_in_the_bundle_is_incomplete(small_site: Path, tmp_path: Path) -> None:
    index_site(small_site, make_settings(tmp_path))
    bundle = small_site / "pagefind"
    assert search._incomplete_bundle_problem(bundle) == ""
    fragment = next((bundle / "fragment").glob("*.pf_fragment"))
    fragment.write_bytes(b"")
    assert search._incomplete_bundle_problem(bundle) == f"fragment/{fragment.name} kosong"


def test_wait_until_files_closed_waits_for_a_pending_write(tmp_path: Path) -> None:
    """A process holding a bundle file open (as Pagefind's background writer does) is waited for."""
    import asyncio
    import subprocess
    import sys

    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    target = bundle / "pagefind-entry.json"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "f = open(sys.argv[1], 'w')\n"
            "print('open', flush=True)\n"
            "time.sleep(0.5)\n"
            "f.write('{\"languages\": {}}')\n"
            "f.close()\n"
            "time.sleep(30)\n",
            str(target),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "open\n"
        assert search._open_files_under(writer.pid, bundle) == [str(target.resolve())]
        assert target.read_text() == ""  # what terminating Pagefind now would leave

        asyncio.run(search._wait_until_files_closed(writer.pid, bundle, 20.0))

        assert json.loads(target.read_text()) == {"languages": {}}
        assert search._open_files_under(writer.pid, bundle) == []
    finally:
        writer.kill()
        writer.wait()


def test_result_count_reads_pagefind_ui_messages() -> None:
    assert search._result_count("Ditemukan 12 hasil untuk membangun") == 12
    assert search._result_count("zzz tidak ditemukan") == 0


# --- The search markup in a real Material build ---------------------------------------------


@pytest.fixture(scope="module")
def contract_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contract")
    site = mkdocs_build(write_contract_project(root))
    index_site(site, make_settings(root))
    return site


def test_contract_site_ships_pagefind_and_no_lunr_index(contract_site: Path) -> None:
    assert (contract_site / "pagefind" / "pagefind-entry.json").is_file()
    assert not list(contract_site.rglob("search_index.json"))
    assert not (contract_site / "search").exists()
    # Region and release pages only: one record per non-withdrawn release.
    entry = json.loads((contract_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    public = [release for release in CONTRACT_RELEASES if not release.withdrawn]
    assert entry["languages"]["id"]["page_count"] == len(public)


def test_header_box_is_a_labelled_get_form_to_the_search_page(contract_site: Path) -> None:
    html = (
        contract_site / "kota-bandung" / "2024" / "2024-05-18-jalan-desa" / "index.html"
    ).read_text(encoding="utf-8")
    form = re.search(r'<form class="portal-cari"[^>]*>', html)
    assert form is not None
    assert 'role="search"' in form.group()
    assert 'method="get"' in form.group()
    # Relative to the page, so the portal works below any path.
    assert 'action="../../../cari/"' in form.group()
    assert '<label class="portal-cari__label" for="portal-cari-q">' in html
    assert 'id="portal-cari-q" type="search" name="q"' in html
    # Material's lunr dialog (and its worker hook) is gone.
    assert 'data-md-component="search"' not in html


def test_search_page_loads_pagefind_from_the_site_itself(contract_site: Path) -> None:
    html = (contract_site / "cari" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../pagefind/pagefind-ui.js"></script>' in html
    assert '<link rel="stylesheet" href="../pagefind/pagefind-ui.css">' in html
    assert '<script src="../assets/search.js"></script>' in html
    assert (contract_site / "assets" / "search.js").is_file()
    assert (contract_site / "assets" / "search.css").is_file()
    scripts_and_styles = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert scripts_and_styles
    assert not [url for url in scripts_and_styles if re.match(r"(?:https?:)?//", url)]
    assert 'id="cari"' in html
    assert "<noscript>" in html


# --- The real portal: PortalRepo built by mkdocs with the portal plugin ------------------------


def test_portal_build_with_search_indexes_releases_and_ships_no_lunr_index(
    portal_repo: PortalRepo,
) -> None:
    portal_repo.write_release(
        body="Pemerintah mempercepat pembangunan jalan lingkungan di tiga kecamatan.\n"
    )
    portal_repo.write_config(extra_plugin_options="search: true")
    site = mkdocs_build(portal_repo.root / "mkdocs.yml")

    assert not list(site.rglob("search_index.json"))
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    filters = indexed_filter_values(site)
    assert "Kota Bandung" in filters["wilayah"]
    assert "Jawa Barat" in filters["provinsi"]
    assert "2024" in filters["tahun"]
    assert (site / "cari" / "index.html").is_file()
