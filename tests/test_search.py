"""The portal's search index: words, records made from pages, the index files, incremental
updates equal to a build from nothing, and the index of a real portal build."""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from browser_helpers import CONTRACT_RELEASES, mkdocs_build, write_contract_project
from conftest import PortalRepo

from generator import search
from generator.search import (
    INDEX_DIR,
    OWN_FILE_THRESHOLD,
    SearchIndexError,
    SearchRecord,
    build_index,
    document_id,
    fragment_path,
    index_site,
    postings_path,
    record_from_html,
    slug,
    stamped_meta,
    terms_of,
    time_key,
    update_index,
)

RELEASE_PAGE = """\
<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{title} - Portal</title></head>
<body>
<nav>Menu navigasi beranda wilayah arsip</nav>
<article data-pagefind-body>
<h1>{title}</h1>
<div hidden data-pagefind-ignore>
<span data-pagefind-filter="wilayah">{wilayah}</span>
<span data-pagefind-filter="provinsi">{provinsi}</span>
<span data-pagefind-filter="kategori">{kategori}</span>
<span data-pagefind-filter="jenis">Berita</span>
<span data-pagefind-filter="tahun">{iso_date:.4}</span>
<span data-pagefind-sort="tanggal">{iso_date}</span>
<span data-pagefind-meta="wilayah">{wilayah}</span>
<span data-pagefind-meta="tanggal">{local_date}</span>
</div>
<p class="meta" data-pagefind-ignore>Bagikan tautan rahasia</p>
<p>{body}</p>
</article>
<footer>Hak cipta pemerintah</footer>
</body></html>
"""


def release_page(**fields: str) -> str:
    values = {
        "title": "Pembangunan Jalan Lingkungan",
        "wilayah": "Kota Bandung",
        "provinsi": "Jawa Barat",
        "kategori": "Infrastruktur",
        "iso_date": "2024-05-18T09:30:00Z",
        "local_date": "Sabtu, 18 Mei 2024 16.30 WIB",
        "body": "Pemerintah mempercepat pembangunan jalan lingkungan.",
    }
    values.update(fields)
    return RELEASE_PAGE.format(**values)


def make_record(url: str, **fields: str) -> SearchRecord:
    record = record_from_html(url, release_page(**fields))
    assert record is not None
    return record


# --- words ---------------------------------------------------------------------------------------


def test_word_forms_share_a_stem() -> None:
    assert terms_of("membangun pembangunan dibangun") == ["bangun"] * 3
    assert terms_of("kesehatan sehat") == ["sehat", "sehat"]


def test_terms_fold_case_and_accents_and_drop_stopwords_and_odd_tokens() -> None:
    assert terms_of("CAFÉ Ｒｐ5") == ["cafe", "rp5"]
    assert terms_of("yang dan di untuk") == []
    assert terms_of("a " + "x" * 41 + " jalan-jalan") == ["jalan", "jalan"]


def test_slug_and_postings_path() -> None:
    assert re.fullmatch(r"jawa-barat-[0-9a-f]{6}", slug("Jawa Barat"))
    assert slug("Nusa Tenggara Timur (NTT)").startswith("nusa-tenggara-timur-ntt-")
    assert slug("Jawa-Barat") != slug("Jawa Barat")  # one file per label, whatever folds alike
    assert re.fullmatch(r"x-[0-9a-f]{6}", slug("—"))
    assert postings_path(2024, "bangun", OWN_FILE_THRESHOLD) == "kata/2024/bangun.txt"
    assert postings_path(2024, "bangun", OWN_FILE_THRESHOLD - 1) == "kata/2024/ban.json"
    assert postings_path(2024, "ré", 500) == "kata/2024/_.json"
    # Names Windows refuses are never written (a site is previewed on Windows too).
    assert postings_path(2024, "con", OWN_FILE_THRESHOLD) == "kata/2024/con_.txt"
    assert postings_path(2024, "auxiliary", 1) == "kata/2024/aux_.json"
    assert postings_path(2024, "com1", OWN_FILE_THRESHOLD) == "kata/2024/com1_.txt"


