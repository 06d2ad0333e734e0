"""A cache with a valid key but entries in any shape never crashes a run.

Each example takes the caches a real run wrote, changes their entries at random places
into arbitrary JSON (hypothesis), and runs the command line over the site: it must end
with exit 0 or 1, output that follows the JSON contract, and no internal error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_in import run as cli
from contract import check_item

CACHE = ".naislint_cache"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(["error", "catastrophic", "page", "file", "skip", "broken-link", "NL301", "/b/"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


def mutate(data: st.DataObject, node: object) -> object:
    """``node`` with one part replaced by arbitrary JSON, or removed (for a list item or
    a key), most often deep inside (where a shallow check would not look)."""
    if isinstance(node, (list, dict)) and node and data.draw(st.integers(0, 9)) > 0:
        keys = list(range(len(node))) if isinstance(node, list) else sorted(node)
        key = data.draw(st.sampled_from(keys))
        if data.draw(st.integers(0, 5)) == 0:
            del node[key]  # type: ignore[arg-type]
        else:
            node[key] = mutate(data, node[key])  # type: ignore[index]
        return node
    return data.draw(json_values)


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (site / CACHE).iterdir()}


def restore(site: Path, files: dict[str, bytes]) -> None:
    for name, raw in files.items():
        (site / CACHE / name).write_bytes(raw)


def plant(site: Path, files: dict[str, bytes], name: str, data: st.DataObject) -> None:
    """Put back the caches of the first run, with the entries of ``name`` mutated."""
    restore(site, files)
    doc = json.loads(files[name])
    for _ in range(data.draw(st.integers(1, 4))):
        doc["files" if "files" in doc else "entries"] = mutate(data, doc["files" if "files" in doc else "entries"])
    (site / CACHE / name).write_text(json.dumps(doc))


def check_run(site: Path, *args: str) -> None:
    result = cli(site, "check", "--format", "json", *args, ".")
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    for item in json.loads(result.stdout):
        check_item(item)
    text = cli(site, "check", *args, ".")
    assert text.exit_code == result.exit_code, text.stderr


def make_site(root: Path) -> None:
    (root / "_config.yml").write_text("title: t\npermalink: none\n")
    (root / "a.md").write_text(
        "---\ntitle: A\npermalink: /a/\ndescription: ''\n---\n## Heading A\n\n"
        "See [b](/b/#part), [gone](/gone/) and [here](#heading-a).\n\nText&nbsp;here.\n"
    )
    (root / "b.md").write_text("---\ntitle: B\npermalink: /b/\n---\n## Part\n\n### Deep\n")
    (root / "files").mkdir()
    (root / "files" / "c.pdf").write_bytes(b"%PDF")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, dict[str, bytes], str]:
    root = tmp_path_factory.mktemp("site")
    make_site(root)
    first = cli(root, "check", "--format", "json", ".")
    assert first.exit_code == 1 and json.loads(first.stdout)
    files = snapshot(root)
    assert {"site-facts.json", ".gitignore"} < set(files) and any(n.startswith("results-") for n in files)
    return root, files, first.stdout


def _diagnostics(value: object):
    def change(entry: dict) -> None:
        entry["diagnostics"] = value
    return change


def _first_diagnostic(key: str, value: object):
    def change(entry: dict) -> None:
        if entry["diagnostics"]:
            entry["diagnostics"][0][key] = value
    return change


def _facts_at(entry: list) -> int:
    """Where an entry keeps the file's facts (the one item that is a list)."""
    return next(i for i, item in enumerate(entry) if isinstance(item, list))


def _facts(value: object):
    def change(entry: list) -> None:
        entry[_facts_at(entry)] = value
    return change


def _page_url(value: object):
    def change(entry: list) -> None:
        facts = entry[_facts_at(entry)]
        if facts[0] == "page":
            facts[1] = value
    return change


