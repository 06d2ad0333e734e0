"""NL801 data-file-schema: a site data file that does not fit the shape its reader expects.

Isomer's theme reads ``_data/navigation.yml`` (the navbar), ``_data/footer.yml``,
``_data/homepage.yml`` and ``_data/contact-us.yml``; Jekyll and the CMS read each
collection's ``collection.yml`` and the site's ``_config.yml``. Each is checked against
its JSON Schema (``schemas/isomer-navigation.schema.json`` ...), every problem at its YAML
key or value: a navbar link with no title or no target, a homepage button without a url,
an image without alt text, a collection's ``output`` given as text (Jekyll publishes for
any value but false: a quoted ``"false"`` publishes), a key no one reads (with a
did-you-mean; for ``_config.yml`` and the older homepage and contact files, whose readers
vary, only keys that look like a misspelling, and never a ``_config.yml`` key the site's
own Liquid or an enabled plugin reads). A file that is not valid YAML, and a key
given twice, are reported too (a broken ``_config.yml`` is reported once for the run, by
front-matter-syntax). Other ``_data`` files have no fixed shape: only their YAML is checked.
"""

from __future__ import annotations

from typing import Any, Iterator

from naislint.diagnostics import Finding, Severity, Span
from naislint.page.document import Document
from naislint.registry import Rule, RuleContext

#: Data file kind -> its built-in schema.
SCHEMAS = {
    "navigation": "isomer-navigation.schema.json",
    "footer": "isomer-footer.schema.json",
    "homepage": "isomer-homepage-data.schema.json",
    "contact-us": "isomer-contact-us-data.schema.json",
    "collection": "isomer-collection.schema.json",
    "config": "jekyll-config.schema.json",
}


def check(doc: Document, ctx: RuleContext, options: Any) -> Iterator[Finding]:
    from naislint.jekyll import datafiles

    data = datafiles.load(doc)
    if data is None:
        return
    yaml = data.yaml
    if yaml.error is not None:
        if data.kind != "config":  # the run reports a broken _config.yml once
            message = yaml.error.message.replace("; Jekyll will drop the whole block", "; Jekyll cannot build the site")
            yield Finding(Span.point(yaml.error.line, yaml.error.column), message.replace("front matter", ctx.relpath),
                          severity=Severity.ERROR)
        return
    for earlier, later in yaml.duplicates:
        yield Finding(
            later.key_span,
            f"key {later.key!r} is given twice in this table (also on line {earlier.key_span.line}); "
            "YAML keeps only the last, and the other is lost",
            severity=Severity.ERROR,
        )
    schema = SCHEMAS.get(data.kind)
    if schema is None:
        return
    if not isinstance(data.data, dict):
        if data.data is None or (data.kind == "navigation" and isinstance(data.data, list)):
            return  # an empty file; the first Isomer template's navbar list
        yield Finding(Span(1, 1, 1, len(doc.line(1)) + 1),
                      f"the {data.label} must be a table of 'key: value' lines, not a {_kind_word(data.data)}",
                      severity=Severity.ERROR)
        return
    from naislint.schema import frontmatter as fmschema
    from naislint.jekyll import pagekinds

    choice = pagekinds.SchemaChoice(data.kind, schema, True, "built-in")
    texts = dict(_quoted_outputs(data)) if data.kind == "collection" else {}
    for problem in fmschema.check_yaml(yaml, choice, len(doc.line(1))):
        if problem.span not in texts:
            yield Finding(problem.span, problem.message, severity=problem.severity)
    for span, finding in texts.items():
        yield finding
    yield from _unknown_keys(data, choice, ctx.place)