def test_time_keys_sort_newest_first() -> None:
    keys = [
        time_key(2024, "2024-12-31T16:59:00Z"),
        time_key(2024, "2024-05-18T09:30:00Z"),
        time_key(2024, "2024-01-01T00:00:00+07:00"),
    ]
    assert keys == sorted(keys)
    assert time_key(0, "") == "0000" < keys[0]


def test_document_ids_are_stable_and_filename_safe() -> None:
    assert document_id("kota-bandung/") == document_id("kota-bandung/")
    assert re.fullmatch(r"[0-9a-v]{10}", document_id("kota-bandung/"))
    assert document_id("a/") != document_id("b/")


# --- records -------------------------------------------------------------------------------------


def test_record_reads_the_contract_and_only_the_indexed_text() -> None:
    record = make_record("kota-bandung/2024/jalan/")
    assert record.year == 2024
    assert record.filters == (
        ("jenis", "Berita"),
        ("kategori", "Infrastruktur"),
        ("provinsi", "Jawa Barat"),
        ("wilayah", "Kota Bandung"),
    )
    fragment = json.loads(record.fragment)
    assert fragment == {
        "url": "kota-bandung/2024/jalan/",
        "judul": "Pembangunan Jalan Lingkungan",
        "wilayah": "Kota Bandung",
        "tanggal": "Sabtu, 18 Mei 2024 16.30 WIB",
        "jenis": "Berita",
        "isi": "Pemerintah mempercepat pembangunan jalan lingkungan.",
    }
    stems = dict(record.weights)
    # Navigation, footer, ignored and hidden parts are not indexed; the region's name is.
    assert "navigasi" not in stems and "cipta" not in stems and "rahasia" not in stems
    assert "bandung" in stems
    # Title words weigh more than body words; every weight fits one character.
    assert stems["bangun"] > stems["perintah"]
    assert all(1 <= weight <= 31 for weight in stems.values())


def test_inline_elements_do_not_split_words_and_blocks_do() -> None:
    record = make_record("x/", body="<b>Ke</b>menterian</p><p>jalan<br>raya")
    assert json.loads(record.fragment)["isi"] == "Kementerian jalan raya"
    assert "menteri" in dict(record.weights)


def test_pages_without_the_contract_are_not_indexed() -> None:
    assert record_from_html("arsip/", "<html><body><h1>Arsip</h1></body></html>") is None


def test_undated_pages_go_to_partition_zero() -> None:
    html = (
        "<html><body><section data-pagefind-body><h1>Kota Bandung</h1><p>Kontak humas</p>"
        '<div hidden data-pagefind-ignore><span data-pagefind-filter="jenis">Wilayah</span>'
        "</div></section></body></html>"
    )
    record = record_from_html("kota-bandung/", html)
    assert record is not None
    assert (record.year, record.time_key, record.filters) == (0, "0000", (("jenis", "Wilayah"),))


def test_record_round_trips_through_json() -> None:
    record = make_record("x/")
    assert SearchRecord.from_json(record.to_json()) == record


# --- the index files -------------------------------------------------------------------------


def test_index_layout_meta_dictionary_postings_filters_and_fragments() -> None:
    new = make_record("a/", iso_date="2024-06-01T00:00:00Z", title="Jalan Baru")
    old = make_record("b/", iso_date="2024-02-01T00:00:00Z", title="Jalan Lama")
    other_year = make_record("c/", iso_date="2023-02-01T00:00:00Z", provinsi="Papua")
    files = build_index([old, other_year, new])
    meta = json.loads(files["meta.json"])
    assert meta["versi"] == 1 and meta["dokumen"] == 3 and meta["tahun"] == [2024, 2023]
    # Every dictionary bucket is listed (a query asks for no other), and a stamp of the files.
    assert meta["kamus"] == sorted(p[6:8] for p in files if p.startswith("kamus/"))
    assert re.fullmatch(r"[0-9a-f]{16}", meta["stempel"])
    provinces = {v["label"]: v["tahun"] for v in meta["saringan"]["provinsi"]}
    assert provinces == {"Jawa Barat": [2024], "Papua": [2023]}
    assert [v["label"] for v in meta["saringan"]["tahun"]] == ["2024", "2023"]
    assert json.loads(files["kamus/ja.json"])["jalan"] == [[2024, 2], [2023, 1]]
    postings = json.loads(files["kata/2024/jal.json"])["jalan"]
    assert [postings[i + 4 : i + 14] for i in range(0, len(postings), 15)] == [
        new.doc_id,
        old.doc_id,
    ]
    assert files[f"saring/2023/provinsi/{slug('Papua')}.txt"].decode()[4:14] == other_year.doc_id
    assert json.loads(files[fragment_path(new.doc_id)])["judul"] == "Jalan Baru"
    assert all(not path.startswith("saring/2024/tahun") for path in files)


