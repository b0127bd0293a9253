"""A deterministic synthetic corpus of press releases over the real region registry.

``generate(root, releases, seed)`` writes a complete portal repository (``regions/``,
``content/categories.yml``, ``docs/``, ``mkdocs.yml`` and N releases under
``content/<region-id>/<YYYY>/<YYYY-MM-DD>-<slug>.md``) in the release format of the foundation
issue (#2, item 3). The same plan can be written as a Hugo site (:func:`write_hugo_site`) and
as a Material blog site (:func:`write_material_blog_site`) so that every generator builds the
same releases.

Everything comes from one seeded ``random.Random``: no clock, no dict-order or file-system
order dependence, so two runs with the same arguments write byte-identical trees. Text is
assembled from a vocabulary of real Indonesian words (with the affixed forms a stemmer must
fold, e.g. *membangun*/*pembangunan*), so that search indexes see realistic tokens.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import struct
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import yaml

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

#: Releases are dated between these local days (inclusive); the benchmark's build time
#: (``SOURCE_DATE_EPOCH``) lies after the last one, so nothing is under embargo.
FIRST_DAY = date(2021, 1, 1)
LAST_DAY = date(2026, 10, 31)
#: 2026-11-01T00:00:00Z, the fixed build time of every benchmark build.
BUILD_EPOCH = 1793491200

#: Largest corpus written as a Material blog site (its build time grows super-linearly).
MATERIAL_MAX_RELEASES = 5000

ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

#: Relative publishing volume by region kind; big cities publish like a small province.
KIND_WEIGHTS = {"nasional": 40.0, "lembaga": 12.0, "provinsi": 10.0, "kota": 3.0, "kabupaten": 2.0}
BIG_CITY_WEIGHT = 10.0
BIG_CITIES = frozenset(
    {
        "kota-administrasi-jakarta-barat",
        "kota-administrasi-jakarta-pusat",
        "kota-administrasi-jakarta-selatan",
        "kota-administrasi-jakarta-timur",
        "kota-administrasi-jakarta-utara",
        "kota-surabaya",
        "kota-bandung",
        "kota-medan",
        "kota-semarang",
        "kota-makassar",
        "kota-palembang",
        "kota-bekasi",
        "kota-tangerang",
        "kota-depok",
        "kota-batam",
        "kota-pekanbaru",
        "kota-malang",
        "kota-denpasar",
        "kota-balikpapan",
        "kota-pontianak",
        "kota-manado",
        "kota-jayapura",
        "kota-yogyakarta",
        "kota-padang",
    }
)

#: Release types and their share of the archive (issue #2: siaran-pers is the default).
TYPE_WEIGHTS = (
    ("siaran-pers", 55),
    ("berita", 20),
    ("pengumuman", 10),
    ("agenda", 8),
    ("klarifikasi-hoaks", 7),
)
VERDICT_WEIGHTS = (("hoaks", 60), ("disinformasi", 15), ("misinformasi", 15), ("satire", 5))
IMAGE_SHARE = 0.12
CORRECTION_SHARE = 0.06
WITHDRAWN_SHARE = 0.003
AUTHOR_SHARE = 0.2
CONTACT_SHARE = 0.15

# --- vocabulary --------------------------------------------------------------------------

SUBJECTS = (
    "Pemerintah daerah",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Sosial",
    "Dinas Pekerjaan Umum",
    "Badan Penanggulangan Bencana Daerah",
    "Dinas Komunikasi dan Informatika",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Pertanian",
    "Dinas Perhubungan",
    "Sekretaris daerah",
    "Kepala dinas",
    "Tim gabungan",
    "Petugas lapangan",
    "Masyarakat setempat",
    "Para pelajar",
    "Pelaku usaha mikro",
    "Kelompok tani",
    "Relawan",
    "Camat",
    "Kepala desa",
    "Tim penggerak PKK",
)
VERBS = (
    ("meresmikan", "Resmikan"),
    ("meninjau", "Tinjau"),
    ("menyalurkan", "Salurkan"),
    ("membangun", "Bangun"),
    ("memperbaiki", "Perbaiki"),
    ("mengoordinasikan", "Koordinasikan"),
    ("menyiapkan", "Siapkan"),
    ("meningkatkan", "Tingkatkan"),
    ("memantau", "Pantau"),
    ("melaksanakan", "Laksanakan"),
    ("mendukung", "Dukung"),
    ("menyelenggarakan", "Gelar"),
    ("memperkuat", "Perkuat"),
    ("mempercepat", "Percepat"),
    ("mendata", "Data"),
    ("memberikan", "Berikan"),
    ("mengevaluasi", "Evaluasi"),
    ("meluncurkan", "Luncurkan"),
    ("menertibkan", "Tertibkan"),
    ("menandatangani", "Teken"),
)
OBJECTS = (
    "bantuan sosial",
    "jalan kabupaten",
    "jembatan gantung",
    "layanan kesehatan",
    "program imunisasi",
    "sarana air bersih",
    "posyandu",
    "sekolah dasar",
    "pasar tradisional",
    "saluran irigasi",
    "data kependudukan",
    "layanan administrasi",
    "pembangunan infrastruktur",
    "pelatihan keterampilan",
    "beasiswa pendidikan",
    "bibit tanaman",
    "perahu nelayan",
    "rumah tidak layak huni",
    "tempat pengolahan sampah",
    "dermaga pelabuhan",
    "terminal penumpang",
    "rencana kerja pemerintah",
    "anggaran pendapatan dan belanja daerah",
    "kesiapsiagaan bencana",
    "literasi digital",
    "festival budaya",
    "destinasi wisata",
    "ketahanan pangan",
    "penurunan angka stunting",
    "pengendalian inflasi",
    "penerangan jalan umum",
    "ruang terbuka hijau",
    "pemeriksaan kesehatan gratis",
    "penyaluran pupuk bersubsidi",
    "perekaman kartu tanda penduduk elektronik",
    "operasi pasar murah",
    "normalisasi sungai",
    "vaksinasi hewan ternak",
    "layanan kependudukan keliling",
    "pembinaan usaha mikro",
)
PLACES = (
    "balai desa",
    "kantor kecamatan",
    "alun-alun kota",
    "gedung serbaguna",
    "pendopo kabupaten",
    "puskesmas",
    "aula kantor gubernur",
    "lapangan upacara",
    "pasar induk",
    "pelabuhan rakyat",
    "kantor kelurahan",
    "rumah sakit umum daerah",
)
PLACE_NAMES = (
    "Sukamaju",
    "Sidorejo",
    "Tanjung Harapan",
    "Mekarsari",
    "Karanganyar",
    "Suka Damai",
    "Batu Putih",
    "Sungai Raya",
    "Air Mata",
    "Bukit Indah",
    "Kampung Baru",
    "Pasir Putih",
    "Lembah Hijau",
    "Tanah Merah",
    "Sumber Rejeki",
    "Maju Jaya",
    "Teluk Bayur",
    "Padang Lestari",
)
BENEFICIARIES = (
    "warga kurang mampu",
    "keluarga penerima manfaat",
    "pelajar berprestasi",
    "petani padi",
    "nelayan tradisional",
    "warga lanjut usia",
    "penyandang disabilitas",
    "ibu hamil dan balita",
    "pelaku usaha mikro",
    "guru honorer",
    "pedagang pasar",
    "korban banjir",
)
PURPOSES = (
    "meningkatkan kesejahteraan masyarakat",
    "mempercepat pelayanan publik",
    "mencegah penyebaran penyakit",
    "menekan angka kemiskinan",
    "menjaga ketertiban umum",
    "memperlancar arus barang dan jasa",
    "mengurangi risiko banjir",
    "memperluas akses pendidikan",
    "mendorong pertumbuhan ekonomi daerah",
    "melindungi lingkungan hidup",
    "memperkuat ketahanan pangan keluarga",
    "meningkatkan kualitas pembangunan",
)
TIMES = (
    "Senin pagi",
    "Selasa siang",
    "Rabu sore",
    "Kamis",
    "Jumat pagi",
    "Sabtu",
    "akhir pekan lalu",
    "pekan depan",
    "bulan ini",
    "sepanjang tahun anggaran berjalan",
)
PARTNERS = (
    "TNI dan Polri",
    "perguruan tinggi",
    "dunia usaha",
    "tokoh masyarakat",
    "tokoh agama",
    "organisasi perangkat daerah",
    "pemerintah desa",
    "Badan Pusat Statistik",
    "Palang Merah Indonesia",
    "karang taruna",
    "lembaga swadaya masyarakat",
    "media massa",
)
ADVERBIALS = (
    "secara bertahap",
    "sesuai rencana",
    "sejak awal tahun",
    "hingga akhir bulan",
    "dengan penuh semangat",
    "tanpa dipungut biaya",
    "secara terpadu",
    "dalam waktu dekat",
)
OFFICIAL_TITLES = (
    "kepala dinas",
    "sekretaris daerah",
    "kepala bidang",
    "camat",
    "juru bicara",
    "kepala bagian protokol dan komunikasi pimpinan",
)
PERSON_NAMES = (
    "Ahmad Fauzi",
    "Siti Rahmawati",
    "Budi Santoso",
    "Dewi Lestari",
    "I Wayan Sudarma",
    "Yohanes Wenda",
    "Andi Mappaturung",
    "Maria Goreti",
    "Hendra Gunawan",
    "Nur Aisyah",
    "La Ode Saleh",
    "Made Arsana",
    "Teuku Rahman",
    "Ratna Sari",
    "Fransiskus Laka",
    "Muhammad Iqbal",
)
QUOTES = (
    "Kami berharap program ini benar-benar dirasakan manfaatnya oleh masyarakat",
    "Pelayanan harus cepat, mudah, dan tidak berbelit-belit",
    "Seluruh perangkat daerah kami minta bekerja sama dan saling mendukung",
    "Pembangunan ini kami lanjutkan tahun depan dengan anggaran yang lebih besar",
    "Warga tidak perlu khawatir karena persediaan mencukupi",
    "Kami mengajak masyarakat untuk aktif memberikan masukan",
    "Informasi resmi hanya disampaikan melalui kanal pemerintah",
)
HEADINGS = (
    "Latar Belakang",
    "Pelaksanaan Kegiatan",
    "Sasaran dan Manfaat",
    "Tindak Lanjut",
    "Rincian Program",
    "Tanggapan Masyarakat",
    "Jadwal Pelaksanaan",
    "Informasi Lebih Lanjut",
    "Capaian Sementara",
    "Imbauan kepada Warga",
)
TAGS = (
    "stunting",
    "imunisasi",
    "banjir",
    "gempa",
    "mudik",
    "umkm",
    "inflasi",
    "pemilu",
    "beasiswa",
    "bansos",
    "jalan-rusak",
    "air-bersih",
    "sampah",
    "pariwisata",
    "festival",
    "ktp-elektronik",
    "literasi-digital",
    "keamanan-siber",
    "vaksinasi",
    "pupuk",
    "nelayan",
    "petani",
    "hari-jadi",
    "apbd",
    "pelayanan-publik",
    "kebersihan",
    "kebakaran-hutan",
    "kemiskinan",
    "pendidikan-gratis",
    "transportasi-umum",
)
SMALL_WORDS = frozenset({"di", "dan", "bagi", "untuk", "yang", "ke", "dari", "dengan", "pada"})
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


# --- regions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionInfo:
    """What the corpus needs of a registry entry (``regions/<id>.yml``)."""

    id: str
    name: str
    kind: str
    parent: str | None
    timezone: str

    @property
    def actor(self) -> str:
        """Who speaks in running text, e.g. "Pemerintah Provinsi Jawa Barat"."""
        if self.kind == "nasional":
            return "Pemerintah"
        if self.kind == "lembaga":
            return self.name
        return f"Pemerintah {self.name}"

    @property
    def short_actor(self) -> str:
        """Headline form, e.g. "Pemkot Bandung", "Pemprov Papua"."""
        if self.kind == "nasional":
            return "Pemerintah"
        if self.kind == "lembaga":
            return self.name
        if self.kind == "provinsi":
            return f"Pemprov {self.name.removeprefix('Provinsi ')}"
        if self.kind == "kabupaten":
            return f"Pemkab {self.name.removeprefix('Kabupaten ')}"
        return f"Pemkot {self.name.removeprefix('Kota ')}"


def load_regions(regions_dir: Path = REPO / "regions") -> tuple[RegionInfo, ...]:
    """Every region of the registry, sorted by id (never by directory order)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    regions = []
    for path in sorted(regions_dir.glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        regions.append(
            RegionInfo(
                id=str(data["id"]),
                name=str(data["name"]),
                kind=str(data["kind"]),
                parent=None if data.get("parent") is None else str(data["parent"]),
                timezone=str(data["timezone"]),
            )
        )
    return tuple(regions)


def load_categories(path: Path = REPO / "content" / "categories.yml") -> Mapping[str, str]:
    """Category id → Indonesian label, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return MappingProxyType({str(key): str(value["label"]) for key, value in data.items()})


def region_weight(region: RegionInfo) -> float:
    if region.id in BIG_CITIES:
        return BIG_CITY_WEIGHT
    return KIND_WEIGHTS[region.kind]


# --- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    date: str  # "YYYY-MM-DD HH:MM", local
    note: str


@dataclass(frozen=True)
class Claim:
    text: str
    verdict: str
    first_seen: str  # "YYYY-MM-DD"
    source_urls: tuple[str, ...]


@dataclass(frozen=True)
class PlannedRelease:
    """One synthetic release: every field of the release format, plus its image bytes."""

    region: RegionInfo
    day: date
    time: str  # "HH:MM", local
    slug: str
    title: str
    summary: str
    category: str
    type: str
    tags: tuple[str, ...]
    body: str
    author: str | None = None
    contact: str | None = None
    image_png: bytes | None = None
    image_alt: str | None = None
    updates: tuple[Correction, ...] = ()
    withdrawn: Correction | None = None
    claim: Claim | None = None

    @property
    def stem(self) -> str:
        """``YYYY-MM-DD-<slug>``: file name without extension, and the id's second half."""
        return f"{self.day.isoformat()}-{self.slug}"

    @property
    def id(self) -> str:
        return f"{self.region.id}/{self.stem}"

    @property
    def path(self) -> str:
        """Repository-relative path of the source file."""
        return f"content/{self.region.id}/{self.day.year}/{self.stem}.md"

    @property
    def image_name(self) -> str:
        return f"{self.stem}.png"

    @property
    def local_datetime(self) -> datetime:
        hour, minute = (int(part) for part in self.time.split(":"))
        return datetime(
            self.day.year,
            self.day.month,
            self.day.day,
            hour,
            minute,
            tzinfo=ZoneInfo(self.region.timezone),
        )

    @property
    def url(self) -> str:
        """Site-relative URL of the release page (ARCHITECTURE.md, "Public URLs")."""
        return f"{self.region.id}/{self.day.year}/{self.stem}/"


def _title_case(text: str) -> str:
    words = text.split(" ")
    return " ".join(
        w if (i > 0 and w in SMALL_WORDS) or w[:1].isupper() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


def slugify(text: str, limit: int = 60) -> str:
    slug = _SLUG_JUNK.sub("-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def _amount(rng: random.Random) -> str:
    return f"Rp{rng.randint(1, 95)},{rng.randint(1, 9)} miliar"


def _place(rng: random.Random) -> str:
    return f"{rng.choice(PLACES)} {rng.choice(PLACE_NAMES)}"


def _sentence(rng: random.Random) -> str:
    """One plain sentence of running text (no region name: those come per release)."""
    kind = rng.random()
    verb = rng.choice(VERBS)[0]
    if kind < 0.12:
        quote = rng.choice(QUOTES)
        return f'"{quote}," kata {rng.choice(OFFICIAL_TITLES)} {rng.choice(PERSON_NAMES)}.'
    if kind < 0.22:
        return (
            f"Sebanyak {rng.randint(12, 4800):,} {rng.choice(BENEFICIARIES)} tercatat "
            f"menerima manfaat {rng.choice(OBJECTS)} {rng.choice(ADVERBIALS)}."
        ).replace(",", ".")
    parts = [rng.choice(SUBJECTS), verb, rng.choice(OBJECTS)]
    for _ in range(rng.randint(1, 3)):
        pick = rng.random()
        if pick < 0.2:
            parts.append(f"di {_place(rng)}")
        elif pick < 0.35:
            parts.append(f"bagi {rng.choice(BENEFICIARIES)}")
        elif pick < 0.55:
            parts.append(f"untuk {rng.choice(PURPOSES)}")
        elif pick < 0.65:
            parts.append(f"pada {rng.choice(TIMES)}")
        elif pick < 0.78:
            parts.append(f"bersama {rng.choice(PARTNERS)}")
        elif pick < 0.86:
            parts.append(f"dengan anggaran {_amount(rng)}")
        else:
            parts.append(rng.choice(ADVERBIALS))
    return " ".join(parts) + "."


def _list_item(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.4:
        return f"{_title_case(rng.choice(OBJECTS))} di {_place(rng)}"
    if pick < 0.7:
        return f"{_title_case(rng.choice(OBJECTS))} bagi {rng.choice(BENEFICIARIES)}"
    return f"{_title_case(rng.choice(OBJECTS))} dengan anggaran {_amount(rng)}"


class _Planner:
    """Draws releases one at a time from a seeded generator (a stream: 100k fit in memory)."""

    def __init__(
        self, regions: tuple[RegionInfo, ...], categories: Mapping[str, str], seed: int
    ) -> None:
        self.rng = random.Random(seed)
        self.regions = regions
        self.categories = tuple(categories)
        self.region_names = {r.id: r.name for r in regions}
        weights = [region_weight(r) for r in regions]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.type_names = tuple(name for name, _ in TYPE_WEIGHTS)
        self.type_weights = tuple(weight for _, weight in TYPE_WEIGHTS)
        self.verdicts = tuple(name for name, _ in VERDICT_WEIGHTS)
        self.verdict_weights = tuple(weight for _, weight in VERDICT_WEIGHTS)
        self.day_span = (LAST_DAY - FIRST_DAY).days
        # A pool of sentences keeps generation fast; bodies still differ through the region,
        # place, numbers and the order and choice of sentences.
        self.sentences = tuple(_sentence(self.rng) for _ in range(6000))
        self.used_ids: set[str] = set()

    def plan(self, count: int) -> Iterator[PlannedRelease]:
        for index in range(count):
            if count >= len(self.regions) and index < len(self.regions):
                region = self.regions[index]  # every region publishes at least once
            else:
                region = self.rng.choices(self.regions, cum_weights=self.cumulative)[0]
            yield self._release(region)

    def _release(self, region: RegionInfo) -> PlannedRelease:
        rng = self.rng
        day = FIRST_DAY + timedelta(days=rng.randint(0, self.day_span))
        time = f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
        release_type = rng.choices(self.type_names, weights=self.type_weights)[0]
        category = rng.choice(self.categories)
        verb, verb_title = rng.choice(VERBS)
        obj = rng.choice(OBJECTS)
        place = _place(rng)
        claim = None
        if release_type == "klarifikasi-hoaks":
            verdict = rng.choices(self.verdicts, weights=self.verdict_weights)[0]
            claim_text = (
                f"Beredar pesan berantai yang menyebut {obj} di {region.name} dihentikan "
                f"mulai bulan depan dan warga diminta mendaftar ulang melalui tautan tertentu."
            )
            title = f"Klarifikasi: Kabar {_title_case(obj)} di {region.name} Dihentikan Tidak Benar"
            first_seen = day - timedelta(days=rng.randint(0, 5))
            claim = Claim(
                text=claim_text,
                verdict=verdict,
                first_seen=max(first_seen, FIRST_DAY).isoformat(),
                source_urls=tuple(
                    f"https://media-sosial.example/unggahan/{rng.randint(10**8, 10**9 - 1)}"
                    for _ in range(rng.randint(1, 2))
                ),
            )
        elif release_type == "agenda":
            title = f"Agenda: {_title_case(obj)} di {_title_case(place)}"
        elif release_type == "pengumuman":
            title = f"Pengumuman {_title_case(obj)} bagi {_title_case(rng.choice(BENEFICIARIES))}"
        else:
            title = f"{region.short_actor} {verb_title} {_title_case(obj)} di {_title_case(place)}"
        title = title[:150].rstrip()
        base_slug = slugify(title)
        slug = base_slug
        counter = 2
        while f"{region.id}/{day.isoformat()}-{slug}" in self.used_ids:
            slug = f"{base_slug}-{counter}"
            counter += 1
        self.used_ids.add(f"{region.id}/{day.isoformat()}-{slug}")

        summary = (
            f"{region.actor} {verb} {obj} di {place} untuk {rng.choice(PURPOSES)} "
            f"bersama {rng.choice(PARTNERS)}."
        )
        if len(summary) > 300:
            summary = summary[:296].rsplit(" ", 1)[0] + "."
        body = self._body(region, verb, obj, place, claim)
        tags = tuple(sorted(set(rng.sample(TAGS, rng.randint(0, 4)))))

        image = alt = None
        if rng.random() < IMAGE_SHARE:
            image = tiny_png(rng)
            alt = f"Foto kegiatan {obj} di {place}, {region.name}"
        updates: tuple[Correction, ...] = ()
        if rng.random() < CORRECTION_SHARE:
            updates = tuple(
                Correction(
                    date=self._later(region, day, time, offset_days),
                    note=rng.choice(
                        (
                            f"Ralat jumlah penerima {obj} pada paragraf kedua.",
                            f"Pembaruan jadwal pelaksanaan {obj}.",
                            "Perbaikan penulisan nama pejabat dan jabatan.",
                            "Penambahan keterangan lokasi kegiatan.",
                        )
                    ),
                )
                for offset_days in sorted(rng.sample(range(1, 30), rng.randint(1, 2)))
            )
        withdrawn = None
        if rng.random() < WITHDRAWN_SHARE:
            withdrawn = Correction(
                date=self._later(region, day, time, rng.randint(1, 10)),
                note="Rilis ditarik karena memuat data yang belum diverifikasi.",
            )
        author = contact = None
        if rng.random() < AUTHOR_SHARE:
            author = f"Tim Humas {region.name}"
        if rng.random() < CONTACT_SHARE:
            phone = f"0{rng.randint(21, 989)}-{rng.randint(100000, 999999)}"
            contact = f"{rng.choice(PERSON_NAMES)}, telepon {phone}"
        return PlannedRelease(
            region=region,
            day=day,
            time=time,
            slug=slug,
            title=title,
            summary=summary,
            category=category,
            type=release_type,
            tags=tags,
            body=body,
            author=author,
            contact=contact,
            image_png=image,
            image_alt=alt,
            updates=updates,
            withdrawn=withdrawn,
            claim=claim,
        )

    def _paragraph(self, region: RegionInfo) -> str:
        sentences = self.rng.choices(self.sentences, k=self.rng.randint(3, 6))
        if self.rng.random() < 0.3:
            sentences.append(f"Kegiatan di {region.name} ini berlangsung lancar.")
        return " ".join(sentences)

    def _later(self, region: RegionInfo, day: date, time: str, days: int) -> str:
        """A local time ``days`` after the release, never after the last corpus day."""
        later = min(day + timedelta(days=days), LAST_DAY)
        hour = max(int(time[:2]), 8) if later == day else self.rng.randint(8, 20)
        return f"{later.isoformat()} {hour:02d}:{self.rng.randint(0, 59):02d}"

    def _body(
        self, region: RegionInfo, verb: str, obj: str, place: str, claim: Claim | None
    ) -> str:
        rng = self.rng
        target = rng.randint(280, 590)  # overshoot by the last block keeps it 300–700
        blocks = [
            f"{region.actor} {verb} {obj} di {place}, {region.name}, "
            f"pada {rng.choice(TIMES)}. {rng.choice(self.sentences)} {rng.choice(self.sentences)}"
        ]
        if claim is not None:
            blocks.append(
                f"> **Klaim yang beredar:** {claim.text}\n>\n"
                f"> **Penjelasan:** informasi tersebut tidak sesuai dengan fakta. "
                f"{region.actor} tidak pernah mengeluarkan kebijakan tersebut."
            )
        words = sum(len(block.split()) for block in blocks)
        # Two to four sections under ## headings, one of the first two with a list.
        headings = rng.sample(HEADINGS, 4)
        list_section = rng.randint(0, 1)
        for section, heading in enumerate(headings):
            if section >= 2 and words >= target:
                break
            blocks.append(f"## {heading}")
            for paragraph in range(rng.randint(1, 3)):
                if section == list_section and paragraph == 0:
                    marker = "1." if rng.random() < 0.4 else "-"
                    items = [f"{marker} {_list_item(rng)}" for _ in range(rng.randint(3, 6))]
                    blocks.append("\n".join(items))
                else:
                    blocks.append(self._paragraph(region))
                words += len(blocks[-1].split())
                if words >= target:
                    break
        while words < target:
            blocks.append(self._paragraph(region))
            words += len(blocks[-1].split())
        blocks.append(
            f"Informasi lebih lanjut dapat diperoleh di kantor {region.actor} "
            "atau melalui kanal resmi pemerintah."
        )
        return "\n\n".join(blocks) + "\n"


def iter_releases(
    releases: int,
    seed: int = 1,
    regions: tuple[RegionInfo, ...] | None = None,
    categories: Mapping[str, str] | None = None,
) -> Iterator[PlannedRelease]:
    """The corpus as a stream: the same arguments always yield the same releases."""
    planner = _Planner(
        load_regions() if regions is None else regions,
        load_categories() if categories is None else categories,
        seed,
    )
    return planner.plan(releases)


# --- images ------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png(rng: random.Random) -> bytes:
    """A valid RGB PNG of 8–24 px a side (a seeded gradient), well under 2 KB."""
    width, height = rng.randint(8, 24), rng.randint(8, 24)
    red, green, blue = rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type "None"
        for x in range(width):
            rows += bytes(((red + 7 * x) % 256, (green + 9 * y) % 256, (blue + 3 * (x + y)) % 256))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _png_chunk(b"IEND", b"")
    )


# --- writing the portal repository -------------------------------------------------------


def _quote(text: str) -> str:
    """A double-quoted YAML scalar (strings are always quoted in the release format)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def release_markdown(release: PlannedRelease) -> str:
    """The source file of a release in the portal's format (issue #2, item 3)."""
    lines = [
        "---",
        f"title: {_quote(release.title)}",
        f'date: "{release.day.isoformat()} {release.time}"',
        f"summary: {_quote(release.summary)}",
        f"category: {release.category}",
    ]
    if release.type != "siaran-pers":
        lines.append(f"type: {release.type}")
    if release.tags:
        lines.append("tags:")
        lines += [f"  - {tag}" for tag in release.tags]
    if release.author:
        lines.append(f"author: {_quote(release.author)}")
    if release.contact:
        lines.append(f"contact: {_quote(release.contact)}")
    if release.image_png is not None and release.image_alt is not None:
        lines.append(f"image: {_quote(release.image_name)}")
        lines.append(f"image_alt: {_quote(release.image_alt)}")
    if release.updates:
        lines.append("updates:")
        for update in release.updates:
            lines.append(f'  - date: "{update.date}"')
            lines.append(f"    note: {_quote(update.note)}")
    if release.withdrawn is not None:
        lines.append("withdrawn:")
        lines.append(f'  date: "{release.withdrawn.date}"')
        lines.append(f"  reason: {_quote(release.withdrawn.note)}")
    if release.claim is not None:
        lines.append("claim:")
        lines.append(f"  text: {_quote(release.claim.text)}")
        lines.append(f"  verdict: {release.claim.verdict}")
        lines.append(f'  first_seen: "{release.claim.first_seen}"')
        lines.append("  source_urls:")
        lines += [f"    - {_quote(url)}" for url in release.claim.source_urls]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + release.body


@dataclass(frozen=True)
class CorpusInfo:
    """What :func:`generate` wrote, for the harness and the tests."""

    root: Path
    seed: int
    releases: int
    paths: tuple[str, ...]
    urls: tuple[str, ...]
    regions: int
    regions_used: int
    kinds: Mapping[str, int] = field(default_factory=dict)
    zones: Mapping[str, int] = field(default_factory=dict)
    types: Mapping[str, int] = field(default_factory=dict)
    images: int = 0
    corrections: int = 0
    hoaxes: int = 0
    withdrawn: int = 0
    source_bytes: int = 0


def portal_config(search: bool, source: Path = REPO / "mkdocs.yml") -> str:
    """The repository's ``mkdocs.yml`` with the portal plugin's ``search`` option set.

    Edited as text (not re-dumped) so everything else stays exactly as the project has it.
    """
    lines = source.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    index = 0
    found = False
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        match = re.match(r"^(\s*)- portal:\s*$", line)
        if not match:
            continue
        found = True
        option_indent = " " * (len(match.group(1)) + 4)
        setting = f"{option_indent}search: {'true' if search else 'false'}"
        replaced = False
        while index < len(lines) and (
            lines[index].startswith(option_indent) or not lines[index].strip()
        ):
            if lines[index].startswith(f"{option_indent}search:"):
                out.append(setting)  # in place, so a comment above it stays with it
                replaced = True
            else:
                out.append(lines[index])
            index += 1
        if not replaced:
            while out and not out[-1].strip():
                out.pop()
            out.append(setting)
    if not found:
        raise ValueError(f"{source}: no '- portal:' plugin block to configure")
    return "\n".join(out) + "\n"


def generate(
    root: Path,
    releases: int,
    seed: int = 1,
    *,
    search: bool = True,
    regions_dir: Path = REPO / "regions",
    categories_file: Path = REPO / "content" / "categories.yml",
) -> CorpusInfo:
    """Write a complete portal repository with ``releases`` synthetic releases into ``root``.

    ``root`` must not exist or be empty. The registry, the categories, ``docs/`` and
    ``mkdocs.yml`` are the repository's own, so the build exercises the real configuration.
    """
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(regions_dir, root / "regions")
    (root / "content").mkdir()
    shutil.copy(categories_file, root / "content" / "categories.yml")
    docs = REPO / "docs"
    if docs.is_dir():
        shutil.copytree(docs, root / "docs", symlinks=False)
    else:
        (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(portal_config(search), encoding="utf-8")

    regions = load_regions(regions_dir)
    categories = load_categories(categories_file)
    paths: list[str] = []
    urls: list[str] = []
    kinds: Counter[str] = Counter()
    zones: Counter[str] = Counter()
    types: Counter[str] = Counter()
    used: set[str] = set()
    images = corrections = hoaxes = withdrawn = source_bytes = 0
    made_dirs: set[Path] = set()
    for release in iter_releases(releases, seed, regions, categories):
        path = root / release.path
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        data = release_markdown(release).encode("utf-8")
        path.write_bytes(data)
        source_bytes += len(data)
        if release.image_png is not None:
            (path.parent / release.image_name).write_bytes(release.image_png)
            images += 1
        paths.append(release.path)
        urls.append(release.url)
        used.add(release.region.id)
        kinds[release.region.kind] += 1
        zones[ZONE_LABELS[release.region.timezone]] += 1
        types[release.type] += 1
        corrections += bool(release.updates)
        hoaxes += release.claim is not None
        withdrawn += release.withdrawn is not None
    return CorpusInfo(
        root=root,
        seed=seed,
        releases=len(paths),
        paths=tuple(paths),
        urls=tuple(urls),
        regions=len(regions),
        regions_used=len(used),
        kinds=MappingProxyType(dict(sorted(kinds.items()))),
        zones=MappingProxyType(dict(sorted(zones.items()))),
        types=MappingProxyType(dict(sorted(types.items()))),
        images=images,
        corrections=corrections,
        hoaxes=hoaxes,
        withdrawn=withdrawn,
        source_bytes=source_bytes,
    )


def edit_release(root: Path, relative_path: str) -> None:
    """A typical correction: one paragraph appended to the body of an existing release."""
    path = root / relative_path
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\nPembaruan: jadwal kegiatan bergeser satu pekan karena cuaca buruk.\n",
        encoding="utf-8",
    )


def add_release(root: Path, seed: int = 1) -> str:
    """Write one more release (a fresh one from another seed) and return its path."""
    regions = load_regions(root / "regions")
    categories = load_categories(root / "content" / "categories.yml")
    planner = _Planner(regions, categories, seed + 1_000_003)
    region = next((r for r in regions if r.id == "kota-bandung"), regions[0])
    release = dataclasses.replace(
        planner._release(region),
        day=LAST_DAY,
        time="10:00",
        slug="rilis-tambahan-untuk-uji-pembangunan-ulang",
        updates=(),
        withdrawn=None,
    )
    path = root / release.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(release_markdown(release), encoding="utf-8")
    if release.image_png is not None:
        (path.parent / release.image_name).write_bytes(release.image_png)
    return release.path


# --- the same corpus for Hugo ------------------------------------------------------------


def _hugo_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_quote(v) for v in values) + "]"


def write_hugo_site(
    root: Path,
    releases: int,
    seed: int = 1,
    regions_dir: Path = REPO / "regions",
    categories_file: Path = REPO / "content" / "categories.yml",
) -> Path:
    """The same releases as a Hugo site: one section per region, taxonomies, RSS.

    Releases keep our URLs (``/<region>/<YYYY>/<YYYY-MM-DD>-<slug>/``): they live at
    ``content/<region>/<YYYY>/<stem>.md`` and the year folder is not a section. Layouts and
    config come from ``bench/hugo/``.
    """
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    shutil.copytree(BENCH / "hugo", root, dirs_exist_ok=True)
    regions = load_regions(regions_dir)
    categories = load_categories(categories_file)
    by_id = {r.id: r for r in regions}
    content = root / "content"
    for region in regions:
        section = content / region.id
        section.mkdir(parents=True)
        (section / "_index.md").write_text(
            f"---\ntitle: {_quote(region.name)}\n---\n", encoding="utf-8"
        )
    (content / "_index.md").write_text(
        '---\ntitle: "Portal Informasi Nasional"\n---\n', encoding="utf-8"
    )
    made_dirs: set[Path] = set()
    for release in iter_releases(releases, seed, regions, categories):
        region = release.region
        province = (
            region.id
            if region.kind == "provinsi"
            else region.parent
            if region.kind in ("kabupaten", "kota") and region.parent in by_id
            else None
        )
        moment = release.local_datetime.isoformat()
        lines = [
            "---",
            f"title: {_quote(release.title)}",
            f"date: {moment}",
            f"summary: {_quote(release.summary)}",
            f"categories: {_hugo_list([categories[release.category]])}",
            f"tags: {_hugo_list(release.tags)}",
            f"jenis: {_hugo_list([release.type])}",
        ]
        if province:
            lines.append(f"provinsi: {_hugo_list([by_id[province].name])}")
        lines.append("params:")
        lines.append(f"  wilayah: {_quote(region.name)}")
        lines.append(f"  zona: {ZONE_LABELS[region.timezone]}")
        if release.image_png is not None and release.image_alt is not None:
            lines.append(
                f"  image: {_quote('/' + release.url.rsplit('/', 2)[0] + '/' + release.image_name)}"
            )
            lines.append(f"  image_alt: {_quote(release.image_alt)}")
        if release.updates:
            lines.append("  updates:")
            for update in release.updates:
                lines.append(f"    - date: {_quote(update.date)}")
                lines.append(f"      note: {_quote(update.note)}")
        if release.claim is not None:
            lines.append(f"  claim: {_quote(release.claim.text)}")
            lines.append(f"  verdict: {release.claim.verdict}")
        lines.append("---")
        path = content / region.id / str(release.day.year) / f"{release.stem}.md"
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        path.write_text("\n".join(lines) + "\n\n" + release.body, encoding="utf-8")
        if release.image_png is not None:
            image = root / "static" / region.id / str(release.day.year) / release.image_name
            image.parent.mkdir(parents=True, exist_ok=True)
            image.write_bytes(release.image_png)
    return root


def hugo_release_page(url: str) -> str:
    """Output path of a release page in the Hugo build (same URL as ours)."""
    return f"{url}index.html"


# --- the same corpus for Material's blog plugin --------------------------------------------


def material_post_slug(release: PlannedRelease) -> str:
    return f"{release.region.id}-{release.stem}"


def write_material_blog_site(
    root: Path,
    releases: int,
    seed: int = 1,
    regions_dir: Path = REPO / "regions",
    categories_file: Path = REPO / "content" / "categories.yml",
) -> Path:
    """The same releases as a Material blog (``docs/blog/posts/``) with mkdocs-rss-plugin.

    Categories are the region and the topic, so the blog builds one listing per region and
    per topic, as our portal does. Only for N ≤ ``MATERIAL_MAX_RELEASES``: its build time
    grows super-linearly.
    """
    if releases > MATERIAL_MAX_RELEASES:
        raise ValueError(f"Material blog corpus is limited to {MATERIAL_MAX_RELEASES} releases")
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(BENCH / "material_blog" / "mkdocs.yml", root / "mkdocs.yml")
    docs = root / "docs"
    posts = docs / "blog" / "posts"
    images = posts / "images"
    images.mkdir(parents=True)
    (docs / "index.md").write_text(
        "# Portal Informasi Nasional\n\nSiaran pers pemerintah pusat dan daerah.\n",
        encoding="utf-8",
    )
    (docs / "blog" / "index.md").write_text("# Rilis\n", encoding="utf-8")
    regions = load_regions(regions_dir)
    categories = load_categories(categories_file)
    for release in iter_releases(releases, seed, regions, categories):
        moment = release.local_datetime
        lines = [
            "---",
            f"date: {moment.strftime('%Y-%m-%d %H:%M:%S')}",
            f"slug: {material_post_slug(release)}",
            f"description: {_quote(release.summary)}",
            "categories:",
            f"  - {_quote(release.region.name)}",
            f"  - {_quote(categories[release.category])}",
        ]
        if release.tags:
            lines.append("tags:")
            lines += [f"  - {tag}" for tag in release.tags]
        lines.append("---")
        body = [f"# {release.title}", "", release.summary, "", "<!-- more -->", ""]
        if release.image_png is not None and release.image_alt is not None:
            (images / f"{material_post_slug(release)}.png").write_bytes(release.image_png)
            body += [f"![{release.image_alt}](images/{material_post_slug(release)}.png)", ""]
        (posts / f"{material_post_slug(release)}.md").write_text(
            "\n".join(lines) + "\n\n" + "\n".join(body) + release.body, encoding="utf-8"
        )
    return root
