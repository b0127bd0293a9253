"""Stage 3: release files, ``content/<region-id>/<YYYY>/<YYYY-MM-DD>-<slug>.md``.

Every file below ``content/`` is accounted for: a release, an image inside a region folder,
or ``content/categories.yml``. Anything else is reported with where it belongs. A release is
read safely (:mod:`sources`), its front matter parsed strictly (:mod:`strictyaml`) and checked
field by field against the release format (see the contributor guide, "Format rilis"); its
body is inspected (:mod:`markup`) and its images opened. Every problem is reported with the
line and column counted from the top of the file, all at once; an invalid file is left out.

Ids and output URLs derive from the path alone, so their uniqueness is checked across the
whole archive even when only some files are checked in detail (``only_paths``).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import posixpath
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import markup
from . import strictyaml as sy
from .config import Settings
from .diagnostics import Diagnostic, DiagnosticSink, Severity
from .model import (
    Category,
    Claim,
    Correction,
    Image,
    Region,
    Release,
    ReleaseType,
    Verdict,
    Withdrawal,
    outline_digest,
)
from .regions import RegionRegistry
from .render_pool import run_tasks
from .sources import SourceText, byte_count, line_col, read_bytes_nofollow, read_source
from .taxonomy import CATEGORIES_FILE
from .timefmt import format_datetime

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG_CHARS = 80
MAX_TITLE_CHARS = 150
MIN_SUMMARY_CHARS = 50
MAX_SUMMARY_CHARS = 300
MAX_TAGS = 10
MAX_TAG_CHARS = 40
MAX_SHORT_TEXT_CHARS = 200
MAX_ALT_CHARS = 250
MAX_NOTE_CHARS = 1000
#: Dates outside this range are typing mistakes (and year 1 breaks feed date arithmetic).
MIN_YEAR = 1945
MAX_YEAR = 2199

#: Image formats a region folder may hold, by extension, with the MIME type their bytes must
#: show. GIF (animation, poor compression) and SVG (can carry scripts) are refused.
IMAGE_TYPES: Mapping[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
#: Files that operating systems and editors leave behind; never published, never an error.
IGNORED_NAMES = frozenset({".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"})

#: Front-matter keys, in the order the contributor guide documents them.
RELEASE_KEYS: tuple[str, ...] = (
    "title",
    "date",
    "summary",
    "category",
    "type",
    "region",
    "tags",
    "author",
    "contact",
    "image",
    "image_alt",
    "publish_at",
    "draft",
    "updates",
    "withdrawn",
    "claim",
)
REQUIRED_KEYS: tuple[str, ...] = ("title", "date", "summary", "category")
_UPDATE_KEYS = ("date", "note")
_WITHDRAWN_KEYS = ("date", "reason")
_CLAIM_KEYS = ("text", "verdict", "first_seen", "source_urls")

_RELEASE_NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.*)\.md$")
_YEAR_RE = re.compile(r"^\d{4}$")
_SEGMENT_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_LOCAL_MOMENT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$")
_OFFSET_MOMENT_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?"
    r"(Z|[+-]\d{2}:?\d{2})$"
)
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MARKUP_RE = re.compile(
    r"<[A-Za-z/!?]|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|\*\*|__|`|\]\(|!\[|^#{1,6}\s"
)

_TYPE_VALUES = tuple(t.value for t in ReleaseType)
_VERDICT_VALUES = tuple(v.value for v in Verdict)


def did_you_mean(value: str, options: Sequence[str]) -> str:
    """``" (maksud Anda 'title'?)"`` for the closest option, or an empty string."""
    matches = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    if not matches:
        matches = difflib.get_close_matches(value.lower(), list(options), n=1, cutoff=0.6)
    return f" (maksud Anda '{matches[0]}'?)" if matches else ""


# --- the archive: every file below content/ ----------------------------------------------


@dataclass(frozen=True)
class ReleasePath:
    """What the path of a release file says: region, date, slug, id and URL."""

    rel_path: str
    region_id: str
    year_folder: str
    day: str  # YYYY-MM-DD from the file name ("" when the name has none)
    slug: str
    #: False when the path itself is wrong (already reported): the file is checked, never kept.
    valid: bool = True

    @property
    def id(self) -> str:
        return f"{self.region_id}/{self.day}-{self.slug}"

    @property
    def url(self) -> str:
        return f"{self.region_id}/{self.day[:4]}/{self.day}-{self.slug}/"


@dataclass
class Archive:
    releases: list[ReleasePath] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    #: Problems with where files are (misplaced, unknown region, bad names), by file.
    placement: dict[str, list[Diagnostic]] = field(default_factory=dict)

    def report(self, rel: str, code: str, message: str) -> None:
        self.placement.setdefault(rel, []).append(Diagnostic(rel, 1, 1, code, message))


def _walk(folder: Path, rel: str, archive: Archive) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Regular files below ``folder`` (sorted, never through a symlink)."""
    try:
        with os.scandir(folder) as handle:
            entries = sorted(handle, key=lambda e: e.name)
    except OSError as exc:
        archive.report(rel, "FILE001", f"folder tidak dapat dibaca: {exc.strerror}")
        return
    for entry in entries:
        child = f"{rel}/{entry.name}"
        if entry.name in IGNORED_NAMES:
            continue
        if entry.is_symlink():
            archive.report(
                child,
                "FILE002",
                "ini adalah symlink; symlink tidak diikuti demi keamanan. Ganti dengan berkas "
                "atau folder biasa",
            )
        elif entry.is_dir(follow_symlinks=False):
            if entry.name.startswith("."):
                continue  # tool folders such as .git never hold content
            yield from _walk(Path(entry.path), child, archive)
        elif entry.is_file(follow_symlinks=False):
            yield child, entry
        else:
            archive.report(child, "FILE001", "bukan berkas biasa; hapus dari content/")


def segment_problem(segment: str) -> str | None:
    """Why one folder or file name below ``content/`` cannot become part of a URL, if so."""
    if _SEGMENT_RE.match(segment) and ".." not in segment:
        return None
    if "\\" in segment:
        return "memuat garis miring terbalik '\\'; gunakan '/' sebagai pemisah folder"
    if "%" in segment:
        return "memuat kode persen ('%'); tulis nama apa adanya dengan huruf kecil dan '-'"
    if any(c.isspace() for c in segment):
        return "memuat spasi; ganti spasi dengan tanda hubung '-'"
    if segment != segment.lower():
        return f"memuat huruf besar; ganti menjadi '{segment.lower()}'"
    if ".." in segment:
        return "memuat '..'; jangan memakai titik ganda"
    return "hanya boleh memuat huruf kecil a-z, angka 0-9, '-', '_' dan '.'"


