"""NL601 image-alt: an image without a text alternative a screen reader can read.

WCAG 2.1 success criterion 1.1.1 (Non-text Content). An ``<img>`` with no ``alt`` is an
error (screen readers read out its file name); an empty markdown ``![](…)``, or alt text
that is a file name, a word such as "image", or the same as the image next to it, is a
warning. ``alt=""``, ``role="presentation"`` and ``aria-hidden="true"`` mark a decorative
image on purpose and are accepted, except on an image that is the whole content of a
link: its alt text is then the link's name.

Each message says what to write in the image's own syntax (``![…](…)`` or ``alt="…"``)
and for the page's renderer: kramdown reads ``{: alt=""}`` after a markdown image, while
GitHub shows it as text, so a decorative image there is written ``<img src="…" alt="">``.

A placeholder alt text ("alt_text", which the Google Docs to Markdown converter writes
for every image it exports, with the title "image_tooltip") asks an editor to reword a
page, as link-text and placeholder-text do: in a log of dated entries (meeting minutes
pasted from a shared document, see :mod:`naislint.page.dated_log`), a record nobody
edits, it is left alone unless ``dated-logs`` is set. An image with no alt at all, or a
linked image with no name, is reported there too: that is a missing alternative, not
wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.dated_log import is_dated_log
from naislint.page.renderer import for_document
from naislint.page.reader import Image, Link, reading
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

_IMAGE_FILE_RE = re.compile(
    r"^(?:[^\s/]+\.)?(?:png|jpe?g|gif|svg|webp|bmp|tiff?|heic|avif|ico)$", re.IGNORECASE
)
_CAMERA_NAME_RE = re.compile(
    r"^(?:img|dsc[nf]?|pxl|mvimg|screenshot|screen ?shot|whatsapp image|image)[\s_-]*\d[\w\s.-]*$",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Options:
    #: Alt texts that say nothing about the image (compared without case or punctuation).
    generic: tuple[str, ...] = (
        "image", "images", "img", "photo", "photos", "photograph", "picture", "pictures",
        "pic", "graphic", "icon", "alt", "alt text", "untitled", "placeholder",
        "gambar", "foto", "图片", "照片", "图像",
    )
    #: Also report placeholder alt text in logs of dated entries (meeting minutes),
    #: which are records nobody rewords.
    dated_logs: bool = False


def _key(text: str) -> str:
    return _WORD_RE.sub(" ", text.casefold()).strip()


def _stem(src: str) -> str:
    name = src.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _file_name(alt: str, src: str) -> bool:
    """Alt text that is a file name: ``photo1.jpg``, ``IMG_2043``, or the image's own file
    name without its extension when that name is not a phrase (``GoGreen_2024``)."""
    alt = alt.strip()
    if _IMAGE_FILE_RE.match(alt) or _CAMERA_NAME_RE.match(alt):
        return True
    stem = _stem(src)
    return (
        " " not in alt
        and alt.casefold() == stem.casefold()
        and bool(re.search(r"[-_\d]", stem))
    )


def _link_named(link: Link) -> bool:
    """Whether a link has a name besides its images: text, or an aria-label."""
    return bool(link.text) or link.labelled


_EXAMPLE = "Volunteers planting mangroves at Pulau Ubin"


def _write(image: Image, alt: str, linked: bool = False) -> str:
    """The image written with ``alt`` as its text alternative, in its own syntax."""
    if image.source != "markdown":
        return f'alt="{alt}"'
    return f"[![{alt}](…)](…)" if linked else f"![{alt}](…)"


def _where(image: Image) -> str:
    """Where the text alternative goes, in the image's own syntax."""
    return "between the brackets" if image.source == "markdown" else "in its alt text"


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    read = reading(doc)
    images, links = read.images, read.links
    generic = {_key(word) for word in options.generic}
    reported_links: set[int] = set()
    previous: Image | None = None
    #: kramdown reads an attribute list after a markdown image; GitHub prints it as text.
    kramdown = for_document(doc).reads_attribute_lists
    #: Whether placeholder wording is reported: not in a record nobody edits (see the
    #: module's doc); asked of the page only when it has such wording.
    wording: bool | None = None if not options.dated_logs else True
    for image in images:
        alt = image.alt
        # {: alt=""} makes a markdown image decorative only where the renderer reads it
        decorative = image.decorative and (image.source != "markdown" or kramdown)
        span = doc.span(image.alt_start, image.alt_end) if image.alt_end > image.alt_start else doc.span(
            image.start, image.start + 2
        )
        link = links[image.link] if image.link is not None else None
        nameless_link = (
            link is not None
            and not _link_named(link)
            and not any((images[k].alt or "").strip() for k in link.images)
        )
        if nameless_link and image.link not in reported_links:
            reported_links.add(image.link)  # type: ignore[arg-type]
            yield Finding(
                span,
                "this image is the only content of a link, so its alt text is the link's name and a screen "
                f"reader has nothing to announce: {_where(image)}, name where the link goes (the title of "
                f"the page, book or file it opens), e.g. {_write(image, 'Annual report 2023 (PDF)', linked=True)}",
                severity=Severity.ERROR,
            )
        elif alt is None and not decorative:
            yield Finding(
                span,
                'image has no alt text and a screen reader reads out its file name instead: add alt="…" '
                f'describing what the image shows, e.g. alt="{_EXAMPLE}", or alt="" '
                "if it is only decoration",
                severity=Severity.ERROR,
            )
        elif alt is not None and not alt.strip() and image.source == "markdown" and not decorative \
                and not nameless_link:
            if kramdown:
                decoration = 'if it is only decoration, say so with {: alt=""} after the image'
            else:
                decoration = (
                    f'if it is only decoration, write it as <img src="{image.src or "…"}" alt=""> '
                    '(GitHub shows {: alt=""} as text)'
                )
            yield Finding(
                span,
                "image has empty alt text, so a screen reader skips it: between the brackets, describe what "
                f"it shows, e.g. {_write(image, _EXAMPLE)}; {decoration}",
            )
        elif alt and alt.strip() and not nameless_link:
            word = _key(alt)
            if word in generic and wording is None:
                wording = not is_dated_log(doc)
            if word in generic and not wording:
                pass  # a placeholder in minutes: neither generic nor a file name to report
            elif word in generic:
                yield Finding(
                    span,
                    f"alt text {alt.strip()!r} says only that this is an image: {_where(image)}, describe "
                    f"what it shows, e.g. {_write(image, _EXAMPLE)}",
                )
            elif _file_name(alt, image.src):
                yield Finding(
                    span,
                    f"alt text {alt.strip()!r} is a file name or type: {_where(image)}, describe what the "
                    f"image shows instead, e.g. {_write(image, _EXAMPLE)}",
                )
            elif (
                previous is not None
                and previous.alt
                and _key(previous.alt) == word
                and previous.src != image.src
            ):
                line = doc.position(previous.start)[0]
                yield Finding(
                    span,
                    f"alt text {alt.strip()!r} is the same as that of the image before it (line {line}), "
                    "so a screen reader user cannot tell the two apart: describe what differs in each, e.g. "
                    f"{_write(image, alt.strip() + ': ' + 'step 2')}",
                )
        previous = image


RULE = Rule(
    code="NL601",
    name="image-alt",
    summary="an image with no, empty or meaningless alt text",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
