"""Presets: what each kind of site gets before its own configuration.

naislint lints more than one kind of site, and a rule that is right on one is noise on
another: the Isomer CMS's sanitizer removes markup a plain Jekyll site keeps, and its
HTML-to-markdown converter leaves ``&nbsp;`` and empty ``<p></p>`` that a hand-written
page does not. A preset says, per kind of site, which rules are off and which report at
another severity. It is the bottom layer of a file's rule settings: the rule's own
defaults, then the preset, then ``rules:`` of ``.naislint.yml``, then its ``overrides:``,
then the command line (``--select``, ``--ignore``) on top.

One :class:`Preset` value per preset, in :data:`PRESETS`, is all there is to a preset:
the configuration schema's ``preset:`` choices, the automatic choice and the docs test
read that table. A preset's rule values are spelt as in ``.naislint.yml``'s ``rules:``
(``off``, or a severity), so a user can copy a line to undo one.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, NamedTuple

#: Rule values a preset may give: a rule off, or its severity.
VALUES = frozenset({"off", "error", "warning", "info"})


class Preset(NamedTuple):
    """One kind of site: its name, why it differs, and its rule settings. (A named tuple:
    every run imports it, and a frozen dataclass costs 1 ms to make.)"""

    name: str
    #: When the preset applies, in one line (the docs and the schema's description).
    summary: str
    #: Rule name -> ``off`` or a severity, under the user's configuration.
    rules: Mapping[str, str] = MappingProxyType({})


ISOMER = Preset(
    name="isomer",
    summary="an Isomer site (the theme in _config.yml): every rule at its own default, "
    "HTML judged by the Isomer CMS's sanitizer",
)

JEKYLL = Preset(
    name="jekyll",
    summary="any other Jekyll site: no CMS sanitizer, so the rules that judge HTML by it are "
    "off, and the CMS converter's leftovers are only info",
    rules=MappingProxyType({
        # Judged against the Isomer CMS's sanitizer and its host lists: a Jekyll site
        # prints its HTML as written (kramdown keeps markdown="1" for itself), and its
        # maintainers' own <script>, target="_blank" and style="" are theirs to choose.
        "stray-html": "off",
        "unsafe-html": "off",
        "target-blank": "off",
        "inline-style": "off",
        # What the CMS's HTML-to-markdown converter leaves behind; by hand, a deliberate
        # choice more often than not.
        "nbsp-entity": "info",
        "emphasis-as-heading": "info",
        "empty-html": "info",
    }),
)

GITHUB = Preset(
    name="github",
    summary="a folder with no _config.yml, read on GitHub: no front matter or Jekyll site "
    "rules, HTML judged by GitHub's sanitizer, relative links checked as GitHub resolves them",
    rules=MappingProxyType({
        # GitHub shows front matter as a table and builds no site: nothing requires it,
        # nothing publishes a permalink, and Liquid is text.
        "front-matter-missing": "off",
        "front-matter-schema": "off",
        "front-matter-empty": "off",
        "front-matter-unknown-key": "off",
        "permalink-conflict": "off",
        "liquid-syntax": "off",
        # GitHub's sanitizer removes scripts and target= itself.
        "unsafe-html": "off",
        "target-blank": "off",
        # The Isomer CMS converter's habits, seldom an editor's on GitHub: information only.
        "nbsp-entity": "info",
        "empty-html": "info",
    }),
)

#: Every preset by name. A new preset is one more entry here.
PRESETS: Mapping[str, Preset] = MappingProxyType({preset.name: preset for preset in (ISOMER, JEKYLL, GITHUB)})


def rules_of(name: str | None) -> Mapping[str, str]:
    """The rule settings of preset ``name`` (none for ``None``: the rules' defaults). The
    same mapping object every time, so callers may cache by its identity."""
    if name is None:
        return ISOMER.rules
    return PRESETS[name].rules


def automatic(site_root: str | None) -> str:
    """The preset of a site whose configuration names none: ``github`` for a folder with no
    ``_config.yml`` above it (a repository read on GitHub), ``isomer`` when its
    ``_config.yml`` uses the Isomer theme, else ``jekyll``."""
    from naislint import jekyll

    if site_root is None:
        return GITHUB.name
    return ISOMER.name if jekyll.load(site_root).isomer else JEKYLL.name
