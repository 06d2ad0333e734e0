"""NL306 hotlinked-image: an image loaded from Google Docs, Google Drive or a ``data:`` URI.

Converters and copy-paste from Google Docs leave images that live on Google's servers
(``lh3.googleusercontent.com``, ``docs.google.com/drawings``, ``drive.google.com``):
they break when the document's sharing changes or the link expires, and they load from
outside the site. Free image hosts (``i.ibb.co``, ``i.imgur.com``, GitHub's
``user-images``) are as fragile. A ``data:`` URI puts the whole image, as text, inside the page. Both
should be files in the site. Every image reference is checked: markdown images,
``<img src>``, ``srcset`` and front matter image keys (the site's shared link analysis).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from naislint.diagnostics import Finding, Severity
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext
from naislint.page.links import page_links


@dataclass(frozen=True)
class Options:
    #: Hosts images must not be loaded from (a leading ``.`` covers subdomains).
    hosts: tuple[str, ...] = (
        ".googleusercontent.com", "docs.google.com", "drive.google.com",
        "i.ibb.co", "ibb.co", "i.imgur.com", "imgur.com", "i.postimg.cc",
        "user-images.githubusercontent.com",
    )


def _host_listed(host: str, hosts: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    for entry in hosts:
        entry = entry.lower()
        if entry.startswith("."):
            if host.endswith(entry) or host == entry[1:]:
                return True
        elif host == entry:
            return True
    return False


def check(doc: Document, ctx: RuleContext, options: Options) -> Iterator[Finding]:
    for ref in page_links(doc):
        if ref.role != "image":
            continue
        url = ref.url.strip()
        if url[:5].lower() == "data:":
            size = len(url)
            yield Finding(
                ref.span,
                f"image is embedded in the page as a data: URI ({size:,} characters of text): save it as "
                "a file in the site's images folder and link to it, e.g. /images/chart.png",
            )
            continue
        try:
            host = urlsplit(url if "//" in url else "").hostname or ""
        except ValueError:
            continue
        if host and _host_listed(host, options.hosts):
            why = (
                "a Google Docs/Drive address that breaks when the document's sharing changes"
                if "google" in host
                else "an image-hosting service outside the site, which may remove it at any time"
            )
            yield Finding(
                ref.span,
                f"image is loaded from {host}, {why}: download the image, upload it to the site's "
                "images folder and link to it there, e.g. /images/chart.png",
            )


RULE = Rule(
    code="NL306",
    name="hotlinked-image",
    summary="an image loaded from Google Docs/Drive or embedded as a data: URI",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
