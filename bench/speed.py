"""Where a naislint user waits, measured in one run: start-up, pre-commit, cold and warm
runs against the markdown-it-py parse floor and the peers, the stages of a cold run, the
language server's first diagnostics, and the default ``--jobs`` on small sites.

Each corpus is copied to a temporary folder (so caches can be written). Every command is
timed as a user runs it (a fresh interpreter, byte-code caching on); each figure is the
best of ``--repeat`` runs. Besides the wall time the table shows the CPU time (user +
system, of the process and every process it waited for): on a machine other work shares,
the CPU time of a one-process command is what its wall time would be on an idle one.
Peak memory is the largest resident set of the process tree while it ran. For a run the
warm process serves (``naislint daemon``), the CPU time and memory are the client's alone:
the copy that does the work is the warm process's child, not the client's.

Sections (``--only`` picks some, comma-separated):

- ``startup``: ``python -c pass``, ``python -c "import markdown_it"``, naislint on a
  one-page site (without and with a cache), on one loose page, and served by the warm
  process (``naislint daemon``);
- ``corpora``: for each corpus, the parse floor at 2 processes, naislint cold at 1 and 2
  jobs, warm, one page changed (whole site), the changed page alone (pre-commit) on the
  largest site in its own process and served by the warm process, markdownlint-cli2 and
  rumdl when they are on PATH;
- ``stages``: where a cold one-process run of the first corpus goes, stage by stage
  (exclusive wall time of each stage's functions, timed in-process);
- ``lsp``: the language server's first diagnostics for a page of the largest site after
  ``didOpen`` (no cache, then a warm one) and after one edit;
- ``jobs``: the default ``--jobs`` against ``-j 1`` on sites of 1 to 1,300 pages.

    python bench/speed.py [CORPUS ...] [--repeat 3] [--only startup,corpora]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_CORPORA = [SHARED / "corpus", SHARED / "corpus-plain"]
SECTIONS = ("startup", "corpora", "stages", "lsp", "jobs")
#: Pages of the sites the ``jobs`` section compares the default --jobs on.
JOB_SITE_SIZES = (1, 10, 23, 75, 300, 1300)


def markdown_files(root: Path) -> list[Path]:
    skip = {"_site", ".git", "node_modules", "vendor", ".naislint_cache"}
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        out.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith((".md", ".markdown")))
    return out


def _parse_one(path: Path) -> int:
    from naislint.page.markdown import parser

    text = path.read_bytes().decode("utf-8", errors="replace")
    return len(parser().parse(text))


FLOOR_COMMAND = """
import multiprocessing, sys
sys.path.insert(0, {bench!r})
from speed import _parse_one, markdown_files
from pathlib import Path
files = markdown_files(Path({corpus!r}))
if {processes} == 1:
    for f in files:
        _parse_one(f)
else:
    with multiprocessing.get_context("fork").Pool({processes}) as pool:
        pool.map(_parse_one, files, chunksize=16)
"""


def floor_command(corpus: Path, processes: int) -> list[str]:
    """The parse floor as a command, paying what a naislint command pays besides the
    rules: interpreter start, imports, walking the folder, reading the files."""
    code = FLOOR_COMMAND.format(bench=str(Path(__file__).parent), corpus=str(corpus), processes=processes)
    return [sys.executable, "-c", code]


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants, from /proc."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as handle:
                todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return total


#: Commands run as a user's would: with byte-code caching on (some sandboxes turn it off,
#: which makes every run compile naislint's modules again), and not as a pre-commit hook.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PRE_COMMIT")}
ENV["NAISLINT_DAEMON"] = "off"


def warm_process_env(tmp: Path) -> dict[str, str]:
    """The environment of runs a warm process serves (``naislint daemon``), with its socket
    in a private folder of the benchmark's own, so no other warm process answers."""
    runtime = tmp / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {**ENV, "NAISLINT_DAEMON": "on", "XDG_RUNTIME_DIR": str(runtime)}


def daemon(command: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "naislint", "daemon", command], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False, timeout=120)


class Timing:
    """Wall seconds, CPU seconds and peak tree memory (KiB) of a command: best of runs."""

    def __init__(self, wall: float, cpu: float, peak_kb: int) -> None:
        self.wall, self.cpu, self.peak_kb = wall, cpu, peak_kb

    @classmethod
    def best(cls, runs: "list[Timing]") -> "Timing":
        return cls(min(r.wall for r in runs), min(r.cpu for r in runs), max(r.peak_kb for r in runs))


