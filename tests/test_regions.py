"""The region registry: import from the official CSVs, and validation of every rule."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from generator.model import RegionKind
from generator.regions import import_regions, load_regions, official_regions

DATA = REPO / "data" / "wilayah"


def csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registri")
    import_regions(root, DATA)
    return root


def test_import_matches_the_official_list(imported: Path) -> None:
    registry, problems = load_regions(imported)
    assert problems == []
    regions = list(registry.regions.values())
    by_kind = {kind: [r for r in regions if r.kind is kind] for kind in RegionKind}
    assert len(by_kind[RegionKind.NASIONAL]) == 1
    assert len(by_kind[RegionKind.PROVINSI]) == 38
    assert len(by_kind[RegionKind.KABUPATEN]) == 416
    assert len(by_kind[RegionKind.KOTA]) == 98
    assert {"kemendagri", "komdigi"} <= {r.id for r in by_kind[RegionKind.LEMBAGA]}
    assert all(r.parent == "pusat" for r in by_kind[RegionKind.LEMBAGA])
    assert all(r.parent == "pusat" for r in by_kind[RegionKind.PROVINSI])
    provinces = {row["code"]: row for row in csv_rows("provinces.csv")}
    province_ids = {r.code: r.id for r in by_kind[RegionKind.PROVINSI]}
    assert set(province_ids) == set(provinces)
    codes = {r.code: r for r in regions}
    for row in csv_rows("regencies.csv"):
        region = codes[row["code"]]
        assert region.name == row["name"]
        assert region.parent == province_ids[row["province_code"]]
        assert region.kind is (
            RegionKind.KOTA if row["name"].startswith("Kota ") else RegionKind.KABUPATEN
        )
    # registry order: the nation, institutions, then by Kemendagri code
    assert regions[0].id == "pusat"
    assert [r.code for r in regions[1 + len(by_kind[RegionKind.LEMBAGA]) :]] == sorted(
        r.code
        for r in by_kind[RegionKind.PROVINSI]
        + by_kind[RegionKind.KABUPATEN]
        + by_kind[RegionKind.KOTA]
    )


@pytest.mark.parametrize(
    ("region_id", "code", "zone", "label"),
    [
        ("kota-jayapura", "91.71", "Asia/Jayapura", "WIT"),
        ("kota-makassar", "73.71", "Asia/Makassar", "WITA"),
        ("kota-pontianak", "61.71", "Asia/Pontianak", "WIB"),
        ("kota-bandung", "32.73", "Asia/Jakarta", "WIB"),
        ("kota-denpasar", "51.71", "Asia/Makassar", "WITA"),
        ("kota-ambon", "81.71", "Asia/Jayapura", "WIT"),
        ("kabupaten-bandung", "32.04", "Asia/Jakarta", "WIB"),
    ],
)
def test_codes_and_zones(imported: Path, region_id: str, code: str, zone: str, label: str) -> None:
    registry, _ = load_regions(imported)
    region = registry.get(region_id)
    assert region is not None
    assert (region.code, region.timezone, region.zone_label) == (code, zone, label)


def test_import_is_idempotent_and_keeps_hand_edits(tmp_path: Path) -> None:
    written, unchanged = import_regions(tmp_path, DATA)
    assert (written, unchanged) == (len(official_regions(DATA)), 0)
    bandung = tmp_path / "regions" / "kota-bandung.yml"
    bandung.write_text(
        bandung.read_text(encoding="utf-8").replace(
            "maintainers: []", "maintainers:\n- '@humas-bandung'"
        ),
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in (tmp_path / "regions").iterdir()}
    assert import_regions(tmp_path, DATA) == (0, len(before))
    after = {p.name: p.read_bytes() for p in (tmp_path / "regions").iterdir()}
    assert after == before


def test_committed_registry_is_the_import(imported: Path) -> None:
    """regions/ in the repository is exactly what the import writes (apart from hand edits)."""
    registry, problems = load_regions(REPO)
    assert problems == []
    official, _ = load_regions(imported)
    for region_id, region in official.regions.items():
        committed = registry.get(region_id)
        assert committed is not None, region_id
        assert (committed.code, committed.name, committed.kind, committed.parent) == (
            region.code,
            region.name,
            region.kind,
            region.parent,
        )
        assert committed.timezone == region.timezone


# --- validation --------------------------------------------------------------------------


def small_registry(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "regions").mkdir(parents=True)
    for region_id in ("pusat", "jawa-barat", "kota-bandung", "kabupaten-bandung"):
        shutil.copy(REPO / "regions" / f"{region_id}.yml", root / "regions")
    return root


def edit(root: Path, region_id: str, old: str, new: str) -> None:
    path = root / "regions" / f"{region_id}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_of(root: Path) -> set[tuple[str, str, int]]:
    _, problems = load_regions(root)
    return {(d.path, d.code, d.line) for d in problems}


BANDUNG = "regions/kota-bandung.yml"


def test_small_registry_is_valid(tmp_path: Path) -> None:
    assert problems_of(small_registry(tmp_path)) == set()


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("timezone: Asia/Jakarta", "timezone: Asia/Jakarta\nzona: WIB", "REG002"),
        ("code: '32.73'", "code: '32.7'", "REG006"),
        ("code: '32.73'", "code: 32.73a", "REG006"),
        ("code: '32.73'", "code: '33.73'", "REG006"),  # not under its province's code
        ("parent: jawa-barat", "parent: jawa-barrat", "REG008"),
        ("parent: jawa-barat", "parent: kabupaten-bandung", "REG009"),
        ("kind: kota", "kind: kotamadya", "REG007"),
        ("timezone: Asia/Jakarta", "timezone: Asia/Tokyo", "REG011"),
        ("timezone: Asia/Jakarta", "timezone: WIB", "REG011"),
        ("id: kota-bandung", "id: kota-bandung-baru", "REG004"),
        ("name: Kota Bandung\n", "", "REG003"),
        ("maintainers: []", "maintainers: humas bandung", "REG014"),
        ("maintainers: []", "maintainers:\n- 'humas bandung!'", "REG014"),
        ("office:\n", "office:\n  fax: '022'\n", "REG002"),
    ],
)
def test_invalid_region(tmp_path: Path, old: str, new: str, code: str) -> None:
    root = small_registry(tmp_path)
    edit(root, "kota-bandung", old, new)
    found = problems_of(root)
    assert code in {c for path, c, _ in found if path == BANDUNG}, found
    registry, _ = load_regions(root)
    assert "kota-bandung" not in registry  # an invalid region is left out


def test_problems_have_the_value_line(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    edit(root, "kota-bandung", "timezone: Asia/Jakarta", "timezone: Asia/Tokyo")
    assert (BANDUNG, "REG011", 9) in problems_of(root)


def test_cyclic_parents(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    edit(root, "jawa-barat", "parent: pusat", "parent: kota-bandung")
    found = problems_of(root)
    assert ("regions/jawa-barat.yml", "REG010", 8) in found


def test_duplicate_codes(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    edit(root, "kota-bandung", "code: '32.73'", "code: '32.04'")
    edit(root, "kota-bandung", "kind: kota", "kind: kabupaten")
    found = problems_of(root)
    # reported on the file that comes second, naming the first
    assert found == {(BANDUNG, "REG012", 5)}
    _, problems = load_regions(root)
    assert "regions/kabupaten-bandung.yml" in problems[0].message


def test_yaml_problems_in_the_registry(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    edit(root, "kota-bandung", "kind: kota", "kind: kota\nkind: kabupaten")
    edit(root, "kabupaten-bandung", "code: '32.04'", "code: !!python/object:os.system '32.04'")
    found = problems_of(root)
    assert (BANDUNG, "YAML004", 8) in found
    assert ("regions/kabupaten-bandung.yml", "YAML002", 5) in found


def test_unsigned_code_is_never_a_number(tmp_path: Path) -> None:
    # YAML 1.1 would read 32.10 as the float 32.1; the registry keeps it as written.
    root = small_registry(tmp_path)
    edit(root, "kota-bandung", "code: '32.73'", "code: 32.79")
    registry, problems = load_regions(root)
    assert problems == []
    region = registry.get("kota-bandung")
    assert region is not None and region.code == "32.79"


def test_reserved_ids(tmp_path: Path) -> None:
    root = small_registry(tmp_path)
    text = (root / "regions" / "kota-bandung.yml").read_text(encoding="utf-8")
    (root / "regions" / "kantor.yml").write_text(
        text.replace("id: kota-bandung", "id: kantor").replace("'32.73'", "'32.79'"),
        encoding="utf-8",
    )
    assert problems_of(root) == {("regions/kantor.yml", "REG015", 4)}
