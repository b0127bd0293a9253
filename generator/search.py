"""The portal's own search index: built from the pages, updated by what changed.

Why not Pagefind (used until issue 6): it re-indexes every page on every build (21 s and
2.8 GB at 10,000 releases, about 30 GB at 100,000) and its page list and filters are whole-site
files every query downloads. This index is made for an archive that only grows:

* **Documents.** Every page with ``data-pagefind-body`` (release pages, the first page of each
  region, the offices page) becomes one :class:`SearchRecord`, made from its HTML by
  :func:`record_from_html` and cached under the page's own cache key, so a page is read once.
  The ``data-pagefind-*`` attributes stay the portal's search contract (ARCHITECTURE.md):
  the same pages could still be indexed by Pagefind.
* **Partitions.** Postings are split by the release's year (undated pages in partition 0).
  A changed release rewrites only the lists of its own words in its own year; a query reads
  the newest partitions first and older ones only when the reader asks for more, so a common
  word costs what its newest years cost; a build from nothing holds one partition in memory.
* **Files** (format 1, under ``cari/indeks/``, described in ARCHITECTURE.md): ``meta.json``
  (counts, partitions, filter values), ``kamus/<p2>.json`` (document frequency of each stem
  per partition), ``kata/<year>/…`` (posting lists: one file per common stem, small stems
  grouped by their first three letters), ``saring/<year>/<filter>/<value>.txt`` (filter
  lists) and ``dok/<id[:2]>/<id>.json`` (what a result shows).
* **Words.** :func:`terms_of` (Unicode-folded tokens, a short stopword list, the Snowball
  Indonesian stemmer) is mirrored exactly by ``assets/search.js`` and the vendored
  Snowball JavaScript stemmer; a browser test compares the two.

:func:`update_index` applies removed and added records to the previous index files. A build
from nothing is the same function with every record added, so an updated index is
byte-identical to one built from scratch (tested).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from typing import Any

from .diagnostics import PortalError

#: Folder of the index inside the built site (its URL is ``/cari/indeks/``).
INDEX_DIR = "cari/indeks"
#: Version of the file format; ``meta.json`` says it, ``search.js`` checks it.
FORMAT_VERSION = 1
#: A stem with at least this many documents in a partition gets a posting file of its own;
#: rarer stems share a file with the stems of the same first three letters (fewer files).
OWN_FILE_THRESHOLD = 32
#: Filters the pages emit (``data-pagefind-filter``), in the order the search page lists them.
FILTER_NAMES = ("wilayah", "provinsi", "kategori", "jenis", "tahun")
#: Filters with posting lists of their own; ``tahun`` selects partitions instead.
LIST_FILTERS = ("wilayah", "provinsi", "kategori", "jenis")
#: Sort key the pages emit (``data-pagefind-sort``): the release's ISO 8601 date and time.
SORT_NAME = "tanggal"
#: Metadata the pages emit (``data-pagefind-meta``) and the search page shows under each result.
META_NAMES = ("wilayah", "tanggal")

#: Words too common to help a search (they would be the longest lists of all); matched as
#: whole tokens before stemming. The same list is in ``assets/search.js``.
STOPWORDS = frozenset(
    [
        "ada",
        "adalah",
        "agar",
        "akan",
        "antara",
        "atau",
        "bagi",
        "bahwa",
        "dalam",
        "dan",
        "dapat",
        "dari",
        "dengan",
        "di",
        "hingga",
        "ini",
        "itu",
        "juga",
        "karena",
        "ke",
        "kepada",
        "lebih",
        "oleh",
        "pada",
        "para",
        "saat",
        "sebagai",
        "secara",
        "serta",
        "sudah",
        "telah",
        "tersebut",
        "tidak",
        "untuk",
        "yaitu",
        "yakni",
        "yang",
    ]
)
_MAX_TOKEN = 40
_TOKEN = re.compile(r"[^\W_]+")
#: base32hex: ASCII order equals numeric order, and lower case only (file names of ids stay
#: distinct on case-insensitive file systems).
ALPHABET = "0123456789abcdefghijklmnopqrstuv"
_ID_LENGTH = 10  # 50 bits of sha256(url): a collision is refused, not ignored
_TIME_LENGTH = 4  # inverted minutes since 31 December of the year before, UTC
_RECORD_LENGTH = _TIME_LENGTH + _ID_LENGTH + 1
_MAX_WEIGHT = len(ALPHABET) - 1
#: BM25's term-frequency part with a fixed average length: an average over the archive would
#: change every weight whenever one release is added. Title words count three times.
_K1, _B, _AVERAGE_LENGTH, _TITLE_BOOST = 1.2, 0.75, 300.0, 3
_ASCII_STEM = re.compile(r"[a-z0-9]{1,40}")
_SLUG_RUN = re.compile(r"[^a-z0-9]+")


class SearchIndexError(PortalError):
    """The search index could not be built."""


# --- Words -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("indonesian")


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return str(_stemmer().stemWord(token))


def fold(text: str) -> str:
    """Compatibility decomposition without combining marks, lower-cased (``É`` → ``e``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():
        # Only the distinct characters are looked up: a page has a few dozen, not thousands.
        marks = {ord(c): None for c in set(decomposed) if unicodedata.category(c).startswith("M")}
        if marks:
            decomposed = decomposed.translate(marks)
    return decomposed.lower()


def terms_of(text: str) -> list[str]:
    """The stems of ``text`` in order (duplicates kept), as the index and every query see it.

    ``membangun``, ``pembangunan`` and ``dibangun`` all become ``bangun``. Tokens of one
    character, of more than 40 and the stopwords are dropped.
    """
    return [
        _stem(token)
        for token in _TOKEN.findall(fold(text))
        if 1 < len(token) <= _MAX_TOKEN and token not in STOPWORDS
    ]


def p2(stem: str) -> str:
    """Dictionary bucket of a stem (its first two letters, or ``_``)."""
    head = stem[:2]
    return head if len(head) == 2 and _ASCII_STEM.fullmatch(head) else "_"


def p3(stem: str) -> str:
    """Posting bucket of a small stem (its first three letters, or ``_``)."""
    head = stem[:3]
    return head if len(head) == 3 and _ASCII_STEM.fullmatch(head) else "_"


def slug(label: str) -> str:
    """File name of a filter value (``Jawa Barat`` → ``jawa-barat-5f1c2a``): readable, and
    never shared by two labels (``Jawa Barat`` and ``Jawa-Barat`` fold alike)."""
    text = _SLUG_RUN.sub("-", fold(label)).strip("-")[:60]
    return f"{text or 'x'}-{sha256(label.encode('utf-8')).hexdigest()[:6]}"


_RESERVED = re.compile(r"con|prn|aux|nul|com[0-9]|lpt[0-9]")


def file_name(name: str) -> str:
    """``name`` with a trailing ``_`` where Windows refuses it as a file name (``con.txt``):
    a site built or previewed on Windows must not fail on a word. search.js does the same."""
    return f"{name}_" if _RESERVED.fullmatch(name) else name


def postings_path(year: int, stem: str, df: int) -> str:
    """Where the posting list of ``stem`` in partition ``year`` lives (``df`` documents)."""
    if df >= OWN_FILE_THRESHOLD and _ASCII_STEM.fullmatch(stem):
        return f"kata/{year}/{file_name(stem)}.txt"
    return f"kata/{year}/{file_name(p3(stem))}.json"


def _base32(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def document_id(url: str) -> str:
    """A page's permanent id in the index: 50 bits of sha256 of its URL, base32hex."""
    return _base32(int.from_bytes(sha256(url.encode("utf-8")).digest()[:7], "big") >> 6, 10)


def time_key(year: int, iso: str) -> str:
    """Inverted minutes since 31 December of ``year - 1`` (UTC): sorting ascending is newest
    first. ``0000`` (undated pages) sorts before every release."""
    if year <= 0:
        return "0" * _TIME_LENGTH
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC)
    start = datetime(year - 1, 12, 31, tzinfo=UTC)
    minutes = int((moment - start).total_seconds() // 60)
    top = 32**_TIME_LENGTH - 1
    return _base32(top - min(max(minutes, 0), top - 1), _TIME_LENGTH)


# --- Records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchRecord:
    """One indexed page: where it is, when, its filters, its stems' weights, what a result
    shows. Made from the page's HTML only, so it is cached under the page's key."""

    url: str
    doc_id: str
    #: Partition: the release's ``tahun`` filter value, 0 for an undated page.
    year: int
    #: 4 characters, see :func:`time_key`.
    time_key: str
    #: (stem, weight 1..31), sorted by stem.
    weights: tuple[tuple[str, int], ...]
    #: (filter name, value label), sorted; ``tahun`` is the partition, not listed here.
    filters: tuple[tuple[str, str], ...]
    #: The ``dok/…`` file's JSON text (url, judul, wilayah, tanggal, jenis, isi).
    fragment: str

    def posting(self, weight: int) -> str:
        return f"{self.time_key}{self.doc_id}{ALPHABET[weight]}"

    def to_json(self) -> str:
        return json.dumps(
            [
                self.url,
                self.doc_id,
                self.year,
                self.time_key,
                self.weights,
                self.filters,
                self.fragment,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> SearchRecord:
        url, doc_id, year, key, weights, filters, fragment = json.loads(text)
        return cls(
            url,
            doc_id,
            int(year),
            key,
            tuple((str(s), int(w)) for s, w in weights),
            tuple((str(n), str(v)) for n, v in filters),
            fragment,
        )


#: Elements that do not separate words (``<b>Ke</b>menterian`` is one word).
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)
_SKIPPED = frozenset({"script", "style", "template", "noscript", "svg"})


def record_from_html(url: str, html: str | bytes) -> SearchRecord | None:
    """The search record of a built page, or None when the page is not indexed (no element
    with ``data-pagefind-body``). Follows the search contract: text inside
    ``data-pagefind-ignore`` is not indexed; filters, sort key and metadata are read from the
    ``data-pagefind-filter``/``-sort``/``-meta`` elements wherever they are."""
    import lxml.html

    if isinstance(html, str):
        html = html.encode("utf-8")
    if b"data-pagefind-body" not in html:
        return None
    document = lxml.html.document_fromstring(html)
    bodies = document.xpath("//*[@data-pagefind-body]")
    if not bodies:
        return None
    filters: list[tuple[str, str]] = []
    meta: dict[str, str] = {}
    sort = ""
    for element in document.xpath(
        "//*[@data-pagefind-filter or @data-pagefind-meta or @data-pagefind-sort]"
    ):
        value = " ".join(element.text_content().split())
        if (name := element.get("data-pagefind-filter")) and value and name in FILTER_NAMES:
            filters.append((name, value))
        if (name := element.get("data-pagefind-meta")) and name not in meta:
            meta[name] = value
        if element.get("data-pagefind-sort") == SORT_NAME and not sort:
            sort = value
    title = ""
    for heading in document.xpath("//*[@data-pagefind-body]//h1"):
        title = " ".join(heading.text_content().split())
        break
    if not title:
        title = " ".join((document.findtext(".//title") or url).split())
    parts: list[str] = []
    for body in bodies:
        _collect_text(body, parts, title_seen=[False])
    text = " ".join("".join(parts).split())
    years = [int(v) for n, v in filters if n == "tahun" and v.isdigit()]
    year = years[0] if years and sort else 0
    kinds = [v for n, v in filters if n == "jenis"]
    weights = _weights(terms_of(title), terms_of(text), terms_of(meta.get("wilayah", "")))
    fragment = json.dumps(
        {
            "url": url,
            "judul": title,
            "wilayah": meta.get("wilayah", ""),
            "tanggal": meta.get("tanggal", ""),
            "jenis": kinds[0] if kinds else "",
            "isi": text,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return SearchRecord(
        url=url,
        doc_id=document_id(url),
        year=year,
        time_key=time_key(year, sort),
        weights=weights,
        filters=tuple(sorted(set((n, v) for n, v in filters if n in LIST_FILTERS))),
        fragment=fragment,
    )


def _collect_text(element: Any, parts: list[str], title_seen: list[bool]) -> None:
    """Text of ``element`` without ignored parts and without its first ``<h1>`` (the title
    is indexed, and shown, on its own); block elements separate words."""
    tag = element.tag if isinstance(element.tag, str) else ""
    skip = (
        tag in _SKIPPED
        or element.get("data-pagefind-ignore") is not None
        or element.get("hidden") is not None
        or (tag == "h1" and not title_seen[0])
    )
    if tag == "h1":
        title_seen[0] = True
    separator = "" if tag in _INLINE else " "
    if not skip:
        parts.append(separator)
        if element.text:
            parts.append(element.text)
        for child in element:
            _collect_text(child, parts, title_seen)
        parts.append(separator)
    if element.tail:
        parts.append(element.tail)


def _weights(
    title: Sequence[str], body: Sequence[str], region: Sequence[str]
) -> tuple[tuple[str, int], ...]:
    counts: dict[str, float] = defaultdict(float)
    for stem in body:
        counts[stem] += 1
    for stem in title:
        counts[stem] += _TITLE_BOOST
    for stem in set(region):  # the region's name finds its releases, once
        counts[stem] += 1
    length = len(title) + len(body)
    norm = _K1 * (1 - _B + _B * length / _AVERAGE_LENGTH)
    weights = []
    for stem, tf in counts.items():
        part = tf * (_K1 + 1) / (tf + norm) / (_K1 + 1)
        weights.append((stem, max(1, min(_MAX_WEIGHT, round(part * _MAX_WEIGHT)))))
    return tuple(sorted(weights))


# --- The index files ---------------------------------------------------------------------------


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _scan_order(year: int) -> tuple[int, int]:
    """Partition 0 (undated pages) first, then the years from the newest."""
    return (0, 0) if year == 0 else (1, -year)


def fragment_path(doc_id: str) -> str:
    return f"dok/{doc_id[:2]}/{doc_id}.json"


class _Index:
    """The previous index files, read on demand, and this update's changes to them."""

    def __init__(
        self, read: Callable[[str], bytes | None], sink: Callable[[str, bytes | None], None]
    ) -> None:
        self._read = read
        self._sink = sink
        #: Files written since the last :meth:`flush` (one partition's, then the dictionary's).
        self.changes: dict[str, bytes | None] = {}
        self._kamus: dict[str, dict[str, dict[int, int]]] = {}
        self._groups: dict[str, dict[str, str]] = {}
        #: The dictionary buckets that exist (listed in meta.json: a query asks for no other).
        self.buckets: set[str] = set()
        #: Ids removed and added so far (a page can move between partitions).
        self.removed_ids: set[str] = set()
        self.added_urls: dict[str, str] = {}

    def read(self, path: str) -> bytes | None:
        if path in self.changes:
            return self.changes[path]
        return self._read(path)

    def write(self, path: str, data: bytes | None) -> None:
        self.changes[path] = data

    def flush(self) -> None:
        """Hand the finished files to the sink: a partition's files are final once it is
        done (no later partition reads them), so an index of 100,000 releases is never held
        in memory whole."""
        for path, data in sorted(self.changes.items()):
            self._sink(path, data)
        self.changes.clear()

    # The dictionary: stem -> partition -> document frequency.

    def kamus(self, stem: str) -> dict[int, int]:
        bucket = p2(stem)
        if bucket not in self._kamus:
            raw = self.read(f"kamus/{bucket}.json")
            loaded = json.loads(raw) if raw else {}
            self._kamus[bucket] = {
                stem: {int(y): int(n) for y, n in pairs} for stem, pairs in loaded.items()
            }
        return self._kamus[bucket].setdefault(stem, {})

    def flush_kamus(self) -> None:
        for bucket, stems in sorted(self._kamus.items()):
            content = {
                s: [[y, n] for y, n in sorted(years.items(), key=lambda p: _scan_order(p[0])) if n]
                for s, years in stems.items()
                if any(years.values())
            }
            self.write(f"kamus/{bucket}.json", _dumps(content) if content else None)
            if content:
                self.buckets.add(bucket)
            else:
                self.buckets.discard(bucket)
        self._kamus.clear()

    # Posting lists.

    def postings(self, path: str, stem: str) -> str:
        if path.endswith(".txt"):
            raw = self.read(path)
            return raw.decode("utf-8") if raw else ""
        return self._group(path).get(stem, "")

    def set_postings(self, path: str, stem: str, postings: str) -> None:
        if path.endswith(".txt"):
            self.write(path, postings.encode("utf-8") if postings else None)
        elif postings:
            self._group(path)[stem] = postings
        else:
            self._group(path).pop(stem, None)

    def _group(self, path: str) -> dict[str, str]:
        if path not in self._groups:
            raw = self.read(path)
            self._groups[path] = dict(json.loads(raw)) if raw else {}
        return self._groups[path]

    def flush_groups(self) -> None:
        for path, stems in sorted(self._groups.items()):
            self.write(path, _dumps(stems) if stems else None)
        self._groups.clear()


def _merge(old: str, removed: set[str], added: Sequence[str]) -> str:
    """A posting list without the records of ``removed`` ids, with ``added`` records."""
    count = len(old) // _RECORD_LENGTH
    if (len(removed) + len(added)) * 16 < count:
        return _merge_few(old, removed, added)
    records = [
        old[i : i + _RECORD_LENGTH]
        for i in range(0, len(old), _RECORD_LENGTH)
        if old[i + _TIME_LENGTH : i + _TIME_LENGTH + _ID_LENGTH] not in removed
    ]
    records.extend(added)
    records.sort()
    return "".join(records)


def _merge_few(text: str, removed: set[str], added: Sequence[str]) -> str:
    """:func:`_merge` for a few changes to a long list (one edited release in a common word's
    list of thousands): string search and binary insertion instead of splitting the list."""
    for doc_id in removed:
        position = text.find(doc_id)
        while position >= 0 and (position - _TIME_LENGTH) % _RECORD_LENGTH:
            position = text.find(doc_id, position + 1)
        if position >= 0:
            start = position - _TIME_LENGTH
            text = text[:start] + text[start + _RECORD_LENGTH :]
    for record in sorted(added):
        low, high = 0, len(text) // _RECORD_LENGTH
        while low < high:
            middle = (low + high) // 2
            if text[middle * _RECORD_LENGTH : (middle + 1) * _RECORD_LENGTH] < record:
                low = middle + 1
            else:
                high = middle
        text = text[: low * _RECORD_LENGTH] + record + text[low * _RECORD_LENGTH :]
    return text


def update_index(
    read: Callable[[str], bytes | None],
    batches: Iterable[tuple[int, Iterable[SearchRecord], Iterable[SearchRecord]]],
    write: Callable[[str, bytes | None], None] | None = None,
) -> dict[str, bytes | None]:
    """Apply changes to the index whose files ``read`` returns (``None``: no such file).

    ``batches`` yields, one partition at a time, ``(year, removed, added)``: the records that
    left the partition (their previous version) and the records that entered it (each read
    once, so they can be loaded lazily). A changed page is removed with its previous record
    and added with its new one. Every file that may have changed is handed to ``write(path,
    data)`` (``None``: delete it) as soon as it is final; without ``write``, the files that did
    change are returned instead. With an empty previous index and every record added this
    builds the whole index; both ways give the same bytes.
    """
    collected: dict[str, bytes | None] = {}

    def collect(path: str, data: bytes | None) -> None:
        if read(path) != data:
            collected[path] = data

    index = _Index(read, write or collect)
    raw_meta = index.read("meta.json")
    meta = json.loads(raw_meta) if raw_meta else {}
    counts: dict[int, int] = {int(y): int(n) for y, n in meta.get("jumlah", [])}
    index.buckets = set(meta.get("kamus", []))
    value_counts: dict[tuple[str, str], dict[int, int]] = {}
    labels: dict[tuple[str, str], str] = {}
    for name, values in meta.get("saringan", {}).items():
        if name == "tahun":
            continue
        for value in values:
            key = (name, value["slug"])
            labels[key] = value["label"]
            value_counts[key] = {int(y): int(n) for y, n in value["jumlah"]}
    for year, removed, added in batches:
        _update_partition(index, year, removed, added, counts, value_counts, labels)
        index.flush_groups()
        index.flush()
    index.flush_kamus()
    counts = {y: n for y, n in counts.items() if n > 0}
    if counts:
        index.write("meta.json", _dumps(_meta(counts, value_counts, labels, index.buckets)))
    else:
        index.write("meta.json", None)
    index.flush()
    return dict(sorted(collected.items()))


def _update_partition(
    index: _Index,
    year: int,
    removed: Iterable[SearchRecord],
    added: Iterable[SearchRecord],
    counts: dict[int, int],
    value_counts: dict[tuple[str, str], dict[int, int]],
    labels: dict[tuple[str, str], str],
) -> None:
    removed_by_stem: dict[str, set[str]] = defaultdict(set)
    added_by_stem: dict[str, list[str]] = defaultdict(list)
    removed_by_value: dict[tuple[str, str], set[str]] = defaultdict(set)
    added_by_value: dict[tuple[str, str], list[str]] = defaultdict(list)
    difference = 0
    for record in removed:
        difference -= 1
        for stem, _weight in record.weights:
            removed_by_stem[stem].add(record.doc_id)
        for name, label in record.filters:
            removed_by_value[(name, slug(label))].add(record.doc_id)
        index.removed_ids.add(record.doc_id)
        if record.doc_id not in index.added_urls:  # not already re-added in another year
            index.write(fragment_path(record.doc_id), None)
    for record in added:
        difference += 1
        for stem, weight in record.weights:
            added_by_stem[stem].append(record.posting(weight))
        for name, label in record.filters:
            key = (name, slug(label))
            labels.setdefault(key, label)
            added_by_value[key].append(record.posting(1))
        _check_unique(index, record)
        index.added_urls[record.doc_id] = record.url
        index.write(fragment_path(record.doc_id), record.fragment.encode("utf-8"))
    counts[year] = counts.get(year, 0) + difference
    for stem in sorted(set(removed_by_stem) | set(added_by_stem)):
        dfs = index.kamus(stem)
        old_path = postings_path(year, stem, dfs.get(year, 0))
        old = index.postings(old_path, stem)
        new = _merge(old, removed_by_stem.get(stem, set()), added_by_stem.get(stem, ()))
        df = len(new) // _RECORD_LENGTH
        new_path = postings_path(year, stem, df)
        if new_path != old_path:
            index.set_postings(old_path, stem, "")
        index.set_postings(new_path, stem, new)
        dfs[year] = df
    for key in sorted(set(removed_by_value) | set(added_by_value)):
        name, value = key
        path = f"saring/{year}/{name}/{file_name(value)}.txt"
        new = _merge(
            index.postings(path, ""), removed_by_value.get(key, set()), added_by_value.get(key, ())
        )
        index.set_postings(path, "", new)
        value_counts.setdefault(key, {})[year] = len(new) // _RECORD_LENGTH


def _check_unique(index: _Index, record: SearchRecord) -> None:
    """Two pages with one id would share a result: refused (50 bits make it very unlikely).
    A page moving to another year is the same page, not a second one."""
    other = index.added_urls.get(record.doc_id)
    if other is None and record.doc_id not in index.removed_ids:
        existing = index.read(fragment_path(record.doc_id))
        other = json.loads(existing).get("url") if existing else None
    if other is not None and other != record.url:
        raise SearchIndexError(
            f"{record.url}: nomor indeks pencarian {record.doc_id} sama dengan halaman "
            f"{other}; ubah nama berkas salah satunya"
        )
    if other == record.url and record.doc_id in index.added_urls:
        raise SearchIndexError(f"{record.url}: halaman ini masuk indeks pencarian dua kali")


def _meta(
    counts: Mapping[int, int],
    value_counts: Mapping[tuple[str, str], Mapping[int, int]],
    labels: Mapping[tuple[str, str], str],
    buckets: set[str],
) -> dict[str, Any]:
    """``meta.json``: what a query needs before its first word (sizes grow with the number
    of partitions and filter values, never with the number of documents)."""
    order = sorted(counts, key=_scan_order)
    filters: dict[str, list[dict[str, Any]]] = {}
    for (name, value), per_year in sorted(value_counts.items()):
        years = sorted((y for y, n in per_year.items() if n > 0), key=_scan_order)
        if years:
            filters.setdefault(name, []).append(
                {
                    "label": labels[(name, value)],
                    "slug": value,
                    "tahun": years,
                    "jumlah": [[y, per_year[y]] for y in years],
                }
            )
    for values in filters.values():
        values.sort(key=lambda v: (fold(v["label"]), v["slug"]))
    filters["tahun"] = [
        {"label": str(y), "slug": str(y), "tahun": [y], "jumlah": [[y, counts[y]]]}
        for y in order
        if y > 0
    ]
    return {
        "versi": FORMAT_VERSION,
        "dokumen": sum(counts.values()),
        "ambang": OWN_FILE_THRESHOLD,
        "tahun": order,
        "jumlah": [[y, counts[y]] for y in order],
        "kamus": sorted(buckets),
        "saringan": {name: filters.get(name, []) for name in FILTER_NAMES},
    }


def stamped_meta(meta: bytes, digests: Mapping[str, str]) -> bytes:
    """``meta.json`` with ``stempel``: a digest of every other index file (path → sha256).
    ``search.js`` asks for every other file with ``?v=<stempel>``, so no cache ever mixes
    files of two builds; it changes exactly when some other index file changes."""
    content = json.loads(meta)
    content["stempel"] = sha256(
        "\n".join(
            f"{path}={digests[path]}" for path in sorted(digests) if path != "meta.json"
        ).encode("utf-8")
    ).hexdigest()[:16]
    return _dumps(content)


def build_index(records: Iterable[SearchRecord]) -> dict[str, bytes]:
    """Every index file for ``records`` (a build from nothing; used by tests and tools)."""
    by_year: dict[int, list[SearchRecord]] = defaultdict(list)
    for record in records:
        by_year[record.year].append(record)
    batches = [(year, (), by_year[year]) for year in sorted(by_year, key=_scan_order)]
    changes = update_index(lambda path: None, batches)
    files = {path: data for path, data in changes.items() if data is not None}
    if "meta.json" in files:
        digests = {path: sha256(data).hexdigest() for path, data in files.items()}
        files["meta.json"] = stamped_meta(files["meta.json"], digests)
    return files


def iter_batches(
    years: Iterable[int],
    removed: Callable[[int], Iterable[SearchRecord]],
    added: Callable[[int], Iterable[SearchRecord]],
) -> Iterator[tuple[int, Iterable[SearchRecord], Iterable[SearchRecord]]]:
    """``(year, removed, added)`` for each partition, records loaded one partition at a time
    (a build from nothing at 100,000 releases never holds every record at once)."""
    for year in sorted(set(years), key=_scan_order):
        yield year, removed(year), added(year)


@dataclass(frozen=True)
class SearchReport:
    """What one index update did (for the build log and the benchmark)."""

    documents: int
    added: int
    removed: int
    files_changed: int
    #: Files and bytes of the whole index after the update.
    file_count: int
    index_bytes: int


def index_site(site_dir: Path) -> SearchReport:
    """Index every page of a built folder that follows the search contract and write the index
    to ``site_dir/cari/indeks/`` (a previous index there is replaced). The portal's builds
    update their index through the plugin instead; this is for any other folder (tests, a
    site built by another tool). Records wait in a temporary file per partition, so memory
    holds one partition at a time."""
    import shutil
    import tempfile

    site_dir = site_dir.resolve()
    if not site_dir.is_dir():
        raise SearchIndexError(f"{site_dir}: folder situs hasil build tidak ditemukan")
    output = site_dir / INDEX_DIR
    shutil.rmtree(output, ignore_errors=True)
    digests: dict[str, str] = {}
    sizes: dict[str, int] = {}
    meta = b""

    def write(relative: str, data: bytes | None) -> None:
        nonlocal meta
        if data is None:
            return
        if relative == "meta.json":
            meta = data
            return
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        digests[relative] = sha256(data).hexdigest()
        sizes[relative] = len(data)

    with tempfile.TemporaryDirectory(prefix="portal-index-") as spool:
        documents = 0
        for path in sorted(site_dir.rglob("*.html")):
            url = path.relative_to(site_dir).as_posix().removesuffix("index.html")
            if (record := record_from_html(url, path.read_bytes())) is not None:
                with open(Path(spool, f"{record.year}.jsonl"), "a", encoding="utf-8") as lines:
                    lines.write(record.to_json() + "\n")
                documents += 1

        def records_of(year: int) -> Iterator[SearchRecord]:
            with open(Path(spool, f"{year}.jsonl"), encoding="utf-8") as lines:
                for line in lines:
                    yield SearchRecord.from_json(line)

        years = [int(name.stem) for name in Path(spool).glob("*.jsonl")]
        update_index(lambda path: None, iter_batches(years, lambda y: (), records_of), write)
    if meta:
        stamped = stamped_meta(meta, digests)
        output.mkdir(parents=True, exist_ok=True)
        (output / "meta.json").write_bytes(stamped)
        sizes["meta.json"] = len(stamped)
    return SearchReport(
        documents=documents,
        added=documents,
        removed=0,
        files_changed=len(sizes),
        file_count=len(sizes),
        index_bytes=sum(sizes.values()),
    )


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
    """Bytes the search page fetched to answer one query (a cold browser cache)."""

    query: str
    #: Result count the search page reported ("Ditemukan 3 hasil untuk …"; 0 for none).
    result_count: int
    #: Bytes of every response the query needed: the index files and the search page's code.
    total_bytes: int
    #: The index files alone (``/cari/indeks/``), gzip-compressed as a web server or CDN
    #: sends JSON and text: what grows with the archive.
    index_bytes: int
    #: ``total_bytes`` as a compressing web server or CDN sends it (gzip, level 6).
    total_gzip_bytes: int
    #: Number of those requests.
    requests: int


#: The search page's own code, fetched once per visitor whatever the query.
_CODE_FILES = ("/assets/search.js", "/assets/stemmer-id.js", "/assets/search.css")


def query_cost(
    site_dir: Path,
    queries: Sequence[str],
    *,
    chromium_path: str = CHROMIUM_PATH,
    timeout_seconds: float = 60.0,
) -> tuple[QueryCost, ...]:
    """Open ``cari/?q=<query>`` of the built site in headless Chromium, once per query with a
    cold cache, and measure the bytes of the index files and the search code it fetched until
    the outcome is announced.

    The site is served from ``site_dir`` on 127.0.0.1 by a local threaded HTTP server for the
    duration of the call. Needs the ``playwright`` package and Debian's Chromium (no browser
    download). ``total_gzip_bytes`` is what a compressing server would send.
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
                        if response.ok and (f"/{INDEX_DIR}/" in path or path.endswith(_CODE_FILES)):
                            bodies[path] = response.body()

                    page.on("response", record)
                    page.goto(f"{base_url}/cari/?q={_quote(query)}", timeout=timeout_seconds * 1000)
                    page.wait_for_function(_RESULTS_SHOWN_JS, timeout=timeout_seconds * 1000)
                    page.wait_for_load_state("networkidle", timeout=timeout_seconds * 1000)
                    count = page.get_attribute(".portal-cari-page", "data-jumlah")
                    costs.append(_cost(query, int(count or 0), bodies))
                finally:
                    context.close()
        finally:
            browser.close()
    return tuple(costs)


#: True once search.js has drawn the outcome of the search (``data-state="selesai"``;
#: ``data-jumlah`` is then the number of results).
_RESULTS_SHOWN_JS = """() => {
  const box = document.querySelector('.portal-cari-page');
  return !!box && box.dataset.state === 'selesai';
}"""


def _cost(query: str, result_count: int, bodies: dict[str, bytes]) -> QueryCost:
    import gzip

    compressed = {url: len(gzip.compress(body, 6, mtime=0)) for url, body in bodies.items()}
    index_bytes = sum(size for url, size in compressed.items() if f"/{INDEX_DIR}/" in url)
    gzip_bytes = sum(compressed.values())
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
