"""Stage 1: the region registry (``regions/<id>.yml``) — loading, validating, importing.

The registry is the list of publishers: ``pusat`` (the nation), central institutions
(``lembaga``), the 38 provinces and the 514 kabupaten/kota from the official Kemendagri list.
It is validated with the same rigour as releases: unknown keys, bad codes, unknown or cyclic
parents and invalid time zones are reported as ``path:line:col: CODE message``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from . import strictyaml as sy
from .diagnostics import Diagnostic, DiagnosticSink
from .model import ZONE_LABELS, Office, Region, RegionKind
from .sources import read_source

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: First URL segments the portal itself uses (see ARCHITECTURE.md, "Public URLs"); a region
#: with one of these ids would have its page at the same address as a portal page.
RESERVED_IDS = frozenset(
    {
        "wilayah",
        "kategori",
        "jenis",
        "topik",
        "arsip",
        "kantor",
        "rss",
        "cari",
        "feeds",
        "halaman",
        "assets",
        "pagefind",
        "search",
        "tentang",
        "404",
        "sitemap",
    }
)
_REGION_KEYS = ("id", "code", "name", "kind", "parent", "timezone", "office", "maintainers")
_REQUIRED_KEYS = ("id", "code", "name", "kind", "timezone")
_OFFICE_KEYS = ("name", "website", "email", "phone", "address")
_MAINTAINER_RE = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]+)?$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_REGION_FILE_BYTES = 64 * 1024

#: Code shapes by kind. Kemendagri: province ``32``; after the dot 01–29 is a kabupaten and
#: 71–79 a kota. The nation and central institutions have no Kemendagri area code; the
#: registry gives them ``00`` and ``00.NN`` so that codes stay unique and sortable.
_CODE_PATTERNS = {
    RegionKind.NASIONAL: re.compile(r"^00$"),
    RegionKind.LEMBAGA: re.compile(r"^00\.\d{2}$"),
    RegionKind.PROVINSI: re.compile(r"^[1-9]\d$"),
    RegionKind.KABUPATEN: re.compile(r"^[1-9]\d\.(0[1-9]|[12]\d)$"),
    RegionKind.KOTA: re.compile(r"^[1-9]\d\.7\d$"),
}
_PARENT_KIND = {
    RegionKind.NASIONAL: None,
    RegionKind.LEMBAGA: RegionKind.NASIONAL,
    RegionKind.PROVINSI: RegionKind.NASIONAL,
    RegionKind.KABUPATEN: RegionKind.PROVINSI,
    RegionKind.KOTA: RegionKind.PROVINSI,
}

#: Time zone of every province by its code (Keppres 41/1987; Kalimantan Barat and Tengah use
#: the Asia/Pontianak zone, which is WIB too).
PROVINCE_TIMEZONES: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"], "Asia/Jakarta"
        ),
        **dict.fromkeys(["31", "32", "33", "34", "35", "36"], "Asia/Jakarta"),
        "61": "Asia/Pontianak",
        "62": "Asia/Pontianak",
        **dict.fromkeys(["51", "52", "53", "63", "64", "65"], "Asia/Makassar"),
        **dict.fromkeys(["71", "72", "73", "74", "75", "76"], "Asia/Makassar"),
        **dict.fromkeys(["81", "82", "91", "92", "93", "94", "95", "96"], "Asia/Jayapura"),
    }
)

#: Publishers that are not areas: the nation and the central institutions that the import
#: command adds besides the official area list. Offices may add more by hand.
CENTRAL_PUBLISHERS: tuple[tuple[str, str, str, RegionKind, str], ...] = (
    ("pusat", "00", "Pemerintah Pusat", RegionKind.NASIONAL, "Humas Pemerintah Pusat"),
    (
        "kemendagri",
        "00.01",
        "Kementerian Dalam Negeri",
        RegionKind.LEMBAGA,
        "Pusat Penerangan Kementerian Dalam Negeri",
    ),
    (
        "komdigi",
        "00.02",
        "Kementerian Komunikasi dan Digital",
        RegionKind.LEMBAGA,
        "Biro Hubungan Masyarakat Kementerian Komunikasi dan Digital",
    ),
    (
        "kemenkes",
        "00.03",
        "Kementerian Kesehatan",
        RegionKind.LEMBAGA,
        "Biro Komunikasi dan Pelayanan Publik Kementerian Kesehatan",
    ),
    (
        "bnpb",
        "00.04",
        "Badan Nasional Penanggulangan Bencana",
        RegionKind.LEMBAGA,
        "Pusat Data, Informasi dan Komunikasi Kebencanaan BNPB",
    ),
)


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class RegionRegistry:
    """Validated regions in registry order: nation, institutions, then by Kemendagri code."""

    regions: Mapping[str, Region]

    def __contains__(self, region_id: object) -> bool:
        return region_id in self.regions

    def __len__(self) -> int:
        return len(self.regions)

    def get(self, region_id: str) -> Region | None:
        return self.regions.get(region_id)


def _order_key(region: Region) -> tuple[int, str]:
    rank = {RegionKind.NASIONAL: 0, RegionKind.LEMBAGA: 1}.get(region.kind, 2)
    return (rank, region.code)


def load_regions(
    root: Path, regions_dir: str = "regions"
) -> tuple[RegionRegistry, list[Diagnostic]]:
    """Read and validate every ``regions/*.yml``. Invalid files are left out and reported."""
    sink = DiagnosticSink()
    folder = root / regions_dir
    parsed: dict[str, tuple[Region, sy.Mapping]] = {}
    if not folder.is_dir():
        sink.error(regions_dir, 1, 1, "REG001", "folder registri wilayah tidak ditemukan")
        return RegionRegistry(MappingProxyType({})), list(sink.items)
    for path in sorted(folder.iterdir()):
        rel = f"{regions_dir}/{path.name}"
        if path.name.startswith(".") or path.suffix not in (".yml", ".yaml"):
            continue
        if path.suffix == ".yaml":
            sink.error(rel, 1, 1, "REG004", "gunakan akhiran .yml, bukan .yaml")
            continue
        region_and_tree = _load_region_file(path, rel, sink)
        if region_and_tree is not None:
            region, tree = region_and_tree
            if region.id in parsed:
                continue  # impossible: the id equals the unique file name
            parsed[region.id] = region, tree
    _check_relations(parsed, sink)
    ordered = sorted((r for r, _ in parsed.values()), key=_order_key)
    registry = RegionRegistry(MappingProxyType({r.id: r for r in ordered}))
    return registry, list(sink.items)


def _load_region_file(
    path: Path, rel: str, sink: DiagnosticSink
) -> tuple[Region, sy.Mapping] | None:
    source, problems = read_source(path, rel, max_bytes=_MAX_REGION_FILE_BYTES)
    sink.extend(problems)
    if source is None:
        return None
    tree, problems = sy.parse(source.text, rel)
    sink.extend(problems)
    if problems:
        return None
    if not isinstance(tree, sy.Mapping):
        sink.error(
            rel, 1, 1, "REG003", "berkas wilayah harus berisi daftar kunci (id, code, name, …)"
        )
        return None
    ok = True
    for entry in tree.entries:
        if entry.key not in _REGION_KEYS:
            sink.error(
                rel,
                entry.key_line,
                entry.key_col,
                "REG002",
                f"kunci '{entry.key}' tidak dikenal; kunci yang sah: {', '.join(_REGION_KEYS)}",
            )
            ok = False
    values: dict[str, str] = {}
    for key in ("id", "code", "name", "kind", "parent", "timezone"):
        field_entry = tree.get(key)
        if field_entry is None:
            if key in _REQUIRED_KEYS:
                sink.error(rel, tree.line, tree.col, "REG003", f"kunci wajib '{key}' tidak ada")
                ok = False
            continue
        value = field_entry.value
        if not isinstance(value, sy.Scalar) or (value.is_null and key != "parent"):
            sink.error(
                rel,
                field_entry.key_line,
                field_entry.key_col,
                "REG003",
                f"'{key}' harus berupa teks, tetapi berisi {sy.describe(value)}",
            )
            ok = False
            continue
        if not value.is_null:
            values[key] = value.value
    stem = path.stem
    region_id = values.get("id", "")
    if region_id and region_id != stem:
        found = tree.get("id")
        assert found is not None
        sink.error(
            rel,
            found.value.line,
            found.value.col,
            "REG004",
            f"id '{region_id}' harus sama dengan nama berkas '{stem}'",
        )
        ok = False
    if region_id and not SLUG_RE.match(region_id):
        found = tree.get("id")
        assert found is not None
        sink.error(
            rel,
            found.value.line,
            found.value.col,
            "REG005",
            f"id '{region_id}' harus huruf kecil, angka dan tanda hubung (contoh: kota-bandung)",
        )
        ok = False
    if region_id in RESERVED_IDS:
        found = tree.get("id")
        assert found is not None
        sink.error(
            rel,
            found.value.line,
            found.value.col,
            "REG015",
            f"id '{region_id}' sudah dipakai untuk alamat halaman portal (/{region_id}/); "
            "pilih id lain",
        )
        ok = False
    kind: RegionKind | None = None
    if "kind" in values:
        try:
            kind = RegionKind(values["kind"])
        except ValueError:
            found = tree.get("kind")
            assert found is not None
            sink.error(
                rel,
                found.value.line,
                found.value.col,
                "REG007",
                f"jenis wilayah '{values['kind']}' tidak dikenal; pilih salah satu: "
                + ", ".join(k.value for k in RegionKind),
            )
            ok = False
    if kind is not None and "code" in values and not _CODE_PATTERNS[kind].match(values["code"]):
        found = tree.get("code")
        assert found is not None
        sink.error(
            rel,
            found.value.line,
            found.value.col,
            "REG006",
            f"kode '{values['code']}' tidak sesuai untuk jenis '{kind.value}' "
            f"(contoh: {_CODE_EXAMPLES[kind]}); tulis kode dalam tanda kutip",
        )
        ok = False
    timezone = values.get("timezone", "")
    if timezone and timezone not in ZONE_LABELS:
        found = tree.get("timezone")
        assert found is not None
        try:
            ZoneInfo(timezone)
            reason = "bukan zona waktu Indonesia"
        except (ZoneInfoNotFoundError, ValueError):
            reason = "bukan nama zona waktu IANA yang sah"
        sink.error(
            rel,
            found.value.line,
            found.value.col,
            "REG011",
            f"zona waktu '{timezone}' {reason}; pilih salah satu: " + ", ".join(ZONE_LABELS),
        )
        ok = False
    office = _read_office(tree, rel, sink)
    maintainers = _read_maintainers(tree, rel, sink)
    if office is None or maintainers is None:
        ok = False
    if not ok or kind is None:
        return None
    assert office is not None and maintainers is not None
    region = Region(
        id=region_id,
        code=values["code"],
        name=values["name"],
        kind=kind,
        parent=values.get("parent"),
        timezone=timezone,
        office=office,
        maintainers=maintainers,
        source_path=rel,
    )
    return region, tree


_CODE_EXAMPLES = {
    RegionKind.NASIONAL: '"00"',
    RegionKind.LEMBAGA: '"00.01"',
    RegionKind.PROVINSI: '"32"',
    RegionKind.KABUPATEN: '"32.04"',
    RegionKind.KOTA: '"32.73"',
}


def _read_office(tree: sy.Mapping, rel: str, sink: DiagnosticSink) -> Office | None:
    entry = tree.get("office")
    if entry is None or (isinstance(entry.value, sy.Scalar) and entry.value.is_null):
        return Office()
    if not isinstance(entry.value, sy.Mapping):
        sink.error(
            rel,
            entry.key_line,
            entry.key_col,
            "REG013",
            f"'office' harus berupa daftar kunci ({', '.join(_OFFICE_KEYS)}), "
            f"tetapi berisi {sy.describe(entry.value)}",
        )
        return None
    fields: dict[str, str | None] = {}
    ok = True
    for item in entry.value.entries:
        if item.key not in _OFFICE_KEYS:
            sink.error(
                rel,
                item.key_line,
                item.key_col,
                "REG002",
                f"kunci 'office.{item.key}' tidak dikenal; kunci yang sah: "
                + ", ".join(_OFFICE_KEYS),
            )
            ok = False
            continue
        if not isinstance(item.value, sy.Scalar):
            sink.error(
                rel, item.key_line, item.key_col, "REG013", f"'office.{item.key}' harus teks"
            )
            ok = False
            continue
        text = None if item.value.is_null else item.value.value.strip()
        if text and item.key == "website" and not re.match(r"^https?://[^\s/]+", text):
            sink.error(
                rel,
                item.value.line,
                item.value.col,
                "REG013",
                f"situs web '{text}' harus diawali http:// atau https://",
            )
            ok = False
        if text and item.key == "email" and not _EMAIL_RE.match(text):
            sink.error(
                rel, item.value.line, item.value.col, "REG013", f"alamat surel '{text}' tidak sah"
            )
            ok = False
        fields[item.key] = text or None
    return Office(**fields) if ok else None


def _read_maintainers(tree: sy.Mapping, rel: str, sink: DiagnosticSink) -> tuple[str, ...] | None:
    entry = tree.get("maintainers")
    if entry is None or (isinstance(entry.value, sy.Scalar) and entry.value.is_null):
        return ()
    if not isinstance(entry.value, sy.Sequence):
        sink.error(
            rel,
            entry.key_line,
            entry.key_col,
            "REG014",
            "'maintainers' harus berupa daftar akun atau tim GitHub (contoh: - '@humas-bandung')",
        )
        return None
    names: list[str] = []
    ok = True
    for item in entry.value.items:
        if not isinstance(item, sy.Scalar) or not _MAINTAINER_RE.match(item.value):
            sink.error(
                rel,
                item.line,
                item.col,
                "REG014",
                "pengelola harus akun GitHub ('@nama') atau tim ('@organisasi/tim')",
            )
            ok = False
            continue
        name = item.value if item.value.startswith("@") else f"@{item.value}"
        names.append(name)
    return tuple(names) if ok else None


def _check_relations(parsed: dict[str, tuple[Region, sy.Mapping]], sink: DiagnosticSink) -> None:
    """Parents must exist, be of the right kind and form no cycle; codes must be unique."""
    invalid: set[str] = set()
    codes: dict[str, str] = {}
    for region, tree in sorted(parsed.values(), key=lambda rt: rt[0].source_path):
        code_entry = tree.get("code")
        assert code_entry is not None
        if region.code in codes:
            sink.error(
                region.source_path,
                code_entry.value.line,
                code_entry.value.col,
                "REG012",
                f"kode '{region.code}' sudah dipakai oleh {codes[region.code]}",
            )
            invalid.add(region.id)
        else:
            codes[region.code] = region.source_path
        entry = tree.get("parent")
        line, col = (entry.value.line, entry.value.col) if entry else (tree.line, tree.col)
        expected = _PARENT_KIND[region.kind]
        if region.parent is None:
            if expected is not None:
                sink.error(
                    region.source_path,
                    line,
                    col,
                    "REG008",
                    f"wilayah berjenis '{region.kind.value}' wajib punya 'parent'",
                )
                invalid.add(region.id)
            continue
        parent = parsed.get(region.parent)
        if parent is None:
            sink.error(
                region.source_path,
                line,
                col,
                "REG008",
                f"parent '{region.parent}' tidak ada di registri wilayah",
            )
            invalid.add(region.id)
            continue
        if _has_cycle(region.id, parsed):
            sink.error(
                region.source_path,
                line,
                col,
                "REG010",
                f"parent '{region.parent}' membentuk lingkaran (wilayah menjadi induk dirinya)",
            )
            invalid.add(region.id)
            continue
        if parent[0].kind is not expected:
            wanted = expected.value if expected else "tidak ada"
            sink.error(
                region.source_path,
                line,
                col,
                "REG009",
                f"parent dari wilayah '{region.kind.value}' harus berjenis '{wanted}', "
                f"tetapi '{region.parent}' berjenis '{parent[0].kind.value}'",
            )
            invalid.add(region.id)
            continue
        if region.kind in (RegionKind.KABUPATEN, RegionKind.KOTA) and not region.code.startswith(
            parent[0].code + "."
        ):
            sink.error(
                region.source_path,
                code_entry.value.line,
                code_entry.value.col,
                "REG006",
                f"kode '{region.code}' harus diawali kode provinsi induknya '{parent[0].code}.'",
            )
            invalid.add(region.id)
    for region_id in invalid:
        del parsed[region_id]


def _has_cycle(start: str, parsed: dict[str, tuple[Region, sy.Mapping]]) -> bool:
    seen = {start}
    current = parsed[start][0].parent
    while current is not None and current in parsed:
        if current in seen:
            return True
        seen.add(current)
        current = parsed[current][0].parent
    return False


# --- import from the official list ------------------------------------------------------


def official_regions(data_dir: Path) -> list[dict[str, object]]:
    """The registry records derived from ``provinces.csv`` and ``regencies.csv`` (idn-area-data)."""
    records: list[dict[str, object]] = []
    for region_id, code, name, kind, office in CENTRAL_PUBLISHERS:
        records.append(
            {
                "id": region_id,
                "code": code,
                "name": name,
                "kind": kind.value,
                "parent": None if kind is RegionKind.NASIONAL else "pusat",
                "timezone": "Asia/Jakarta",
                "office": {"name": office},
            }
        )
    province_ids: dict[str, str] = {}
    with (data_dir / "provinces.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            region_id = slugify(row["name"])
            province_ids[row["code"]] = region_id
            records.append(
                {
                    "id": region_id,
                    "code": row["code"],
                    "name": f"Provinsi {row['name']}",
                    "kind": RegionKind.PROVINSI.value,
                    "parent": "pusat",
                    "timezone": PROVINCE_TIMEZONES[row["code"]],
                    "office": {"name": f"Dinas Komunikasi dan Informatika Provinsi {row['name']}"},
                }
            )
    with (data_dir / "regencies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            suffix = row["code"].split(".")[1]
            kind = RegionKind.KOTA if suffix.startswith("7") else RegionKind.KABUPATEN
            records.append(
                {
                    "id": slugify(row["name"]),
                    "code": row["code"],
                    "name": row["name"],
                    "kind": kind.value,
                    "parent": province_ids[row["province_code"]],
                    "timezone": PROVINCE_TIMEZONES[row["province_code"]],
                    "office": {"name": f"Dinas Komunikasi dan Informatika {row['name']}"},
                }
            )
    return records


_HEADER = (
    "# Registri wilayah portal. Kolom id, code, name, kind, parent dan timezone ditulis oleh\n"
    "# `portal regions import` dari data resmi (Data wilayah: idn-area-data 4.0.1, ODbL 1.0);\n"
    "# office dan maintainers boleh diisi tangan dan dipertahankan saat impor ulang.\n"
)


def import_regions(root: Path, data_dir: Path, regions_dir: str = "regions") -> tuple[int, int]:
    """Write one ``regions/<id>.yml`` per official record; returns (written, unchanged).

    Idempotent: a second run changes nothing. Hand-edited ``office`` and ``maintainers`` are
    kept; the official fields are rewritten from the data.
    """
    folder = root / regions_dir
    folder.mkdir(parents=True, exist_ok=True)
    written = unchanged = 0
    for record in official_regions(data_dir):
        path = folder / f"{record['id']}.yml"
        existing: dict[str, object] = {}
        if path.is_file() and not path.is_symlink():
            try:
                loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
                existing = loaded if isinstance(loaded, dict) else {}
            except (yaml.YAMLError, UnicodeDecodeError):
                existing = {}
        record["office"] = existing.get("office") or record["office"]
        record["maintainers"] = existing.get("maintainers") or []
        text = _HEADER + yaml.safe_dump(
            record, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
        )
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            unchanged += 1
            continue
        tmp = path.with_suffix(".yml.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written += 1
    return written, unchanged
