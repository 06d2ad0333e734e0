"""The editor set-ups of docs/editors.md, run in a real editor: headless Neovim.

Debian 12's Neovim is 0.7.2 (``.ci/run`` installs it): its set-up uses
``vim.lsp.start_client``, and 0.7 does not watch files for a language server, which is
the case the server's own watcher is for. The Lua block is taken from docs/editors.md as
written (only the command is pointed at this checkout's Python), followed by a script
that records what the editor saw. A Neovim of 0.10 or later on the PATH also runs the
0.10 set-up.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "editors.md"
NVIM = shutil.which("nvim")

pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (.ci/run installs it)")

HARNESS = r"""
local out = assert(io.open(os.getenv("NAISLINT_TEST_OUT"), "w"))
local function say(line) out:write(line .. "\n"); out:flush() end
local buf = vim.api.nvim_get_current_buf()
local function codes()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(found, tostring(d.code)) end
  return table.concat(found, ",")
end
say("filetype:" .. vim.bo[buf].filetype)
say("broken:" .. tostring(vim.wait(20000, function() return codes():find("broken%-link") ~= nil end, 50)))
local uri = vim.uri_from_bufnr(buf)
local function request(method, line, character)
  local answers = vim.lsp.buf_request_sync(buf, method, {
    textDocument = { uri = uri }, position = { line = line, character = character },
  }, 10000)
  for _, answer in pairs(answers or {}) do
    if answer.result then return answer.result end
  end
  return nil
end
local completion = request("textDocument/completion", 5, 5)
for _, item in ipairs((completion or {}).items or completion or {}) do
  say("item:" .. item.label .. "|" .. (item.detail or ""))
end
local definition = request("textDocument/definition", 4, 52)
if definition and definition[1] then definition = definition[1] end
if definition and definition.uri then
  say("definition:" .. vim.uri_to_fname(definition.uri) .. ":" .. definition.range.start.line)
end
local page = assert(io.open(os.getenv("NAISLINT_TEST_SITE") .. "/feedback.md", "w"))
page:write("---\ntitle: Feedback\npermalink: /feedback/\n---\nTell us.\n")
page:close()
local started = vim.loop.hrtime()
local cleared = vim.wait(10000, function() return codes():find("broken%-link") == nil end, 20)
say("cleared:" .. tostring(cleared) .. ":" .. math.floor((vim.loop.hrtime() - started) / 1e6))
out:close()
vim.cmd("qa!")
"""

PAGE = """\
---
title: Contact
permalink: /contact/
---
Write to [the form](/feedback/) or [the team](/about/team/#contact-us).
[x](/
"""
TEAM = "---\ntitle: Our team\npermalink: /about/team/\n---\n# Team\n\n## Contact us\n\nMail.\n"


def nvim_version() -> tuple[int, int]:
    done = subprocess.run([NVIM, "--version"], capture_output=True, text=True, timeout=30)
    m = re.search(r"NVIM v(\d+)\.(\d+)", done.stdout)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def setup_block(name: str) -> str:
    """The Lua block that follows ``<!-- tested: NAME -->`` in docs/editors.md."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"<!-- tested: " + re.escape(name) + r" -->\n```lua\n(.*?)```", text, re.DOTALL)
    assert m is not None, f"docs/editors.md has no block marked 'tested: {name}'"
    block = m.group(1)
    assert '{ "naislint", "server" }' in block
    command = "{ " + ", ".join(f'"{p}"' for p in (sys.executable, "-m", "naislint", "server")) + " }"
    return block.replace('{ "naislint", "server" }', command)


def run_nvim(tmp_path: Path, setup: str) -> dict[str, list[str]]:
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\n")
    (site / "contact.md").write_text(PAGE)
    (site / "about" / "team.md").write_text(TEAM)
    init = tmp_path / "init.lua"
    init.write_text(setup)
    harness = tmp_path / "harness.lua"
    harness.write_text(HARNESS)
    out = tmp_path / "out.txt"
    env = dict(os.environ, NAISLINT_TEST_OUT=str(out), NAISLINT_TEST_SITE=str(site),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    try:
        subprocess.run([NVIM, "--headless", "-n", "-i", "NONE", "-u", str(init), "contact.md",
                        "-c", f"luafile {harness}"], cwd=site, env=env, capture_output=True, timeout=90,
                       stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pass  # what was recorded so far says where it stopped
    seen: dict[str, list[str]] = {}
    for line in out.read_text().splitlines() if out.exists() else []:
        key, _, value = line.partition(":")
        seen.setdefault(key, []).append(value)
    return seen


def check_session(seen: dict[str, list[str]], site: Path) -> None:
    assert seen.get("filetype") == ["markdown"], seen
    assert seen.get("broken") == ["true"], seen
    assert "/about/team/|Our team" in seen.get("item", []), seen
    assert seen.get("definition") == [f"{(site / 'about' / 'team.md').resolve()}:6"], seen
    cleared = seen.get("cleared", ["false:0"])[0].split(":")
    assert cleared[0] == "true" and int(cleared[1]) <= 2000, seen


@pytest.mark.slow
def test_neovim_07_setup(tmp_path: Path) -> None:
    seen = run_nvim(tmp_path, setup_block("neovim 0.7"))
    check_session(seen, tmp_path / "site")


@pytest.mark.slow
@pytest.mark.skipif(NVIM is None or nvim_version() < (0, 10), reason="needs Neovim 0.10 or later")
def test_neovim_010_setup(tmp_path: Path) -> None:
    seen = run_nvim(tmp_path, setup_block("neovim 0.10"))
    check_session(seen, tmp_path / "site")