def _classify(rel: str, content_dir: str, registry: RegionRegistry, archive: Archive) -> None:
    parts = rel.split("/")[1:]  # below content/
    name = parts[-1]
    suffix = posixpath.splitext(name)[1].lower()
    if len(parts) == 1:
        if name == CATEGORIES_FILE:
            return
        archive.report(
            rel,
            "REL030",
            "berkas tidak boleh langsung di content/; rilis ditulis di "
            f"{content_dir}/<id-wilayah>/<tahun>/<tanggal>-<slug>.md",
        )
        return
    region_id = parts[0]
    if region_id not in registry:
        hint = did_you_mean(region_id, list(registry.regions))
        archive.report(
            rel,
            "REL032",
            f"folder wilayah '{region_id}' tidak ada di registri regions/{hint}; "
            "nama folder harus sama dengan id wilayah (mis. kota-bandung)",
        )
        return
    if suffix in (".markdown", ".mdown", ".mkd"):
        archive.report(
            rel, "REL033", f"rilis harus berakhiran .md, bukan {suffix}; ganti nama berkasnya"
        )
        return
    if suffix != ".md" and suffix not in IMAGE_TYPES:
        extra = "; ubah gambar ke JPEG, PNG atau WebP" if suffix in (".gif", ".svg", ".bmp") else ""
        archive.report(
            rel,
            "REL033",
            f"jenis berkas '{suffix or name}' tidak diizinkan di folder wilayah: hanya rilis .md "
            "dan gambar .jpg, .jpeg, .png atau .webp" + extra,
        )
        return
    for segment in parts[1:]:
        problem = segment_problem(segment)
        if problem is not None:
            archive.report(rel, "REL031", f"nama '{segment}' {problem}")
            if suffix != ".md":
                return
            # a release keeps going: its content is still worth checking
            archive.releases.append(ReleasePath(rel, region_id, "", "", "", valid=False))
            return
    if suffix in IMAGE_TYPES:
        archive.images.append(rel)
        return
    match = _RELEASE_NAME_RE.match(name)
    if match is None:
        archive.report(
            rel,
            "REL031",
            f"nama berkas '{name}' harus berbentuk <tahun>-<bulan>-<tanggal>-<slug>.md, "
            "mis. 2024-05-18-rapat-koordinasi.md",
        )
        archive.releases.append(ReleasePath(rel, region_id, "", "", "", valid=False))
        return
    year, month, day, slug = match.groups()
    valid = True
    day_text = f"{year}-{month}-{day}"
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        day_text = ""
        archive.report(
            rel,
            "REL031",
            f"tanggal '{year}-{month}-{day}' di nama berkas tidak ada di kalender",
        )
        valid = False
    if not SLUG_RE.match(slug) or len(slug) > MAX_SLUG_CHARS:
        archive.report(
            rel,
            "REL031",
            f"slug '{slug}' harus huruf kecil, angka dan tanda hubung tunggal, paling panjang "
            f"{MAX_SLUG_CHARS} karakter (mis. rapat-koordinasi-kehumasan)",
        )
        valid = False
    expected_path = f"{content_dir}/{region_id}/{year}/{name}"
    if len(parts) != 3 or not _YEAR_RE.match(parts[1]):
        archive.report(
            rel, "REL030", f"rilis harus berada di folder tahunnya: pindahkan ke {expected_path}"
        )
        valid = False
    elif parts[1] != year:
        archive.report(
            rel,
            "REL014",
            f"folder tahun '{parts[1]}' tidak sama dengan tahun di nama berkas ({year}); "
            f"pindahkan ke {expected_path}",
        )
        valid = False  # its id is still compared with the file that may already own it
    archive.releases.append(ReleasePath(rel, region_id, parts[1], day_text, slug, valid=valid))


def scan_archive(settings: Settings, registry: RegionRegistry) -> Archive:
    """Every file below ``content/``, classified; cheap (names only, nothing is opened)."""
    archive = Archive()
    content = settings.root / settings.content_dir
    if not content.is_dir():
        return archive
    for rel, _entry in _walk(content, settings.content_dir, archive):
        _classify(rel, settings.content_dir, registry, archive)
    return archive


# --- loading --------------------------------------------------------------------------------


def load_releases(
    settings: Settings,
    registry: RegionRegistry,
    categories: Mapping[str, Category],
    *,
    only_paths: Sequence[str] | None = None,
    archive: Archive | None = None,
    parallel: bool = True,
) -> tuple[list[Release], list[Diagnostic]]:
    """Read and validate releases; return every valid one (drafts and embargoed included).

    With ``only_paths`` (repository-relative POSIX paths) only those files are checked in
    detail and returned; ids and URLs are still compared with the whole archive (``archive``:
    the caller's :func:`scan_archive` of it, when it has one). ``parallel`` False keeps the
    work in this process (``mkdocs serve`` must not fork its server threads).
    """
    if archive is None:
        archive = scan_archive(settings, registry)
    selected: set[str] | None = None if only_paths is None else set(only_paths)

    def wanted(rel: str) -> bool:
        return selected is None or rel in selected

    sink = DiagnosticSink()
    for rel, problems in archive.placement.items():
        if wanted(rel):
            sink.extend(problems)
    duplicates = _duplicate_problems(archive.releases, wanted)
    sink.extend(duplicates)
    duplicated = {d.path for d in duplicates}
    images = _ImageCache(settings)
    for rel in archive.images:
        if wanted(rel):
            sink.extend(images.check_standalone(rel))
    chosen = [path for path in archive.releases if wanted(path.rel_path)]

    def check(index: int) -> tuple[Release | None, list[Diagnostic]]:
        release_path = chosen[index]
        region = registry.get(release_path.region_id)
        assert region is not None  # _classify only keeps known regions
        try:
            return _load_release(settings, region, categories, release_path, images)
        except Exception as exc:  # last resort: one odd file must never stop the check
            return None, [
                Diagnostic(
                    release_path.rel_path,
                    1,
                    1,
                    "REL099",
                    f"berkas ini tidak dapat diperiksa ({type(exc).__name__}: {exc}); "
                    "laporkan ke tim pusat beserta berkasnya",
                )
            ]

    # Each file is checked on its own: on every core when there are many (a build from
    # nothing, a check of the whole archive), in this process for a pull request's few.
    checked, _warnings = run_tasks(len(chosen), check, label="Memeriksa rilis", parallel=parallel)
    releases: list[Release] = []
    for release_path, (release, problems) in zip(chosen, checked, strict=True):
        sink.extend(problems)
        if release is not None and release_path.valid and release_path.rel_path not in duplicated:
            releases.append(release)
    releases.sort(key=lambda r: r.source_path)
    return releases, list(sink.items)


