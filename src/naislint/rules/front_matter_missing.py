"""NL101 front-matter-missing: a markdown page without a front matter block.

Jekyll renders a file only when it starts with a front matter block; without one the
markdown is copied to the site as a plain file, so the page the author wrote never
appears (and its URL serves raw markdown, or nothing). A dated file in ``_posts`` is the
exception: Jekyll publishes it as a post all the same, without a title, at a default
address, and with any ``key: value`` lines meant as front matter printed as text.

Only what an editor would act on is reported: a file that belongs to no Jekyll site (no
``_config.yml`` at or above it, and no Jekyll preset named in the configuration) needs no
front matter, and a file whose whole content is images, in a folder of images, holds an
upload rather than a page (front matter would publish a stray page).
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: A line that is one image and nothing else: ``![alt](src)`` or ``<img ...>``.
IMAGE_LINE_RE = re.compile(r"^\s*(?:!\[[^\]\n]*\]\([^)\n]*\)(?:\{:[^}\n]*\})?|<img\b[^>\n]*>)\s*$", re.IGNORECASE)
#: File endings of images, for telling a folder of images from a folder of pages.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".avif")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: Presets under which a page outside any site is still a Jekyll page.
JEKYLL_PRESETS = ("jekyll", "isomer")


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    if doc.front_matter is not None:
        return
    from naislint.jekyll import pagekinds

    if ctx.site_root is None and not (ctx.place.preset_named and ctx.preset in JEKYLL_PRESETS):
        return  # no Jekyll site builds this file: a README beside the sites, a repository's notes
    rel = ctx.relpath
    if not pagekinds.is_page_path(rel, ctx.place.isomer):
        return
    if _image_holder(doc):
        return
    post = _dated_post(rel)
    if post is None:
        yield Finding(
            Span(1, 1, 1, len(doc.line(1)) + 1),
            "file in _posts has no front matter and no date in its name; Jekyll skips it, so it is neither "
            "published nor copied (name it YYYY-MM-DD-title.md and start it with a '---' block holding a title)",
        )
        return
    first = doc.line(1)
    span = Span(1, 1, 1, len(first) + 1)
    stripped = doc.text.lstrip()
    if stripped.startswith("---"):
        line, _col = doc.position(len(doc.text) - len(stripped))
        consequence = (
            "Jekyll still publishes this dated post, with the block shown as text at the top and at a default address"
            if post else "Jekyll does not see it and copies the page as a plain file"
        )
        yield Finding(
            Span(line, 1, line, 4),
            f"front matter must start on the very first line; with text or blank lines before '---' {consequence}",
        )
    elif _closing_fence_only(doc):
        consequence = (
            "Jekyll still publishes this dated post, with those 'key: value' lines shown as text at the top "
            "and at a default address" if post else "Jekyll sees no front matter and copies the page as a plain file"
        )
        yield Finding(span, f"front matter has no opening '---' line; {consequence} (add '---' as the first line)")
    elif not doc.text.strip():
        if post:
            yield Finding(span, "post is empty: no front matter and no content; Jekyll still publishes it, as an empty page")
        else:
            yield Finding(span, "page is empty: no front matter and no content; Jekyll copies it as an empty plain file")
    elif post:
        yield Finding(
            span,
            "post has no front matter; Jekyll still publishes this dated post, but with no title and at a default "
            "address (start the file with a '---' block holding at least a title)",
        )
    else:
        yield Finding(
            span,
            "page has no front matter; Jekyll copies it as a plain file instead of rendering it "
            "(start the file with a '---' block holding at least a title)",
        )


def _dated_post(rel: str) -> bool | None:
    """Whether Jekyll reads the file as a post: below ``_posts`` and named
    ``YYYY-MM-DD-title`` (``PostReader`` takes such a file with or without front matter);
    ``None`` for a file below ``_posts`` without the date, which Jekyll skips."""
    from naislint.jekyll.permalinks import POST_NAME_RE

    folders, _, name = rel.rpartition("/")
    if "_posts" not in folders.split("/"):
        return False
    return True if POST_NAME_RE.match(name) else None


def _image_holder(doc: Document) -> bool:
    """A file that is only images, in a folder that holds more images than pages: an
    upload kept in markdown (GitHub's editor makes such files), not a page."""
    lines = [line for line in doc.lines if line.strip()]
    if not lines or not all(IMAGE_LINE_RE.match(line) for line in lines):
        return False
    try:
        names = os.listdir(os.path.dirname(os.path.abspath(doc.path)))
    except OSError:
        return False
    images = sum(name.lower().endswith(IMAGE_SUFFIXES) for name in names)
    pages = sum(name.lower().endswith(MARKDOWN_SUFFIXES) for name in names)
    return images > pages


def _closing_fence_only(doc: Document) -> bool:
    """True when the page opens with ``key: value`` lines closed by a ``---`` line."""
    saw_key = False
    for line in doc.lines[:60]:
        if re.match(r"^---[ \t]*$", line):
            return saw_key
        if re.match(r"^[A-Za-z_][\w-]*:(\s|$)", line):
            saw_key = True
        elif line.strip() and not line.startswith((" ", "\t", "-", "#")):
            return False
    return False


RULE = Rule(
    code="NL101",
    name="front-matter-missing",
    summary="A markdown page with no front matter block (Jekyll does not render it)",
    check=check,
    default_severity=Severity.ERROR,
)