@pytest.mark.parametrize(
    ("cache", "change"),
    [
        ("results", _diagnostics("garbage")),
        ("results", _diagnostics([1, None])),
        ("results", _first_diagnostic("severity", "catastrophic")),
        ("results", _first_diagnostic("url", 5)),
        ("results", _first_diagnostic("line", "3")),
        ("results", _first_diagnostic("rule", "no-such-rule")),
        ("results", _first_diagnostic("fix", {"safe": True, "edits": [{"line": 1}]})),
        ("site-facts", _facts(["page"])),
        ("site-facts", _facts(["file"])),
        ("site-facts", _page_url(5)),
    ],
    ids=["garbage", "1-null", "severity", "url-int", "line-str", "rule", "fix", "page", "file", "facts-url-int"],
)
def test_known_malformed_entries_are_rebuilt(site, cache: str, change) -> None:
    """The shapes that once crashed a run: each is ignored and rebuilt, and the run's
    output is what the run that wrote the cache reported."""
    root, files, expected = site
    [name] = [n for n in files if n.startswith(cache)]
    restore(root, files)
    doc = json.loads(files[name])
    for entry in doc["files"].values():
        change(entry)
    (root / CACHE / name).write_text(json.dumps(doc))
    result = cli(root, "check", "--format", "json", ".")
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert json.loads(result.stdout) == json.loads(expected)


@given(data=st.data())
def test_malformed_results_cache_entries(site, data) -> None:
    root, files, _expected = site
    [name] = [n for n in files if n.startswith("results-")]
    plant(root, files, name, data)
    check_run(root)


@given(data=st.data())
def test_malformed_site_facts_entries(site, data) -> None:
    root, files, _expected = site
    plant(root, files, "site-facts.json", data)
    check_run(root)


@pytest.fixture(scope="module")
def external_site(tmp_path_factory):
    from external_server import LinkServer

    names = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    saved_no_proxy = os.environ.get("NO_PROXY")
    os.environ["NO_PROXY"] = "*"
    try:
        with LinkServer() as server:
            root = tmp_path_factory.mktemp("external")
            (root / "_config.yml").write_text("title: t\n")
            links = " ".join(f"[{p}]({server.url(p)})" for p in ("/ok", "/missing", "/moved", "/page#present"))
            (root / "page.md").write_text(f"---\ntitle: P\n---\n{links}\n")
            first = cli(root, "check", "--external", "--external-allow-private", "--format", "json", ".")
            assert first.exit_code == 1
            files = snapshot(root)
            assert "external-links.json" in files
            yield root, files
    finally:
        os.environ.update(saved)
        if saved_no_proxy is None:
            os.environ.pop("NO_PROXY", None)
        else:
            os.environ["NO_PROXY"] = saved_no_proxy


def is_answer(entry: object) -> bool:
    """Whether ``entry`` is what the checker stores for an answer (LinkResult.to_json)."""
    def optional(value: object, kind: type) -> bool:
        return value is None or isinstance(value, kind)

    return (
        isinstance(entry, dict)
        and optional(entry.get("status"), int) and not isinstance(entry.get("status"), bool)
        and isinstance(entry.get("reason"), str)
        and optional(entry.get("final_url"), str)
        and optional(entry.get("error"), str)
        and (entry.get("anchors") is None or all(isinstance(a, str) for a in entry["anchors"]))
        and isinstance(entry.get("body_read"), bool)
        and isinstance(entry.get("checked_at"), (int, float)) and not isinstance(entry.get("checked_at"), bool)
    )


@pytest.mark.slow
@given(data=st.data())
def test_malformed_external_link_cache_entries(external_site, data) -> None:
    root, files = external_site
    plant(root, files, "external-links.json", data)
    check_run(root, "--external", "--external-allow-private")
    # Every link of the page has an answer again, in the shape the checker writes: a
    # malformed entry was asked again, not served and kept.
    linked = json.loads(files["external-links.json"])["entries"]
    stored = json.loads((root / CACHE / "external-links.json").read_text())["entries"]
    assert {url: is_answer(stored.get(url)) for url in linked} == {url: True for url in linked}