def test_a_common_stem_gets_its_own_file() -> None:
    records = [make_record(f"r{n}/", body=f"Banjir nomor {n}.") for n in range(OWN_FILE_THRESHOLD)]
    files = build_index(records)
    assert len(files["kata/2024/banjir.txt"]) == 15 * OWN_FILE_THRESHOLD
    assert "banjir" not in json.loads(files.get("kata/2024/ban.json", b"{}"))


def test_few_changes_to_a_long_list_merge_like_many() -> None:
    """The string-search path for one edit in a long list equals sorting the whole list."""
    rng = random.Random(3)

    def posting() -> str:
        return "".join(rng.choice(search.ALPHABET) for _ in range(15))

    for _ in range(200):
        old = sorted({posting() for _ in range(rng.randint(40, 300))})
        removed = {p[4:14] for p in rng.sample(old, rng.randint(0, 2))}
        added = [posting() for _ in range(rng.randint(0, 2))]
        text = "".join(old)
        expected = "".join(sorted([p for p in old if p[4:14] not in removed] + added))
        assert search._merge_few(text, removed, added) == expected
        assert search._merge(text, removed, added) == expected


def test_two_pages_with_one_id_are_refused() -> None:
    first = make_record("a/")
    clash = SearchRecord("b/", first.doc_id, 2024, "0000", (), (), "{}")
    with pytest.raises(SearchIndexError, match="nomor indeks pencarian"):
        build_index([first, clash])


def apply(files: dict[str, bytes], changes: dict[str, bytes | None]) -> dict[str, bytes]:
    """The index files after ``changes``, with meta.json stamped as a build stamps it."""
    merged = dict(files)
    for path, data in changes.items():
        if data is None:
            del merged[path]
        else:
            merged[path] = data
    if "meta.json" in merged:
        digests = {path: hashlib.sha256(data).hexdigest() for path, data in merged.items()}
        merged["meta.json"] = stamped_meta(merged["meta.json"], digests)
    return merged


def test_random_updates_equal_a_build_from_nothing() -> None:
    """Forty rounds of edits, additions, removals and moves between years (and a stem crossing
    the own-file threshold both ways) applied to the previous index files give the same bytes
    as building the index from the records of that moment."""
    rng = random.Random(6)
    words = ["banjir", "jalan", "vaksin", "pasar", "sekolah"]
    provinces = ["Jawa Barat", "Papua", "Bali"]

    def random_record(url: str) -> SearchRecord:
        year = rng.choice(["2023", "2024", "2025"])
        body = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        return make_record(
            url,
            iso_date=f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T0{rng.randint(0, 9)}:00Z",
            body=body,
            provinsi=rng.choice(provinces),
            title=rng.choice(words).title(),
        )

    current: dict[str, SearchRecord] = {f"r{n}/": random_record(f"r{n}/") for n in range(90)}
    files = build_index(current.values())
    own_files = {path for path in files if path.startswith("kata/") and path.endswith(".txt")}
    moved = 0
    for _round in range(40):
        before = dict(current)
        for _ in range(rng.randint(1, 12)):
            url = f"r{rng.randint(0, 120)}/"
            if url in current and rng.random() < 0.4:
                del current[url]
            else:
                current[url] = random_record(url)
        removed = [r for u, r in before.items() if current.get(u) != r]
        added = [r for u, r in current.items() if before.get(u) != r]
        years = {r.year for r in removed} | {r.year for r in added}
        changes = update_index(
            files.get,
            [
                (y, [r for r in removed if r.year == y], [r for r in added if r.year == y])
                for y in sorted(years, reverse=True)
            ],
        )
        files = apply(files, changes)
        assert files == build_index(current.values())
        now = {path for path in files if path.startswith("kata/") and path.endswith(".txt")}
        moved += len(now ^ own_files)
        own_files = now
    # Stems had files of their own, and moved between their own file and a shared one.
    assert own_files and moved >= 2


