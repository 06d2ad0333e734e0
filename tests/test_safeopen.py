"""The one reader of site files: regular files only, never blocking, never out of bounds.

Hang-prone checks run the read in a thread joined with a timeout; a read that blocks on
a pipe is then released by opening the pipe's write end, so the test fails, not hangs.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

from naislint.page.safeopen import Refused, read_head, read_regular

TIMEOUT = 20


def _finishes(call: Callable[[], Any], fifo: Path | None = None) -> Any:
    """The result (or exception) of ``call``, which must return within ``TIMEOUT`` s."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():
        if fifo is not None:  # unblock the reader so the thread can end
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"read did not return within {TIMEOUT} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.mark.parametrize("reader", [lambda p, w: read_regular(p, w), lambda p, w: read_head(p, 64, w)])
def test_pipe_is_refused_at_once(tmp_path: Path, reader: Callable[[str, str], bytes]) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(Refused) as refused:
        _finishes(lambda: reader(str(fifo), str(tmp_path)), fifo)
    assert refused.value.kind == "special"
    assert str(refused.value) == "not a regular file (a pipe, socket or device); not read"


def test_links_are_followed_only_inside(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "sub" / "page.md").write_bytes(b"inside\n")
    (tmp_path / "secret.md").write_bytes(b"outside\n")
    os.symlink("sub/page.md", site / "in.md")
    os.symlink("../secret.md", site / "out.md")
    os.symlink(str(tmp_path), site / "up")  # a folder link: the last component is no link
    assert read_regular(str(site / "in.md"), str(site)) == b"inside\n"
    with pytest.raises(Refused) as out:
        read_regular(str(site / "out.md"), str(site))
    assert (out.value.kind, str(out.value)) == (
        "outside",
        f"{site / 'out.md'} is a symbolic link to ../secret.md ({tmp_path / 'secret.md'}), outside {site}; not read",
    )
    with pytest.raises(Refused) as through_folder:
        read_regular(str(site / "up" / "secret.md"), str(site))
    assert str(through_folder.value) == (
        f"{site / 'up' / 'secret.md'} leads to {tmp_path / 'secret.md'} through a linked folder, outside {site}; not read"
    )
    # Without a boundary a link is followed (a file the user named on purpose).
    assert read_regular(str(site / "out.md")) == b"outside\n"


def test_link_loop_and_folder(tmp_path: Path) -> None:
    os.symlink("b.md", tmp_path / "a.md")
    os.symlink("a.md", tmp_path / "b.md")
    with pytest.raises(OSError) as loop:
        read_regular(str(tmp_path / "a.md"), str(tmp_path))
    assert not isinstance(loop.value, Refused)
    with pytest.raises(IsADirectoryError):
        read_regular(str(tmp_path), str(tmp_path))


def test_size_limit_is_exact(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"x" * 100)
    assert read_regular(str(page), str(tmp_path), 100) == b"x" * 100
    with pytest.raises(Refused) as over:
        read_regular(str(page), str(tmp_path), 99)
    assert (over.value.kind, str(over.value)) == ("size", "file is 100 bytes, over the max-file-size limit of 99; not read")
    assert read_head(str(page), 10, str(tmp_path)) == b"x" * 10
    assert read_regular(str(page), str(tmp_path)) == b"x" * 100


def test_config_yml_that_is_a_pipe_does_not_hang(tmp_path: Path) -> None:
    """--site-root names the site, so _config.yml is read without a check that it is a file."""
    import subprocess
    import sys

    site = tmp_path / "site"
    (site / "pages").mkdir(parents=True)
    os.mkfifo(site / "_config.yml")
    (site / "pages" / "a.md").write_text("---\ntitle: A\ndescription: d\npermalink: /a/\n---\nText\n")
    out = subprocess.run([sys.executable, "-m", "naislint", "check", "--no-cache", "--site-root", str(site), str(site)],
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip() == "All checks passed (1 file checked)."