def future_date_warnings(releases: Iterable[Release], settings: Settings) -> list[Diagnostic]:
    """REL037 for a release dated more than a day after the build without ``publish_at``: it
    is published at once and leads every listing until its date passes (usually a typo in
    the year, or a scheduled release that needs ``publish_at``).

    Judged against ``settings.build_time`` after loading, never stored in the release cache
    (the build time moves; a cached warning would outlive its date).
    """
    horizon = settings.build_time + timedelta(days=1)
    warnings = []
    for release in releases:
        if release.publish_at is not None or release.draft or release.date <= horizon:
            continue
        line, col = _date_position(settings.root / release.source_path)
        warnings.append(
            Diagnostic(
                release.source_path,
                line,
                col,
                "REL037",
                f"tanggal rilis {format_datetime(release.date)} masih di masa depan: rilis "
                "langsung tampil dan berada paling atas sampai tanggal itu lewat. Periksa "
                "tahunnya; untuk rilis terjadwal tambahkan publish_at",
                Severity.WARNING,
            )
        )
    return warnings


def _date_position(path: Path) -> tuple[int, int]:
    """Line and column of the ``date:`` value (1, 1 when the file cannot be read again)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    for number, line in enumerate(text.splitlines()[:60], start=1):
        if line.startswith("date:"):
            value = line[5:]
            return number, 6 + len(value) - len(value.lstrip())
    return 1, 1


def _duplicate_problems(
    paths: Sequence[ReleasePath], wanted: Callable[[str], bool]
) -> list[Diagnostic]:
    by_url: dict[str, list[ReleasePath]] = {}
    # A group matters only if it holds a wanted file: when a few files are checked (an edit
    # build, a pull request) only their URLs are grouped, not the whole archive's.
    urls = {p.url for p in paths if p.day and wanted(p.rel_path)}
    for path in paths:
        if path.day and path.url in urls and SLUG_RE.match(path.slug):
            by_url.setdefault(path.url, []).append(path)
    problems: list[Diagnostic] = []
    for url, group in sorted(by_url.items()):
        if len(group) < 2 or not any(wanted(p.rel_path) for p in group):
            continue
        for path in group:
            others = ", ".join(p.rel_path for p in group if p is not path)
            problems.append(
                Diagnostic(
                    path.rel_path,
                    1,
                    1,
                    "REL034",
                    f"id '{path.id}' dan alamat /{url} sudah dipakai oleh {others}; "
                    "ubah slug salah satu berkas",
                )
            )
    return problems


def split_front_matter(
    source: SourceText,
) -> tuple[str, str, int, int] | Diagnostic:
    """``(yaml_text, body, body_first_line, closing_line)`` or the reason there is none.

    The front matter sits between a ``---`` line at the very top and the next ``---`` line;
    its first key is on line 2.
    """
    text = source.text
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        if lines[0].strip() == "" and any(line.rstrip() == "---" for line in lines[1:5]):
            message = "hapus baris kosong di awal berkas: baris pertama harus '---'"
        else:
            message = (
                "front matter tidak ada: baris pertama harus '---', diikuti kunci title, date, "
                "summary, category, lalu baris '---' lagi"
            )
        return Diagnostic(source.rel_path, 1, 1, "REL001", message)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return yaml_text, body, index + 2, index + 1
    return Diagnostic(
        source.rel_path,
        1,
        1,
        "REL002",
        "front matter dibuka dengan '---' di baris 1 tetapi tidak ditutup; tambahkan baris "
        "'---' setelah kunci terakhir",
    )


@dataclass
class _Context:
    rel: str
    region: Region
    sink: DiagnosticSink
    closing_line: int

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.region.timezone)

    def error(self, line: int, col: int, code: str, message: str) -> None:
        self.sink.error(self.rel, line, col, code, message)

    def warning(self, line: int, col: int, code: str, message: str) -> None:
        self.sink.warning(self.rel, line, col, code, message)


def _load_release(
    settings: Settings,
    region: Region,
    categories: Mapping[str, Category],
    release_path: ReleasePath,
    images: _ImageCache,
) -> tuple[Release | None, list[Diagnostic]]:
    rel = release_path.rel_path
    source, problems = read_source(settings.root / rel, rel, max_bytes=settings.max_release_bytes)
    if source is None:
        return None, problems
    split = split_front_matter(source)
    if isinstance(split, Diagnostic):
        return None, [split]
    yaml_text, body, body_first_line, closing_line = split
    sink = DiagnosticSink()
    context = _Context(rel, region, sink, closing_line)
    tree, problems = sy.parse(yaml_text, rel, first_line=2)
    sink.extend(problems)
    if tree is None:
        if not problems:
            context.error(
                1, 1, "REL003", "front matter kosong; isi kunci title, date, summary dan category"
            )
        return None, list(sink.items)
    if not isinstance(tree, sy.Mapping):
        context.error(
            tree.line,
            tree.col,
            "REL003",
            f"front matter harus berupa daftar kunci 'nama: nilai', tetapi berisi "
            f"{sy.describe(tree)}",
        )
        return None, list(sink.items)
    fields = _read_front_matter(tree, context, categories, release_path, settings, images)
    body_problems = markup.inspect_body(body, rel, body_first_line)
    sink.extend(body_problems)
    # The image check may render the body: never one that failed the nesting budget.
    renderable = not any(problem.code == "MD004" for problem in body_problems)
    _check_body_images(body, body_first_line, context, settings, images, renderable)
    if sink.has_errors() or fields is None:
        return None, list(sink.items)
    digest = hashlib.sha256(source.data)
    image: Image | None = None
    if fields.image is not None:
        digest.update(fields.image.data)
        image = Image(
            fields.image.rel_path,
            fields.image_alt or "",
            fields.image.size,
            fields.image.mime,
            hashlib.sha256(fields.image.data).hexdigest(),
        )
    assert fields.title and fields.date and fields.summary and fields.category and fields.type
    release = Release(
        id=release_path.id,
        region_id=region.id,
        slug=release_path.slug,
        source_path=rel,
        title=fields.title,
        date=fields.date,
        summary=fields.summary,
        category=fields.category,
        type=fields.type,
        body_markdown=body,
        tags=fields.tags or (),
        author=fields.author,
        contact=fields.contact,
        image=image,
        publish_at=fields.publish_at,
        draft=bool(fields.draft),
        updates=fields.updates or (),
        withdrawn=fields.withdrawn,
        claim=fields.claim,
        digest=digest.hexdigest(),
    )
    return replace(release, outline=outline_digest(release)), list(sink.items)


@dataclass
class _Fields:
    """Front-matter values as they are read; None where absent or wrong (already reported)."""

    title: str | None = None
    date: datetime | None = None
    summary: str | None = None
    category: str | None = None
    type: ReleaseType | None = ReleaseType.SIARAN_PERS
    tags: tuple[str, ...] | None = None
    author: str | None = None
    contact: str | None = None
    image: _CheckedImage | None = None
    image_alt: str | None = None
    publish_at: datetime | None = None
    draft: bool | None = None
    updates: tuple[Correction, ...] | None = None
    withdrawn: Withdrawal | None = None
    claim: Claim | None = None


# --- front matter ---------------------------------------------------------------------------


def _read_front_matter(
    tree: sy.Mapping,
    context: _Context,
    categories: Mapping[str, Category],
    release_path: ReleasePath,
    settings: Settings,
    images: _ImageCache,
) -> _Fields | None:
    """The Release fields from the front matter, or None when any of them is wrong."""
    for entry in tree.entries:
        if entry.key not in RELEASE_KEYS:
            context.error(
                entry.key_line,
                entry.key_col,
                "REL004",
                f"kunci '{entry.key}' tidak dikenal{did_you_mean(entry.key, RELEASE_KEYS)}; "
                f"kunci yang sah: {', '.join(RELEASE_KEYS)}",
            )
    present = {e.key: e for e in tree.entries if not _is_null(e.value)}
    for key in REQUIRED_KEYS:
        if key not in present:
            empty = tree.get(key)
            line, col = (empty.key_line, empty.key_col) if empty else (context.closing_line, 1)
            context.error(
                line,
                col,
                "REL005",
                f"kunci wajib '{key}' {'kosong' if empty else 'tidak ada'}; "
                + _REQUIRED_HINTS[key],
            )
    fields = _Fields()
    if "title" in present:
        fields.title = _plain_text(
            present["title"], context, "REL010", max_chars=MAX_TITLE_CHARS, single_line=True
        )
    if "summary" in present:
        fields.summary = _plain_text(
            present["summary"],
            context,
            "REL011",
            max_chars=MAX_SUMMARY_CHARS,
            min_chars=MIN_SUMMARY_CHARS,
        )
    if "date" in present:
        moment = _moment(present["date"], context, "REL012")
        fields.date = moment
        if moment is not None:
            _check_date_matches_path(moment, present["date"], context, release_path)
    if "category" in present:
        fields.category = _category(present["category"], context, categories)
    fields.type = ReleaseType.SIARAN_PERS
    if "type" in present:
        fields.type = _choice(present["type"], context, "REL016", _TYPE_VALUES, "type")
    if "region" in present:
        _check_region_key(present["region"], context)
    if "tags" in present:
        fields.tags = _tags(present["tags"], context)
    if "author" in present:
        fields.author = _plain_text(
            present["author"], context, "REL024", max_chars=MAX_SHORT_TEXT_CHARS
        )
    if "contact" in present:
        fields.contact = _plain_text(
            present["contact"], context, "REL024", max_chars=MAX_SHORT_TEXT_CHARS
        )
    if "image" in present:
        fields.image = _lead_image(present["image"], context, settings, release_path, images)
        if "image_alt" not in present:
            context.error(
                present["image"].key_line,
                present["image"].key_col,
                "IMG005",
                "gambar wajib punya 'image_alt': tulis keterangan singkat isi gambar untuk "
                "pembaca tunanetra",
            )
    if "image_alt" in present:
        fields.image_alt = _plain_text(
            present["image_alt"], context, "IMG005", max_chars=MAX_ALT_CHARS
        )
        if "image" not in present:
            context.error(
                present["image_alt"].key_line,
                present["image_alt"].key_col,
                "IMG005",
                "'image_alt' hanya dipakai bersama 'image'; tambahkan 'image' atau hapus "
                "'image_alt'",
            )
    if "publish_at" in present:
        fields.publish_at = _moment(present["publish_at"], context, "REL019")
    if "draft" in present:
        fields.draft = _boolean(present["draft"], context)
    if "updates" in present:
        fields.updates = _updates(present["updates"], context, fields.date)
    if "withdrawn" in present:
        fields.withdrawn = _withdrawn(present["withdrawn"], context, fields.date)
    _claim_rules(present, fields, context)
    if context.sink.has_errors():
        return None
    return fields


_REQUIRED_HINTS = {
    "title": 'tulis judul rilis, mis. title: "Rapat Koordinasi Kehumasan"',
    "date": 'tulis tanggal dan jam rilis, mis. date: "2024-05-18 16:30"',
    "summary": f"tulis ringkasan {MIN_SUMMARY_CHARS}–{MAX_SUMMARY_CHARS} karakter",
    "category": "tulis salah satu id kategori dari content/categories.yml",
}


def _is_null(value: sy.YamlValue) -> bool:
    """No value: ``key:``, ``key: ~``, ``key: null`` or an empty (blank) quoted string."""
    return isinstance(value, sy.Scalar) and (value.is_null or not value.value.strip())


def _scalar(entry: sy.Entry, context: _Context, code: str) -> sy.Scalar | None:
    if isinstance(entry.value, sy.Scalar):
        return entry.value
    context.error(
        entry.key_line,
        entry.key_col,
        code,
        f"'{entry.key}' harus berupa teks, tetapi berisi {sy.describe(entry.value)}",
    )
    return None


def _value_col(scalar: sy.Scalar) -> int:
    """Column of the first character of a scalar's text (after an opening quote)."""
    return scalar.col if scalar.plain else scalar.col + 1