def test_removing_every_document_empties_the_index() -> None:
    record = make_record("a/")
    files = build_index([record])
    assert apply(files, update_index(files.get, [(2024, [record], [])])) == {}


# --- a real build ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contract")
    site = mkdocs_build(write_contract_project(root))
    index_site(site)
    return site


def test_index_site_indexes_a_plain_material_site_and_ships_no_lunr_index(
    contract_site: Path,
) -> None:
    meta = json.loads((contract_site / INDEX_DIR / "meta.json").read_text(encoding="utf-8"))
    public = [release for release in CONTRACT_RELEASES if not release.withdrawn]
    assert meta["dokumen"] == len(public)
    assert not list(contract_site.rglob("search_index.json"))
    assert not (contract_site / "search").exists()
    for release in CONTRACT_RELEASES:
        fragment = contract_site / INDEX_DIR / fragment_path(document_id(release.url))
        assert fragment.is_file() != release.withdrawn


def test_index_site_rejects_a_missing_site(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="tidak ditemukan"):
        index_site(tmp_path / "nowhere")


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


def test_search_page_loads_its_code_from_the_site_itself(contract_site: Path) -> None:
    html = (contract_site / "cari" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/search.js"></script>' in html
    assert (contract_site / "assets" / "search.js").is_file()
    assert (contract_site / "assets" / "search.css").is_file()
    scripts_and_styles = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert scripts_and_styles
    assert not [url for url in scripts_and_styles if re.match(r"(?:https?:)?//", url)]
    assert "pagefind" not in html
    assert "<noscript>" in html


def index_tree(site: Path) -> dict[str, bytes]:
    folder = site / INDEX_DIR
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_portal_build_indexes_releases_regions_and_offices(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(
        body="Pemerintah mempercepat pembangunan jalan lingkungan di tiga kecamatan.\n"
    )
    portal_repo.write_config(extra_plugin_options="search: true")
    site = mkdocs_build(portal_repo.root / "mkdocs.yml")
    files = index_tree(site)
    meta = json.loads(files["meta.json"])
    kinds = {value["label"] for value in meta["saringan"]["jenis"]}
    assert {"Wilayah", "Kantor"} <= kinds
    assert "Kota Bandung" in {value["label"] for value in meta["saringan"]["wilayah"]}
    assert "2024" in {value["label"] for value in meta["saringan"]["tahun"]}
    assert 2024 in json.loads(files["kamus/ba.json"])["bangun"][0]
    assert not list(site.rglob("search_index.json"))
    # The same index as one built from the finished pages by index_site.
    copy = site.parent / "copy"
    shutil.copytree(site, copy)
    index_site(copy)
    assert index_tree(copy) == files


def test_a_lost_search_cache_rebuilds_the_same_index(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(body="Pembangunan jalan lingkungan.\n")
    portal_repo.write_config(extra_plugin_options="search: true")
    site = mkdocs_build(portal_repo.root / "mkdocs.yml")
    before = index_tree(site)
    shutil.rmtree(portal_repo.root / ".cache" / "portal" / "search" / "files")
    portal_repo.write_release(
        date="2024-06-01 10:00",
        slug="pasar",
        title='"Revitalisasi Pasar"',
        body="Pasar rakyat dibuka.\n",
    )
    site = mkdocs_build(portal_repo.root / "mkdocs.yml")
    after = index_tree(site)
    assert "pasar" in json.loads(after["kamus/pa.json"])
    assert set(before) - set(after) <= {path for path in before if path.startswith("kata/")}
    # Records and index files both gone, pages still cached: made again from the pages.
    for folder in ("files", "records"):
        shutil.rmtree(portal_repo.root / ".cache" / "portal" / "search" / folder)
    portal_repo.write_release(date="2024-06-02 10:00", slug="pasar-dua", body="Pasar ikan.\n")
    again = index_tree(mkdocs_build(portal_repo.root / "mkdocs.yml"))
    assert "ikan" in json.loads(again["kamus/ik.json"])
    shutil.rmtree(portal_repo.root / ".cache")
    assert index_tree(mkdocs_build(portal_repo.root / "mkdocs.yml")) == again