def _unknown_keys(data: Any, choice: Any, place: Any) -> Iterator[Finding]:
    """Top-level keys the file's reader does not read, with the key probably meant.

    A ``_config.yml`` key is a setting of the whole site: it is not reported when the
    site's own Liquid reads it (``site.<key>`` in a layout, include or page, or
    ``config["key"]`` in a plugin of ``_plugins/``) or a plugin the site enables does,
    however far it is from the keys naislint knows."""
    from naislint.schema import frontmatter as fmschema
    from naislint.rules.front_matter_unknown_key import close_match

    known, mode = fmschema.known_keys(choice)
    readers = None
    for key, entry in data.yaml.entries.items():
        if key in known:
            continue
        guess = close_match(key, known)
        if guess == key or (guess is None and mode != "report"):
            continue
        if data.kind == "config":
            if readers is None:
                readers = _config_readers(place)
            if key in readers:
                continue
            nobody = "no layout, include or page of this site reads it, nor a plugin it enables"
            theme = _unseen_theme(place)
            if theme:
                nobody += f" (the theme {theme!r} is not in the site's folder: naislint cannot tell whether it does)"
            yield Finding(entry.key_span, f"unknown key {key!r} in the {data.label}: {nobody}; did you mean `{guess}`?")
        elif guess is not None:
            yield Finding(entry.key_span, f"unknown key {key!r} in the {data.label}: nothing reads it; did you mean `{guess}`?")
        else:
            yield Finding(entry.key_span, f"unknown key {key!r} in the {data.label}: Isomer's theme does not read it")


def _config_readers(place: Any) -> "set[str]":
    """The ``_config.yml`` keys something of the site reads besides Jekyll and the theme:
    its own Liquid and plugins, and the plugins it enables."""
    root = getattr(place, "site_root", None)
    if root is None:
        return set()
    from naislint import jekyll
    from naislint.jekyll import plugins, templates

    found = set(templates.sources(root).site_keys())
    found.update(plugins.keys_read(jekyll.load(root).raw))
    return found


def _unseen_theme(place: Any) -> str | None:
    """The theme of a site that is not Isomer's (whose settings the schema knows), named
    in ``_config.yml`` and not in the site's folder."""
    root = getattr(place, "site_root", None)
    if root is None or place.isomer:
        return None
    from naislint import jekyll

    raw = jekyll.load(root).raw
    for key in ("remote_theme", "theme"):
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


#: Text an editor writes for false, and for true.
_FALSE_WORDS = frozenset({"false", "no", "off", "0", ""})
_TRUE_WORDS = frozenset({"true", "yes", "on", "1"})


def _quoted_outputs(data: Any) -> Iterator[tuple[Span, Finding]]:
    """A collection's ``output`` given as text (``output: "true"``), at its value.

    Jekyll publishes a collection's pages when ``output`` is anything but false or
    nothing (``Collection#write?`` is ``!!metadata.fetch("output", false)``): text is
    true to it, ``"false"`` too. So a quoted ``"false"`` publishes the pages the editor
    meant to hide, while a quoted ``"true"`` does what was meant."""
    from naislint.jekyll import datafiles

    found = datafiles.get(data.yaml.root, "collections")
    if found is None:
        return
    for _name, meta in datafiles.mapping_items(found[1]):
        output = datafiles.get(meta, "output")
        if output is None:
            continue
        value = datafiles.scalar(output[1])
        if value is None:
            continue
        span = data.yaml.span_of(output[1])
        word = value.strip().lower()
        if word in _FALSE_WORDS:
            yield span, Finding(span, f"output is the text {value!r}, not false: Jekyll reads any text as true and "
                                      "publishes the collection's pages; write false without quotes to keep them "
                                      "unpublished", severity=Severity.ERROR)
        elif word in _TRUE_WORDS:
            yield span, Finding(span, f"output is the text {value!r}, not true; Jekyll publishes the collection's "
                                      "pages all the same (it reads any value but false as true), but write true "
                                      "without quotes so that it reads as meant", severity=Severity.INFO)
        else:
            yield span, Finding(span, f"output is the text {value!r}: Jekyll reads any text as true and publishes "
                                      "the collection's pages; write true or false without quotes",
                                severity=Severity.WARNING)


def _kind_word(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "single text value"
    return "single value"


RULE = Rule(
    code="NL801",
    name="data-file-schema",
    summary="A data file (_data/navigation.yml, footer.yml, homepage.yml, collection.yml, _config.yml) that does not fit its schema",
    check=check,
    default_severity=Severity.WARNING,
    files=frozenset({"data"}),
)