def markup_in_plain_text(text: str) -> str | None:
    """The HTML or Markdown a title, summary or note must not contain (the first), or None."""
    match = _MARKUP_RE.search(" ".join(text.split()))
    return match.group().strip() if match is not None else None


def _plain_text(
    entry: sy.Entry,
    context: _Context,
    code: str,
    *,
    max_chars: int,
    min_chars: int = 1,
    single_line: bool = False,
    label: str | None = None,
) -> str | None:
    scalar = _scalar(entry, context, code)
    if scalar is None:
        return None
    name = label or entry.key
    raw = scalar.value.strip()
    if single_line and "\n" in raw:
        context.error(scalar.line, scalar.col, code, f"'{name}' harus satu baris")
        return None
    text = " ".join(raw.split())
    markup_match = _MARKUP_RE.search(text)
    if markup_match is not None:
        context.error(
            scalar.line,
            _value_col(scalar) + max(raw.find(markup_match.group()), 0),
            code,
            f"'{name}' harus teks biasa tanpa HTML atau Markdown; hapus "
            f"'{markup_match.group().strip()}'",
        )
        return None
    if len(text) > max_chars:
        context.error(
            scalar.line,
            scalar.col,
            code,
            f"'{name}' terlalu panjang ({len(text)} karakter); paling banyak {max_chars}",
        )
        return None
    if len(text) < min_chars:
        context.error(
            scalar.line,
            scalar.col,
            code,
            f"'{name}' terlalu pendek ({len(text)} karakter); paling sedikit {min_chars}",
        )
        return None
    return text