def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> Timing:
    """One run of a command: wall time, CPU time (from ``wait4``) and peak tree RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    return Timing(elapsed, usage.ru_utime + usage.ru_stime, peak)


def best(cmd: list[str], repeat: int, before: Callable[[], None] | None = None, cwd: Path | None = None,
         env: dict | None = None) -> Timing:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(timed(cmd, cwd, env))
    return Timing.best(runs)


NAISLINT = [sys.executable, "-m", "naislint", "check", "-q", "--fail-on", "never"]


class Table:
    """Rows of (what, timing), printed with a ratio to a reference time."""

    def __init__(self, title: str, reference: str = "") -> None:
        self.title = title
        self.reference = reference
        self.rows: list[tuple[str, Timing | None, float | None]] = []

    def add(self, name: str, timing: Timing | None, ratio_to: float | None = None) -> Timing | None:
        self.rows.append((name, timing, ratio_to))
        return timing

    def print(self) -> None:
        print(f"\n## {self.title}\n")
        ref = f"x {self.reference}" if self.reference else ""
        print(f"{'what':<58} {'wall s':>8} {'cpu s':>8} {ref:>14} {'peak MiB':>9}")
        for name, t, ratio_to in self.rows:
            if t is None:
                print(f"{name:<58} {'skipped':>8}")
                continue
            ratio = f"{t.wall / ratio_to:14.2f}" if ratio_to else f"{'':>14}"
            mem = f"{t.peak_kb / 1024:9.0f}" if t.peak_kb else f"{'':>9}"
            print(f"{name:<58} {t.wall:8.3f} {t.cpu:8.3f} {ratio} {mem}")


# -- start-up -------------------------------------------------------------------------------


def startup(tmp: Path, repeat: int) -> None:
    site = tmp / "one-page-site"
    (site / "pages").mkdir(parents=True)
    (site / "_config.yml").write_text("title: One page\npermalink: pretty\n")
    page = site / "pages" / "about.md"
    page.write_text("---\ntitle: About\npermalink: /about/\n---\n## About us\n\nWe run [the garden](/about/).\n")
    loose = tmp / "loose"
    loose.mkdir()
    (loose / "note.md").write_text("# A note\n\nOne line.\n")
    table = Table("start-up", "import markdown_it")
    bare = best([sys.executable, "-c", "pass"], repeat * 2)
    floor = best([sys.executable, "-c", "import markdown_it"], repeat * 2)
    table.add("python -c pass", bare, floor.wall)
    table.add('python -c "import markdown_it"', floor, floor.wall)
    table.add("naislint, one-page site, --no-cache", best(NAISLINT + ["--no-cache", str(site)], repeat), floor.wall)
    subprocess.run(NAISLINT + [str(site)], stdout=subprocess.DEVNULL, env=ENV, check=False)
    table.add("naislint, one-page site, cache warm", best(NAISLINT + [str(site)], repeat), floor.wall)
    table.add("naislint, the page of a one-page site named, cache warm", best(NAISLINT + [str(page)], repeat),
              floor.wall)
    table.add("naislint, one loose page (no site)", best(NAISLINT + [str(loose / "note.md")], repeat), floor.wall)
    warm_env = warm_process_env(tmp)
    daemon("start", warm_env)
    table.add("  the page of a one-page site, served by the warm process",
              best(NAISLINT + [str(page)], repeat, env=warm_env), floor.wall)
    daemon("stop", warm_env)
    table.print()


# -- the corpora ---------------------------------------------------------------------------


def copy_corpus(source: Path, tmp: Path) -> Path:
    corpus = tmp / source.name
    shutil.copytree(source, corpus, symlinks=True)
    for path in corpus.rglob("*"):
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return corpus


def largest_site(corpus: Path) -> Path:
    """The sub-folder of the corpus holding the most markdown files."""
    folders = [d for d in corpus.iterdir() if d.is_dir() and not d.name.startswith(".")]
    return max(folders, key=lambda d: len(markdown_files(d))) if folders else corpus


def changed_page(site: Path) -> Path:
    """A page an author would edit: the median-sized page with front matter (else any)."""
    files = markdown_files(site)
    pages = [f for f in files if f.read_bytes()[:3] == b"---"] or files
    pages.sort(key=lambda f: (f.stat().st_size, str(f)))
    return pages[len(pages) // 2]


def clear_caches(root: Path) -> None:
    for c in root.rglob(".naislint_cache"):
        shutil.rmtree(c, ignore_errors=True)


def corpus_figures(source: Path, tmp: Path, repeat: int) -> dict[str, float]:
    corpus = copy_corpus(source, tmp)
    files = markdown_files(corpus)
    size = sum(f.stat().st_size for f in files)
    site = largest_site(corpus)
    page = changed_page(site)
    title = f"{source.name}: {len(files)} markdown files, {size / 2**20:.1f} MiB; largest site {site.name}"
    table = Table(title, "floor (2p)")
    floor2 = best(floor_command(corpus, 2), repeat)
    table.add("markdown-it-py parse floor, 2 processes (a command)", floor2, floor2.wall)
    table.add("naislint cold, -j 1", best(NAISLINT + ["--no-cache", "-j", "1", str(corpus)], repeat), floor2.wall)
    cold2 = best(NAISLINT + ["--no-cache", "-j", "2", str(corpus)], repeat)
    table.add("naislint cold, -j 2", cold2, floor2.wall)
    clear_caches(corpus)
    subprocess.run(NAISLINT + [str(corpus)], stdout=subprocess.DEVNULL, check=False, env=ENV)
    warm = best(NAISLINT + [str(corpus)], repeat)
    table.add("naislint warm, whole corpus", warm, floor2.wall)
    counter = [0]

    def touch() -> None:
        counter[0] += 1
        with open(page, "a", encoding="utf-8") as handle:
            handle.write(f"\nEdited paragraph {counter[0]}.\n")

    subprocess.run(NAISLINT + [str(site)], stdout=subprocess.DEVNULL, check=False, env=ENV)
    table.add(f"naislint, {site.name}, one page changed", best(NAISLINT + [str(site)], repeat, before=touch),
              floor2.wall)
    precommit = best(NAISLINT + [str(page)], repeat, before=touch)
    table.add(f"naislint, the changed page alone (pre-commit): {page.name}", precommit, floor2.wall)
    warm_env = warm_process_env(tmp)
    daemon("start", warm_env)
    served = best(NAISLINT + [str(page)], repeat, before=touch, env=warm_env)
    served_warm = best(NAISLINT + [str(corpus)], repeat, env=warm_env)
    daemon("stop", warm_env)
    table.add("  the same, served by the warm process (naislint daemon)", served, floor2.wall)
    table.add("naislint warm, whole corpus, served by the warm process", served_warm, floor2.wall)
    import_floor = best([sys.executable, "-c", "import markdown_it"], repeat)
    peers: dict[str, float] = {}
    for name, cmd in (("markdownlint-cli2", ["markdownlint-cli2", "**/*.md"]),
                      ("rumdl", ["rumdl", "check", "--no-cache", "."])):
        if shutil.which(cmd[0]):
            timing = best(cmd, min(repeat, 2) if name == "markdownlint-cli2" else repeat, cwd=corpus)
            table.add(f"{name}", timing, floor2.wall)
            peers[name] = timing.wall
        else:
            table.add(f"{name} (not on PATH)", None)
    table.print()
    print(f"\npre-commit, served by the warm process / python -c 'import markdown_it': "
          f"{served.wall / import_floor.wall:.2f}x ({served.wall * 1000:.0f} / {import_floor.wall * 1000:.0f} ms); "
          f"in its own process: {precommit.wall / import_floor.wall:.2f}x")
    print(f"cold -j 2 / parse floor (2 processes): {cold2.wall / floor2.wall:.2f}x")
    if "rumdl" in peers:
        print(f"warm / rumdl (--no-cache): {warm.wall / peers['rumdl']:.2f}x; "
              f"served by the warm process: {served_warm.wall / peers['rumdl']:.2f}x")
    for name, seconds in peers.items():
        print(f"{name} / naislint cold -j 2: {seconds / cold2.wall:.1f}x")
    shutil.rmtree(corpus, ignore_errors=True)
    return {"precommit": precommit.wall, "precommit_cpu": precommit.cpu, "precommit_served": served.wall}


# -- the stages of a cold run ------------------------------------------------------------------

#: Where a function's time goes: (module, attribute path, stage).
STAGE_FUNCTIONS: list[tuple[str, str, str]] = [
    ("naislint.page.document", "Document.load", "reading"),
    ("naislint.page.document", "Document.tokens", "parse"),
    ("naislint.page.frontmatter", "parse", "front matter"),
    ("naislint.page.document", "Document.prose", "text rules and prose masking"),
    ("naislint.page.links", "page_links", "links, anchors and the site index"),
    ("naislint.page.anchors", "document_anchors", "links, anchors and the site index"),
    ("naislint.page.anchors", "page_anchors", "links, anchors and the site index"),
    ("naislint.site.index", "SiteIndex.begin", "links, anchors and the site index"),
    ("naislint.site.index", "SiteBuild.finish", "links, anchors and the site index"),
    ("naislint.site.index", "SiteIndex._facts", "links, anchors and the site index"),
    ("naislint.site.index", "SiteIndex.suggest", "links, anchors and the site index"),
    ("naislint.page.html", "fragment_tags", "HTML analyses"),
    ("naislint.page.html", "page_tags", "HTML analyses"),
    ("naislint.page.html", "structure", "HTML analyses"),
    ("naislint.page.regions", "regions", "HTML analyses"),
    ("naislint.page.lists", "logical_lists", "lists"),
    ("naislint.page.protected", "protected_regions", "text rules and prose masking"),
    ("naislint.page.suppress", "parse", "engine overhead"),
]


def _rule_stage(code: str, name: str) -> str:
    if name == "front-matter-schema":
        return "front matter: front-matter-schema"
    if code in ("NL107",) or code.startswith("NL3"):
        return "links, anchors and the site index"
    if code.startswith("NL1"):
        return "front matter"
    if code.startswith("NL2"):
        return "lists"
    if code.startswith("NL4") or code in ("NL601", "NL603", "NL604"):
        return "HTML analyses"
    return "text rules and prose masking"


STAGES_CHILD = """
import sys
sys.path.insert(0, {bench!r})
from speed import stage_profile
stage_profile({corpus!r})
"""


def stage_profile(corpus: str) -> None:
    """Run a cold one-process lint of ``corpus`` with timers around each stage's
    functions; print JSON of exclusive CPU seconds per stage (run in a child process;
    CPU time, so that other work on the machine does not move the shares)."""
    import functools
    import importlib

    totals: dict[str, float] = {}
    stack: list[list[float]] = []

    wrap = functools.partial(_timer, stack=stack, totals=totals)

    replaced: dict[int, Callable] = {}
    for module_name, path, stage in STAGE_FUNCTIONS:
        module = importlib.import_module(module_name)
        owner: Any = module
        *parents, attr = path.split(".")
        for p in parents:
            owner = getattr(owner, p)
        raw = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
        if isinstance(raw, functools.cached_property):
            raw.func = wrap(raw.func, stage)
        elif isinstance(raw, (classmethod, staticmethod)):
            setattr(owner, attr, type(raw)(wrap(raw.__func__, stage)))
        else:
            new = wrap(raw, stage)
            setattr(owner, attr, new)
            replaced[id(raw)] = new
    for module in list(sys.modules.values()):  # ``from x import f`` copies
        if getattr(module, "__name__", "").startswith("naislint"):
            for key, value in list(vars(module).items()):
                if id(value) in replaced:
                    setattr(module, key, replaced[id(value)])
    import dataclasses

    from naislint.registry import all_rules

    rules = all_rules()
    for name, rule in list(rules.items()):
        if rule.check is not None:
            rules[name] = dataclasses.replace(rule, check=_generator_timer(rule.check, _rule_stage(rule.code, name),
                                                                           stack, totals))
    from naislint.reporters import ReportContext, reporter
    from naislint.run.engine import Linter, RunOptions

    start = time.process_time()
    linter = Linter(RunOptions(use_cache=False, jobs=1))
    result = linter.run(linter.discover([corpus]))
    report_start = time.process_time()
    reporter("text")(result, ReportContext(color=False))
    totals["report"] = time.process_time() - report_start
    total = time.process_time() - start
    totals["engine overhead"] = totals.get("engine overhead", 0.0) + total - sum(totals.values())
    print(json.dumps({"total": total, "stages": totals}))


def _timer(func: Callable, stage: str, stack: list, totals: dict) -> Callable:
    """``func``, adding the CPU time it spends outside the timed calls it makes to
    ``totals[stage]`` (``stack`` holds the timed calls under way)."""
    import functools

    @functools.wraps(func)
    def timed_call(*args: Any, **kwargs: Any) -> Any:
        stack.append([time.process_time(), 0.0])
        try:
            return func(*args, **kwargs)
        finally:
            start, inner = stack.pop()
            spent = time.process_time() - start
            totals[stage] = totals.get(stage, 0.0) + spent - inner
            if stack:
                stack[-1][1] += spent

    return timed_call


def _generator_timer(check: Callable, stage: str, stack: list, totals: dict) -> Callable:
    """A rule's check, timed while its findings are produced (checks are generators)."""
    import functools

    @functools.wraps(check)
    def listed(doc: Any, ctx: Any, options: Any) -> list:
        return list(check(doc, ctx, options))

    return _timer(listed, stage, stack, totals)


