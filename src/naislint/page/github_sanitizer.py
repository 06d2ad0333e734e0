"""What GitHub's sanitizer keeps of the HTML in a markdown file: the ``github`` preset's lists.

GitHub renders a repository's markdown with cmark-gfm and then cleans the HTML with the
allowlist of its html-pipeline ``SanitizationFilter`` (the lists github/markup points to):
a tag outside :data:`TAGS` is removed and its content kept (``<script>`` goes with its
content), an attribute outside the lists is removed. Two things GitHub keeps beyond the
published lists, and documents: ``<picture>``/``<source srcset media>`` (images for the
light and dark themes), and ``id``/``name`` (kept with a ``user-content-`` prefix, which
is how ``<a name="x">`` anchors work on GitHub).

A tag that is no HTML element at all (``<project-name>``, ``<your-email>``) is removed
like any other, and with it the text a writer meant to show: GitHub prints nothing where
the placeholder was.
"""

from __future__ import annotations

from naislint.page.sanitizer import DOMPURIFY_HTML_TAGS, DOMPURIFY_MATHML_TAGS, DOMPURIFY_SVG_TAGS

#: html-pipeline's WHITELIST elements, plus ``picture`` and ``source``.
TAGS = frozenset(
    """h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul
    table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s
    strike summary details caption figure figcaption abbr bdo cite dfn mark small span time
    wbr picture source""".split()
)

#: Attributes kept on every allowed element (html-pipeline's ``:all``), plus ``id``.
ATTRIBUTES = frozenset(
    """abbr accept accept-charset accesskey action align alt aria-describedby aria-hidden
    aria-label aria-labelledby axis border cellpadding cellspacing char charoff charset
    checked clear cols colspan color compact coords datetime dir disabled enctype for frame
    headers height hreflang hspace ismap label lang maxlength media method multiple name
    nohref noshade nowrap open progress prompt readonly rel rev role rows rowspan rules
    scope selected shape size span start summary tabindex target title type usemap valign
    value vspace width itemprop id""".split()
)

#: Attributes kept only on some elements.
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "longdesc"}),
    "div": frozenset({"itemscope", "itemtype"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite"}),
    "ins": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "source": frozenset({"srcset"}),
}

#: Elements removed together with their content.
REMOVED_WITH_CONTENT = frozenset({"script"})

#: Names of real HTML, SVG and MathML elements (and the few obsolete ones pages still
#: use); any other tag name is a placeholder written in angle brackets.
HTML_ELEMENTS = (
    DOMPURIFY_HTML_TAGS
    | DOMPURIFY_SVG_TAGS
    | DOMPURIFY_MATHML_TAGS
    | frozenset(
        """iframe script noscript object embed param frame frameset noframes link meta base
        title head body html style applet basefont isindex keygen listing plaintext xmp
        strike tt h7 h8 math svg slot search""".split()
    )
)


def attribute_allowed(tag: str, attribute: str) -> bool:
    """Whether GitHub keeps ``attribute`` on an allowed ``tag``."""
    return attribute in ATTRIBUTES or attribute in TAG_ATTRIBUTES.get(tag, ())


def is_placeholder(tag: str) -> bool:
    """Whether a tag name is no HTML element (``<company>``, ``<your-name>``)."""
    return tag not in HTML_ELEMENTS