def parse_moment(value: str, tz: ZoneInfo) -> datetime | tuple[int, str]:
    """A date-time as the release format allows it, in ``tz``; or (column offset, reason).

    Allowed: ``YYYY-MM-DD HH:MM`` (local time of the region) or ISO 8601 with an explicit
    offset (``2024-05-18T16:30:00+07:00``, ``…Z``), converted into the region's zone.
    """
    text = value.strip()
    local = _LOCAL_MOMENT_RE.match(text)
    with_offset = None if local else _OFFSET_MOMENT_RE.match(text)
    match = local or with_offset
    if match is None:
        if _DAY_RE.match(text):
            return 0, f"'{text}' tidak memuat jam; tulis \"{text} 09:00\" (waktu setempat)"
        if re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$", text):
            return 0, (
                f"'{text}' tidak memuat zona waktu; tulis \"{text[:10]} {text[11:16]}\" "
                "(waktu setempat) atau tambahkan offset seperti +07:00"
            )
        return 0, (
            f"'{text}' bukan tanggal yang dikenali; tulis \"YYYY-MM-DD HH:MM\" dalam waktu "
            'setempat (mis. "2024-05-18 16:30") atau ISO 8601 dengan offset '
            '(mis. "2024-05-18T16:30:00+07:00")'
        )
    year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return 0, f"tahun {year} di luar rentang yang masuk akal ({MIN_YEAR}-{MAX_YEAR})"
    if not 1 <= month <= 12:
        return 5, f"bulan '{match.group(2)}' tidak ada; bulan ditulis 01 sampai 12"
    try:
        date(year, month, day)
    except ValueError:
        return 8, f"tanggal {year:04d}-{month:02d}-{day:02d} tidak ada di kalender"
    if hour > 23 or minute > 59:
        return 11, f"jam '{match.group(4)}:{match.group(5)}' tidak sah; tulis 00:00 sampai 23:59"
    if local:
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    assert with_offset is not None
    second = int(with_offset.group(6) or 0)
    if second > 59:
        return 17, "detik harus 00 sampai 59"
    offset_text = with_offset.group(7)
    if offset_text == "Z":
        offset = timedelta(0)
    else:
        digits = offset_text[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 14 or minutes > 59:
            return len(text) - len(offset_text), f"offset zona waktu '{offset_text}' tidak sah"
        offset = timedelta(hours=hours, minutes=minutes)
        if offset_text[0] == "-":
            offset = -offset
    moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    return moment.astimezone(tz)


def _moment(entry: sy.Entry, context: _Context, code: str) -> datetime | None:
    scalar = _scalar(entry, context, code)
    if scalar is None:
        return None
    parsed = parse_moment(scalar.value, context.tz)
    if isinstance(parsed, datetime):
        _warn_foreign_offset(scalar, parsed, context, entry.key)
        return parsed
    offset, reason = parsed
    context.error(scalar.line, _value_col(scalar) + offset, code, f"{entry.key}: {reason}")
    return None


def _warn_foreign_offset(scalar: sy.Scalar, moment: datetime, context: _Context, key: str) -> None:
    """An explicit offset other than the region's own is legal but usually a slip: an office
    in Jayapura writing ``+07:00`` most likely meant its own 09.00, not 11.00 WIT."""
    match = _OFFSET_MOMENT_RE.match(scalar.value.strip())
    # "Z" is written by tools exporting UTC on purpose, not by a hand slipping a zone.
    if match is None or match.group(7) == "Z":
        return
    offset_text = match.group(7)
    digits = offset_text[1:].replace(":", "")
    written = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if (-written if offset_text[0] == "-" else written) == moment.utcoffset():
        return
    context.warning(
        scalar.line,
        _value_col(scalar) + len(scalar.value.strip()) - len(match.group(7)),
        "REL036",
        f"{key}: offset {offset_text} berbeda dengan zona waktu wilayah ini; waktu akan "
        f"ditampilkan sebagai {format_datetime(moment)}. Jika yang dimaksud waktu setempat, "
        f'tulis "{scalar.value.strip()[:10]} {scalar.value.strip()[11:16]}"',
    )


def _check_date_matches_path(
    moment: datetime, entry: sy.Entry, context: _Context, release_path: ReleasePath
) -> None:
    local_day = moment.date().isoformat()
    if local_day == release_path.day or not release_path.day:
        return
    scalar = entry.value
    assert isinstance(scalar, sy.Scalar)
    good_name = f"{local_day}-{release_path.slug}.md"
    context.error(
        scalar.line,
        _value_col(scalar),
        "REL013",
        f"tanggal rilis menurut waktu setempat adalah {local_day} ({context.region.zone_label}), "
        f"tetapi nama berkas memuat {release_path.day}; perbaiki 'date' atau ganti nama berkas "
        f"menjadi {local_day[:4]}/{good_name}",
    )


def _category(entry: sy.Entry, context: _Context, categories: Mapping[str, Category]) -> str | None:
    scalar = _scalar(entry, context, "REL015")
    if scalar is None:
        return None
    value = scalar.value.strip()
    if categories and value not in categories:
        context.error(
            scalar.line,
            _value_col(scalar),
            "REL015",
            f"kategori '{value}' tidak dikenal{did_you_mean(value, list(categories))}; "
            f"pilih salah satu: {', '.join(categories)}",
        )
        return None
    return value


def _choice(
    entry: sy.Entry, context: _Context, code: str, options: Sequence[str], name: str
) -> ReleaseType | None:
    scalar = _scalar(entry, context, code)
    if scalar is None:
        return None
    value = scalar.value.strip()
    if value not in options:
        context.error(
            scalar.line,
            _value_col(scalar),
            code,
            f"{name} '{value}' tidak dikenal{did_you_mean(value, options)}; "
            f"pilih salah satu: {', '.join(options)}",
        )
        return None
    return ReleaseType(value)


def _check_region_key(entry: sy.Entry, context: _Context) -> None:
    scalar = _scalar(entry, context, "REL023")
    if scalar is not None and scalar.value.strip() != context.region.id:
        context.error(
            scalar.line,
            _value_col(scalar),
            "REL023",
            f"region '{scalar.value.strip()}' tidak sama dengan folder wilayah berkas ini "
            f"('{context.region.id}'); hapus kunci 'region' atau pindahkan berkas ke "
            f"content/{scalar.value.strip()}/",
        )


def _tags(entry: sy.Entry, context: _Context) -> tuple[str, ...] | None:
    value = entry.value
    if isinstance(value, sy.Scalar):
        context.error(
            value.line,
            value.col,
            "REL017",
            "'tags' harus berupa daftar, mis. tags: [banjir, bantuan-sosial]",
        )
        return None
    if not isinstance(value, sy.Sequence):
        context.error(entry.key_line, entry.key_col, "REL017", "'tags' harus berupa daftar")
        return None
    tags: list[str] = []
    ok = True
    if len(value.items) > MAX_TAGS:
        extra = value.items[MAX_TAGS]
        context.error(
            extra.line,
            extra.col,
            "REL017",
            f"terlalu banyak tag ({len(value.items)}); paling banyak {MAX_TAGS}",
        )
        ok = False
    for item in value.items:
        if not isinstance(item, sy.Scalar):
            context.error(item.line, item.col, "REL017", "setiap tag harus berupa teks")
            ok = False
            continue
        tag = item.value.strip()
        if not SLUG_RE.match(tag) or len(tag) > MAX_TAG_CHARS:
            # Accents dropped, not the letter: 'ümkm' suggests 'umkm'.
            plain = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode()
            suggestion = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
            hint = f"; mis. '{suggestion}'" if suggestion and suggestion != tag else ""
            context.error(
                item.line,
                _value_col(item),
                "REL017",
                f"tag '{tag}' harus huruf kecil, angka dan tanda hubung, paling panjang "
                f"{MAX_TAG_CHARS} karakter{hint}",
            )
            ok = False
            continue
        if tag in tags:
            context.error(item.line, _value_col(item), "REL017", f"tag '{tag}' ditulis dua kali")
            ok = False
            continue
        tags.append(tag)
    return tuple(tags) if ok else None


def _boolean(entry: sy.Entry, context: _Context) -> bool | None:
    scalar = _scalar(entry, context, "REL018")
    if scalar is None:
        return None
    if scalar.plain and scalar.value in ("true", "false"):
        return scalar.value == "true"
    context.error(
        scalar.line,
        scalar.col,
        "REL018",
        f"'{entry.key}' hanya boleh true atau false (huruf kecil, tanpa tanda kutip), bukan "
        f"'{scalar.value}'",
    )
    return None


def _mapping(
    entry: sy.Entry, context: _Context, code: str, keys: Sequence[str], example: str
) -> sy.Mapping | None:
    value = entry.value
    if not isinstance(value, sy.Mapping):
        context.error(
            entry.key_line,
            entry.key_col,
            code,
            f"'{entry.key}' harus berisi kunci {', '.join(keys)}, tetapi berisi "
            f"{sy.describe(value)}; contoh: {example}",
        )
        return None
    for item in value.entries:
        if item.key not in keys:
            # Reported, and the known keys are still checked: every problem at once (the
            # release is refused anyway, since an error was reported).
            context.error(
                item.key_line,
                item.key_col,
                "REL004",
                f"kunci '{entry.key}.{item.key}' tidak dikenal{did_you_mean(item.key, keys)}; "
                f"kunci yang sah: {', '.join(keys)}",
            )
    return value


def _required(
    mapping: sy.Mapping, key: str, parent: str, context: _Context, code: str
) -> sy.Entry | None:
    entry = mapping.get(key)
    if entry is None or _is_null(entry.value):
        line, col = (entry.key_line, entry.key_col) if entry else (mapping.line, mapping.col)
        context.error(line, col, code, f"'{parent}' wajib memuat '{key}'")
        return None
    return entry


def _dated_note(
    value: sy.Mapping,
    context: _Context,
    code: str,
    parent: str,
    text_key: str,
    release_date: datetime | None,
) -> tuple[datetime, str] | None:
    date_entry = _required(value, "date", parent, context, code)
    text_entry = _required(value, text_key, parent, context, code)
    moment = _moment(date_entry, context, code) if date_entry else None
    text = (
        _plain_text(
            text_entry,
            context,
            code,
            max_chars=MAX_NOTE_CHARS,
            label=f"{parent}.{text_key}",
        )
        if text_entry
        else None
    )
    if moment is None or date_entry is None:
        return None
    if release_date is not None and moment < release_date:
        scalar = date_entry.value
        assert isinstance(scalar, sy.Scalar)
        context.error(
            scalar.line,
            _value_col(scalar),
            code,
            f"tanggal '{parent}' ({scalar.value.strip()}) lebih awal dari tanggal rilis; "
            "tulis tanggal saat ralat atau penarikan dibuat",
        )
        return None
    return (moment, text) if text is not None else None


def _updates(
    entry: sy.Entry, context: _Context, release_date: datetime | None
) -> tuple[Correction, ...] | None:
    value = entry.value
    example = 'updates: [{date: "2024-05-19 08:00", note: "Jam acara diralat."}]'
    if not isinstance(value, sy.Sequence):
        context.error(
            entry.key_line,
            entry.key_col,
            "REL020",
            f"'updates' harus berupa daftar pembaruan; contoh: {example}",
        )
        return None
    corrections: list[Correction] = []
    ok = True
    for item in value.items:
        if not isinstance(item, sy.Mapping):
            context.error(
                item.line,
                item.col,
                "REL020",
                f"setiap pembaruan harus berisi 'date' dan 'note'; contoh: {example}",
            )
            ok = False
            continue
        wrapper = sy.Entry("updates", item.line, item.col, item)
        checked = _mapping(wrapper, context, "REL020", _UPDATE_KEYS, example)
        if checked is None:
            ok = False
            continue
        note = _dated_note(checked, context, "REL020", "updates", "note", release_date)
        if note is None:
            ok = False
            continue
        corrections.append(Correction(note[0], note[1]))
    if not ok:
        return None
    return tuple(sorted(corrections, key=lambda c: c.date))


def _withdrawn(
    entry: sy.Entry, context: _Context, release_date: datetime | None
) -> Withdrawal | None:
    example = 'withdrawn: {date: "2024-05-20 10:00", reason: "Informasi sudah tidak berlaku."}'
    value = _mapping(entry, context, "REL021", _WITHDRAWN_KEYS, example)
    if value is None:
        return None
    note = _dated_note(value, context, "REL021", "withdrawn", "reason", release_date)
    return Withdrawal(note[0], note[1]) if note else None


def _claim_rules(present: Mapping[str, sy.Entry], fields: _Fields, context: _Context) -> None:
    is_hoax = fields.type is ReleaseType.KLARIFIKASI_HOAKS
    if "claim" not in present:
        if is_hoax:
            entry = present["type"]
            context.error(
                entry.key_line,
                entry.key_col,
                "REL022",
                "rilis 'klarifikasi-hoaks' wajib memuat 'claim' (text, verdict, first_seen, "
                "source_urls)",
            )
        return
    entry = present["claim"]
    if not is_hoax:
        if fields.type is not None:
            context.error(
                entry.key_line,
                entry.key_col,
                "REL022",
                "'claim' hanya dipakai untuk type: klarifikasi-hoaks; hapus 'claim' atau ubah "
                "'type'",
            )
        return
    example = "claim: {text: …, verdict: hoaks, first_seen: 2024-05-17, source_urls: [https://…]}"
    value = _mapping(entry, context, "REL022", _CLAIM_KEYS, example)
    if value is None:
        return
    text_entry = _required(value, "text", "claim", context, "REL022")
    verdict_entry = _required(value, "verdict", "claim", context, "REL022")
    text = (
        _plain_text(text_entry, context, "REL022", max_chars=MAX_NOTE_CHARS, label="claim.text")
        if text_entry
        else None
    )
    verdict: Verdict | None = None
    if verdict_entry is not None:
        scalar = _scalar(verdict_entry, context, "REL022")
        if scalar is not None:
            if scalar.value.strip() in _VERDICT_VALUES:
                verdict = Verdict(scalar.value.strip())
            else:
                context.error(
                    scalar.line,
                    _value_col(scalar),
                    "REL022",
                    f"verdict '{scalar.value.strip()}' tidak dikenal"
                    f"{did_you_mean(scalar.value.strip(), _VERDICT_VALUES)}; "
                    f"pilih salah satu: {', '.join(_VERDICT_VALUES)}",
                )
    first_seen: date | None = None
    seen_entry = value.get("first_seen")
    if seen_entry is not None and not _is_null(seen_entry.value):
        scalar = _scalar(seen_entry, context, "REL022")
        if scalar is not None:
            first_seen = _day(scalar, context, "claim.first_seen")
            if (
                first_seen is not None
                and fields.date is not None
                and first_seen > fields.date.date()
            ):
                context.error(
                    scalar.line,
                    _value_col(scalar),
                    "REL022",
                    f"claim.first_seen ({first_seen.isoformat()}) tidak boleh setelah tanggal "
                    "rilis",
                )
                first_seen = None
    urls = _source_urls(value.get("source_urls"), context)
    if text is not None and verdict is not None and urls is not None:
        fields.claim = Claim(text, verdict, first_seen, urls)


def _day(scalar: sy.Scalar, context: _Context, name: str) -> date | None:
    match = _DAY_RE.match(scalar.value.strip())
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            context.error(
                scalar.line,
                _value_col(scalar) + 8,
                "REL022",
                f"{name}: tanggal {scalar.value.strip()} tidak ada di kalender",
            )
            return None
    context.error(
        scalar.line,
        _value_col(scalar),
        "REL022",
        f"{name} harus berbentuk YYYY-MM-DD (mis. 2024-05-17), bukan '{scalar.value.strip()}'",
    )
    return None


def _source_urls(entry: sy.Entry | None, context: _Context) -> tuple[str, ...] | None:
    if entry is None or _is_null(entry.value):
        return ()
    value = entry.value
    if not isinstance(value, sy.Sequence):
        context.error(
            entry.key_line,
            entry.key_col,
            "REL022",
            "claim.source_urls harus berupa daftar alamat, mis. [https://contoh.id/unggahan]",
        )
        return None
    urls: list[str] = []
    ok = True
    for item in value.items:
        if not isinstance(item, sy.Scalar) or not is_web_url(item.value.strip()):
            shown = item.value.strip() if isinstance(item, sy.Scalar) else sy.describe(item)
            context.error(
                item.line,
                item.col,
                "REL022",
                f"'{shown}' bukan alamat web; setiap source_urls harus diawali http:// atau "
                "https://",
            )
            ok = False
            continue
        urls.append(item.value.strip())
    return tuple(urls) if ok else None


def is_web_url(text: str) -> bool:
    if any(c.isspace() for c in text) or any(ord(c) < 32 for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# --- images ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CheckedImage:
    rel_path: str
    size: int
    mime: str
    data: bytes


def sniff_image_type(head: bytes) -> str | None:
    """MIME type from the magic bytes (JPEG, PNG, WebP), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class _ImageCache:
    """Image files opened once per run, however many releases use them."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._checked: dict[str, tuple[_CheckedImage | None, tuple[str, str] | None]] = {}

    def check(self, rel: str) -> tuple[_CheckedImage | None, tuple[str, str] | None]:
        """The image, or (code, reason) why it cannot be used."""
        if rel not in self._checked:
            self._checked[rel] = self._open(rel)
        return self._checked[rel]

    def check_standalone(self, rel: str) -> list[Diagnostic]:
        _image, problem = self.check(rel)
        if problem is None:
            return []
        return [Diagnostic(rel, 1, 1, problem[0], problem[1])]

    def _open(self, rel: str) -> tuple[_CheckedImage | None, tuple[str, str] | None]:
        path = self._settings.root / rel
        try:
            info = path.lstat()
        except OSError:
            folder = posixpath.dirname(rel)
            try:
                siblings = sorted(
                    p.name for p in (self._settings.root / folder).iterdir() if p.is_file()
                )
            except OSError:
                siblings = []
            hint = did_you_mean(posixpath.basename(rel), siblings)
            return None, ("IMG001", f"berkas gambar {rel} tidak ditemukan{hint}")
        if stat.S_ISLNK(info.st_mode):
            return None, ("FILE002", f"{rel} adalah symlink; symlink tidak diikuti")
        if not stat.S_ISREG(info.st_mode):
            return None, ("IMG001", f"{rel} bukan berkas gambar")
        limit = self._settings.max_image_bytes
        if info.st_size > limit:
            return None, (
                "IMG003",
                f"gambar {rel} terlalu besar ({byte_count(info.st_size)} bita); batasnya "
                f"{byte_count(limit)} bita. Perkecil ukuran atau kompres gambar",
            )
        try:
            data = read_bytes_nofollow(path, limit + 1)
        except OSError as exc:
            return None, ("IMG001", f"gambar {rel} tidak dapat dibaca: {exc.strerror}")
        suffix = posixpath.splitext(rel)[1].lower()
        expected = IMAGE_TYPES.get(suffix)
        if expected is None:
            return None, (
                "IMG004",
                f"{rel}: hanya gambar .jpg, .jpeg, .png atau .webp yang diizinkan",
            )
        actual = sniff_image_type(data[:16])
        if actual is None:
            return None, (
                "IMG004",
                f"isi {rel} bukan gambar JPEG, PNG atau WebP; simpan ulang dalam salah satu "
                "format itu",
            )
        if actual != expected:
            right = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[actual]
            return None, (
                "IMG004",
                f"isi {rel} adalah {actual} tetapi akhiran namanya {suffix}; ganti akhiran "
                f"menjadi {right}",
            )
        return _CheckedImage(rel, len(data), actual, data), None


def resolve_local_path(
    url: str, *, release_dir: str, content_dir: str
) -> tuple[str | None, str | None]:
    """Repository-relative path a relative image reference names, or (None, reason)."""
    if "\\" in url:
        return None, "memuat garis miring terbalik '\\'; gunakan '/'"
    if "%" in url:
        return None, "memuat kode persen ('%'); tulis nama berkas apa adanya"
    if any(c.isspace() for c in url):
        return None, "memuat spasi; nama berkas gambar tidak boleh berspasi"
    path = markup.decoded_path(url)
    if path.startswith("/"):
        joined = posixpath.normpath(f"{content_dir}/{path.lstrip('/')}")
    else:
        joined = posixpath.normpath(posixpath.join(release_dir, path))
    return joined, None


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


def _lead_image(
    entry: sy.Entry,
    context: _Context,
    settings: Settings,
    release_path: ReleasePath,
    images: _ImageCache,
) -> _CheckedImage | None:
    scalar = _scalar(entry, context, "IMG006")
    if scalar is None:
        return None
    value = scalar.value.strip()
    line, col = scalar.line, _value_col(scalar)
    if markup.url_scheme(value) is not None:
        context.error(
            line,
            col,
            "IMG006",
            "gambar utama harus berkas di folder wilayah, bukan alamat web; simpan gambarnya "
            f"di content/{context.region.id}/ dan tulis namanya, mis. image: foto-kegiatan.jpg",
        )
        return None
    if value.startswith("/") or re.match(r"^[A-Za-z]:", value):
        context.error(
            line,
            col,
            "IMG006",
            "tulis jalur gambar relatif terhadap berkas rilis (mis. foto-kegiatan.jpg), "
            "bukan jalur absolut",
        )
        return None
    return _local_image(value, line, col, context, settings, release_path, images)


def _local_image(
    value: str,
    line: int,
    col: int,
    context: _Context,
    settings: Settings,
    release_path: ReleasePath,
    images: _ImageCache,
) -> _CheckedImage | None:
    release_dir = posixpath.dirname(release_path.rel_path)
    resolved, reason = resolve_local_path(
        value, release_dir=release_dir, content_dir=settings.content_dir
    )
    if resolved is None:
        context.error(line, col, "IMG006", f"jalur gambar '{value}' {reason}")
        return None
    region_folder = f"{settings.content_dir}/{context.region.id}"
    if not _inside(resolved, region_folder):
        context.error(
            line,
            col,
            "IMG002",
            f"gambar '{value}' berada di luar folder wilayah ({resolved}); simpan gambar di "
            f"{region_folder}/ dan rujuk dari sana",
        )
        return None
    for segment in resolved.split("/")[1:]:
        naming = segment_problem(segment)
        if naming is not None:
            context.error(line, col, "IMG006", f"nama '{segment}' {naming}")
            return None
    image, problem = images.check(resolved)
    if problem is not None:
        context.error(line, col, problem[0], problem[1])
        return None
    return image


def _check_body_images(
    body: str,
    first_line: int,
    context: _Context,
    settings: Settings,
    images: _ImageCache,
    renderable: bool,
) -> None:
    if not renderable:
        return  # refused by the budget: scanning it further could take minutes
    release_path_stub = ReleasePath(context.rel, context.region.id, "", "", "")
    references = [r for r in markup.find_references(body, first_line) if r.is_image]
    seen = {r.url.strip() for r in references}
    for source in markup.rendered_image_sources(body):
        if source.strip() in seen:
            continue
        # An image only the renderer sees (a reference definition, deeper nesting).
        seen.add(source.strip())
        offset = body.find(source)
        line, col = line_col(body, offset) if offset >= 0 else (1, 1)
        references.append(markup.Reference(source, line + first_line - 1, col, True, "-"))
    for reference in references:
        scheme = markup.url_scheme(reference.url)
        if scheme in ("http", "https") or reference.url.strip().startswith("//"):
            context.error(
                reference.line,
                reference.col,
                "MD006",
                "gambar dari situs lain tidak diizinkan (portal tidak memuat apa pun dari luar "
                f"demi privasi pembaca); simpan gambar di content/{context.region.id}/ dan "
                "rujuk namanya",
            )
            continue
        if scheme is not None or not reference.url.strip():
            continue  # MD001 already says so
        _local_image(
            reference.url.strip(),
            reference.line,
            reference.col,
            context,
            settings,
            release_path_stub,
            images,
        )
