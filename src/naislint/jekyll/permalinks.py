"""Permalink templates and their placeholders, as ``Jekyll::URL`` and ``UrlDrop`` fill them.

A collection's ``permalink:`` (``/:collection/:path/``), the posts' one
(``/news/:year/:month/:day/:title/``), a permalink style or a page's own ``permalink``
with placeholders all become a URL the same way: each ``:name`` is replaced by the
document's value, then the URL is sanitised (``..`` dropped, ``./`` removed, repeated
slashes squeezed, one leading slash).
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
import unicodedata
from typing import Any, Mapping

PLACEHOLDER_RE = re.compile(r":([a-z_]+)")
#: Jekyll's permalink styles (``permalink: pretty`` ...) for posts and documents.
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
POST_NAME_RE = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")


def style_template(style: str) -> str:
    """``Utils.style_to_permalink``: a named style's template, or the style itself."""
    return STYLES.get(style, style)


def add_suffix(template: str, style: str) -> str:
    """``Utils.add_permalink_suffix``: the ending (``/`` or ``:output_ext``) of the style."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


def expand(template: str, values: Mapping[str, str]) -> str | None:
    """The template with each placeholder replaced (``Jekyll::URL#generate_url_from_drop``),
    sanitised; ``None`` when it names a placeholder the document lacks (Jekyll stops)."""
    missing = False

    def fill(m: re.Match) -> str:
        nonlocal missing
        name = m.group(1)
        for key in ((name, name[:-1]) if name.endswith("_") else (name,)):
            if key in values:
                return _escape(values[key]) + m.group(0)[1 + len(key):]
        missing = True
        return m.group(0)

    url = PLACEHOLDER_RE.sub(fill, template)
    if missing:
        return None
    return sanitize(url)


def sanitize(url: str) -> str:
    """``Jekyll::URL#sanitize_url``."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", url)


def _escape(value: str) -> str:
    # The site index compares decoded URLs: Jekyll's percent-escaping is not redone here.
    return value


#: ASCII text slugified at C speed: letters and digits are exactly the ASCII characters
#: of Unicode's L, M and Nd categories, so a run of anything else becomes one ``-``.
_ASCII_DROP = {
    "default": re.compile(r"[^A-Za-z0-9]+"),
    "pretty": re.compile(r"[^A-Za-z0-9._~!$&'()+,;=@]+"),
}


def slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """``Utils.slugify`` in its ``default`` and ``pretty`` modes."""
    if text.isascii():
        slug = _ASCII_DROP["pretty" if mode == "pretty" else "default"].sub("-", text).strip("-")
        return slug if cased else slug.lower()
    keep = "._~!$&'()+,;=@" if mode == "pretty" else ""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        out.append(ch if cat[0] in "LM" or cat == "Nd" or ch in keep else "-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")
    return slug if cased else slug.lower()


def placeholders(template: str) -> frozenset[str]:
    """The names :func:`expand` may look up for ``template`` (``:title_`` may be
    ``title_`` or ``title``)."""
    names: set[str] = set()
    for name in PLACEHOLDER_RE.findall(template):
        names.add(name)
        if name.endswith("_"):
            names.add(name[:-1])
    return frozenset(names)


#: The placeholders that are not the date's.
_PLAIN = frozenset({"collection", "path", "name", "title", "slug", "categories", "slugified_categories", "output_ext"})


def document_values(
    rel: str, collection: str, meta: Mapping[str, Any], out_ext: str, path_categories: list[str],
    wanted: "frozenset[str] | None" = None,
) -> dict[str, str]:
    """The placeholders of a collection document (``Drops::UrlDrop``); for posts the date
    and slug come from the file name, and the folders above ``_posts`` are categories.

    With ``wanted`` (:func:`placeholders` of the template to fill), the date's values are
    worked out only when the template names one: a site index fills one template per
    document, and formatting every date field was most of the cost."""
    name = rel.rsplit("/", 1)[-1]
    stem = posixpath.splitext(name)[0]
    slug_source = meta.get("slug") if isinstance(meta.get("slug"), str) else None
    date: _dt.datetime | None = None
    post = POST_NAME_RE.match(name) if collection == "posts" else None
    if post:
        slug_source = slug_source or post.group(2)
        try:
            y, mo, d = (int(x) for x in post.group(1).split("-"))
            date = _dt.datetime(y, mo, d)
        except ValueError:
            date = None
    given = meta.get("date")
    if isinstance(given, _dt.datetime):
        date = given.replace(tzinfo=None)
    elif isinstance(given, _dt.date):
        date = _dt.datetime(given.year, given.month, given.day)
    categories: list[str] = []
    for c in _as_list(meta.get("categories")) + _as_list(meta.get("category")) + path_categories:
        c = str(c).lower()
        if c not in categories:
            categories.append(c)
    top, _, below = rel.partition("/")
    cleaned = posixpath.splitext(below)[0] if top == "_" + collection else posixpath.splitext(rel)[0]
    values = {
        "collection": collection,
        "path": cleaned,
        "name": slugify(stem),
        "title": slugify(slug_source or stem, "pretty", cased=True),
        "slug": slugify(slug_source or stem),
        "categories": "/".join(categories),
        "slugified_categories": "/".join(dict.fromkeys(slugify(c) for c in categories)),
        "output_ext": out_ext,
    }
    if date is not None and (wanted is None or not wanted <= _PLAIN):
        values.update(_date_values(date))
    return values


def _date_values(date: _dt.datetime) -> dict[str, str]:
    iso = date.isocalendar()
    return {
        "year": date.strftime("%Y"), "month": date.strftime("%m"), "day": date.strftime("%d"),
        "hour": date.strftime("%H"), "minute": date.strftime("%M"), "second": date.strftime("%S"),
        "i_day": str(date.day), "i_month": str(date.month),
        "short_month": date.strftime("%b"), "long_month": date.strftime("%B"),
        "short_year": date.strftime("%y"), "w_year": str(iso[0]), "week": f"{iso[1]:02d}",
        "w_day": str(iso[2]), "short_day": date.strftime("%a"), "long_day": date.strftime("%A"),
        "y_day": date.strftime("%j"),
    }


def _as_list(value: Any) -> list:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return value
    return []


def page_values(rel: str, out_ext: str) -> dict[str, str]:
    """The placeholders of a page (``Jekyll::Page#url_placeholders``)."""
    folder = posixpath.dirname(rel)
    stem = posixpath.splitext(rel.rsplit("/", 1)[-1])[0]
    return {"path": "/" + folder + "/" if folder else "/", "basename": stem, "output_ext": out_ext}