def stages(source: Path, tmp: Path) -> None:
    code = STAGES_CHILD.format(bench=str(Path(__file__).parent), corpus=str(source))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=False)
    try:
        data = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"\n## stages: failed\n{out.stderr[-2000:]}")
        return
    total = data["total"]
    print(f"\n## where a cold -j 1 run of {source.name} goes (in-process, {total:.2f} CPU s)\n")
    print(f"{'stage':<40} {'seconds':>8} {'share':>7}")
    for stage, seconds in sorted(data["stages"].items(), key=lambda kv: -kv[1]):
        print(f"{stage:<40} {seconds:8.3f} {seconds / total:7.1%}")


# -- the language server -------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


async def _lsp_first(site: Path, page: Path, cache: bool, wait_for_more: float = 20.0) -> dict[str, float]:
    """From ``didOpen``: seconds (and the server's CPU seconds) to the first diagnostics,
    and to the first that are the final ones (the server publishes again once the site
    index is complete); then from one edit to its diagnostics."""
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    events: dict[int, list[tuple[float, float, tuple]]] = {}
    arrived = asyncio.Event()
    client = LanguageClient("naislint-bench", "0")
    pid = [0]

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        shown = tuple(sorted((d.range.start.line, d.range.start.character, str(d.code)) for d in params.diagnostics))
        events.setdefault(params.version or 0, []).append((time.perf_counter(), _cpu_seconds(pid[0]), shown))
        arrived.set()

    args = ["-m", "naislint", "server"] + ([] if cache else ["--no-cache"])
    await client.start_io(sys.executable, *args, env=ENV)
    pid[0] = client._server.pid  # type: ignore[attr-defined]
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                         root_uri=site.resolve().as_uri()))
    client.initialized(types.InitializedParams())
    uri = page.resolve().as_uri()
    text = page.read_text(encoding="utf-8")

    async def wait(version: int, count: int, deadline: float) -> None:
        while len(events.get(version, ())) < count and time.perf_counter() < deadline:
            arrived.clear()
            try:
                await asyncio.wait_for(arrived.wait(), max(0.01, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                return

    await asyncio.sleep(0.5)  # the server has started and answered initialize
    cpu_opened = _cpu_seconds(pid[0])
    opened = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))
    await wait(1, 1, opened + 60)
    await wait(1, 2, time.perf_counter() + wait_for_more)
    first = events[1][0]
    final = next(e for e in events[1] if e[2] == events[1][-1][2])
    lines = text.split("\n")
    line = max(i for i, t in enumerate(lines) if t.strip())
    at = types.Position(line, len(lines[line].encode("utf-16-le")) // 2)
    edited = time.perf_counter()
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(range=types.Range(at, at), text="x")]))
    await wait(2, 1, edited + 30)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {"first": first[0] - opened, "first_cpu": first[1] - cpu_opened,
            "complete": final[0] - opened, "complete_cpu": final[1] - cpu_opened,
            "edit": events[2][0][0] - edited}


def page_with_site_findings(site: Path) -> Path | None:
    """The median-sized page with a broken link or a missing image: its diagnostics are complete
    only once the site index is there."""
    out = subprocess.run(NAISLINT[:4] + ["--format", "json", "--no-cache", "--fail-on", "never", "--select",
                                         "broken-link,missing-image", str(site)],
                         capture_output=True, text=True, env=ENV, check=False)
    try:
        paths = sorted({d["path"] for d in json.loads(out.stdout)}, key=lambda p: (os.path.getsize(p), p))
    except (ValueError, OSError):
        return None
    return Path(paths[len(paths) // 2]) if paths else None


def lsp(source: Path, tmp: Path, repeat: int) -> None:
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("\n## language server: skipped (pygls is not installed)")
        return
    from naislint.lsp.server import DEBOUNCE

    corpus = copy_corpus(source, tmp)
    site = largest_site(corpus)
    page = page_with_site_findings(site) or changed_page(site)
    print(f"\n## language server: diagnostics for {page.relative_to(site)} of {site.name} after didOpen\n")
    print("first: the first diagnostics published; complete: the first that are the final ones (with the site's")
    print("links checked); cpu: the server's CPU time over the same span; edit: one keystroke to its diagnostics\n")
    print(f"{'case':<40} {'first ms':>9} {'cpu ms':>7} {'complete ms':>12} {'cpu ms':>7} {'edit ms':>8}")
    for name, cache, prepare in (
        ("no cache (--no-cache)", False, lambda: clear_caches(site)),
        ("cache on, none yet", True, lambda: clear_caches(site)),
        ("warm cache (after naislint check)", True,
         lambda: subprocess.run(NAISLINT + [str(site)], stdout=subprocess.DEVNULL, check=False, env=ENV)),
    ):
        runs = []
        for _ in range(max(1, repeat - 1)):
            prepare()
            runs.append(asyncio.run(_lsp_first(site, page, cache)))
        row = {key: min(r[key] for r in runs) for key in runs[0]}
        print(f"{name:<40} {row['first'] * 1000:9.0f} {row['first_cpu'] * 1000:7.0f} {row['complete'] * 1000:12.0f}"
              f" {row['complete_cpu'] * 1000:7.0f} {row['edit'] * 1000:8.0f}")
    print(f"(an edit's figure includes the server's deliberate {DEBOUNCE * 1000:.0f} ms pause after a keystroke)")
    shutil.rmtree(corpus, ignore_errors=True)


# -- the default --jobs on small sites -----------------------------------------------------------


def sub_site(source: Path, pages: int, tmp: Path) -> Path:
    """A site of the first ``pages`` markdown pages of ``source`` (its _config.yml and
    collection declarations too), each at its own path."""
    site = tmp / f"site-{pages}"
    site.mkdir()
    for extra in source.iterdir():
        if extra.is_file() and extra.suffix in (".yml", ".yaml"):
            shutil.copy(extra, site / extra.name)
    for declared in source.glob("_*/collection.yml"):
        (site / declared.parent.name).mkdir(exist_ok=True)
        shutil.copy(declared, site / declared.parent.name / declared.name)
    for path in markdown_files(source)[:pages]:
        to = site / path.relative_to(source)
        to.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, to)
    return site


def jobs_table(source: Path, tmp: Path, repeat: int) -> None:
    print(f"\n## the default --jobs against -j 1 (cold, --no-cache), sites of {source.name}'s pages\n")
    print(f"{'pages':>6} {'MiB':>6} {'-j 1 s':>8} {'default s':>10} {'default/-j1':>12}")
    for pages in JOB_SITE_SIZES:
        site = sub_site(source, pages, tmp)
        size = sum(f.stat().st_size for f in markdown_files(site))
        one: list[Timing] = []
        default: list[Timing] = []
        for _ in range(repeat):  # interleaved, so both meet the same load
            one.append(timed(NAISLINT + ["--no-cache", "-j", "1", str(site)]))
            default.append(timed(NAISLINT + ["--no-cache", str(site)]))
        a, b = Timing.best(one), Timing.best(default)
        print(f"{len(markdown_files(site)):>6} {size / 2**20:6.2f} {a.wall:8.3f} {b.wall:10.3f} {b.wall / a.wall:12.2f}")
        shutil.rmtree(site, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="*", default=[str(c) for c in DEFAULT_CORPORA])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"sections: {', '.join(SECTIONS)}")
    args = ap.parse_args()
    sections = set(args.only.split(","))
    corpora = [Path(c).resolve() for c in args.corpora]
    for c in corpora:
        if not c.is_dir():
            sys.exit(f"no corpus at {c}")
    import compileall

    compileall.compile_dir(str(REPO / "src"), quiet=1)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; best of {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="naislint-bench-") as name:
        tmp = Path(name)
        if "startup" in sections:
            startup(tmp, args.repeat)
        if "corpora" in sections:
            for source in corpora:
                corpus_figures(source, tmp, args.repeat)
        if "stages" in sections:
            stages(corpora[0], tmp)
        if "lsp" in sections:
            lsp(corpora[0], tmp, args.repeat)
        if "jobs" in sections:
            jobs_table(largest_site(corpora[0]), tmp, args.repeat)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork", force=True)
    main()
