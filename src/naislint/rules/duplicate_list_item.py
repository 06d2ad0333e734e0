"""NL201 duplicate-list-item: the same item twice in one logical list.

Copy-paste in the CMS editor and HTML-to-markdown conversion leave an item written twice,
sometimes once as a markdown or HTML item and once as a hand-numbered paragraph. Items are
compared whole, after normalising (markup, tags and entities stripped, case and spacing
folded), by hashing, so a list of any length costs one pass. Whole: an item's sub-lists
are part of it (two "Windows" items with different steps below them are two items), and
code is compared exactly as written (`` `-v` `` is not `` `-V` ``).

In an ordered list the order is the point: each item is a step, and a step that comes
back after other steps is done again (GitHub's "Create pull request" button is clicked
twice, a wizard's "Next" on each page). There a repeat is reported when it follows its
copy directly, or when the items around it repeat too (several steps pasted twice). In
an unordered list any repeat is a copy.

On a kramdown site, items inside an HTML element kramdown keeps raw (no
``markdown="1"``) are still compared (the copy is in the source and shows once the
element is read as markdown), and the message says the lines print literally.

Not every repeat is a copy an editor deletes:

- an item too short to be a written step: one with no letter or digit (``+1`` said by
  two people in a chat log, an empty checkbox ``[]``), or a lone word or label
  (``Discussion/Update``, ``**Example:**``) in a bullet list whose other items are sentences:
  its meaning comes from what is around it, and two of them are two different things;
- a line of a template with unfilled ``$placeholders``
  (``[$kep-number - $title]($link) - $milestone.beta``): the repeat is the template's
  own, and the defect is the unfilled template;
- a log of dated entries (meeting minutes, :mod:`naislint.page.dated_log`): a record
  nobody edits (a name signed twice in an archived attendee list), left alone unless
  ``dated-logs`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from naislint.diagnostics import Finding, Severity
from naislint.page.dated_log import is_dated_log
from naislint.page.document import Document
from naislint.page.lists import ItemKey, LogicalList, logical_lists
from naislint.page import literal
from naislint.registry import Rule, RuleContext


#: A template's unfilled variable: ``$kep-number``, ``${title}`` (not ``$1,000``).
_PLACEHOLDER_RE = re.compile(r"\$(?:\{[^}\s]*\}|[A-Za-z_][\w.-]*)")
_WORD_RE = re.compile(r"\w", re.UNICODE)
#: A code span: a ``$VAR`` in it is shell, not a template's placeholder.
_CODE_SPAN_RE = re.compile(r"(`+).+?\1")
#: Words an item needs, beside a lone label, for a list to hold sentences.
SENTENCE_WORDS = 4


@dataclass(frozen=True)
class Options:
    #: Also check logs of dated entries (meeting minutes), which are left alone by
    #: default: they are records kept as they were taken.
    dated_logs: bool = False


def _compared(lst: LogicalList) -> list[bool]:
    """Which items of a list are compared: those an editor could have copied. An item
    with no letter or digit (``+1``, ``[]``), a lone word in a list of sentences, and a
    template line with unfilled ``$placeholders`` are not."""
    words = [len(item.text.split()) for item in lst.items]
    # In an ordered list a one-word item is a step ("Submit"), which _copied judges.
    sentences = not lst.ordered and any(n >= SENTENCE_WORDS for n in words)
    out = []
    for item, n in zip(lst.items, words):
        text = item.text
        if not (text or item.children):
            out.append(False)
        elif item.children:
            out.append(True)  # a sub-list makes it more than a label
        elif not _WORD_RE.search(text.replace("_", "")):
            out.append(False)  # +1, [], a lone dash: a reaction or an empty box
        elif n == 1 and sentences:
            out.append(False)  # a label over items of its own
        else:
            prose = _CODE_SPAN_RE.sub("", " ".join(item.parts))
            out.append(_PLACEHOLDER_RE.search(prose) is None)
    return out


def check(doc: Document, ctx: RuleContext, options: Options | None) -> Iterator[Finding]:
    options = options if options is not None else Options()
    if not options.dated_logs and is_dated_log(doc):
        return
    for lst in logical_lists(doc).lists:
        items = lst.items
        keys = [item.key if compared else None for item, compared in zip(items, _compared(lst))]
        seen: dict[ItemKey, list[int]] = {}
        for k, item in enumerate(items):
            key = keys[k]
            if key is None:
                continue
            earlier = seen.setdefault(key, [])
            earlier.append(k)
            if len(earlier) == 1:
                continue
            if lst.ordered and not _copied(keys, earlier[:-1], k):
                continue  # a step done again
            first = items[earlier[0]]
            # A markdown item kramdown keeps raw is still a copy in the source, but it is
            # no list item on the page: the message says so (``<li>`` items are HTML).
            where = literal.note(doc, item.start) if item.source != "html" else ""
            yield Finding(
                doc.span(item.start, item.end),
                f"this list item repeats the item on line {first.line} of the same list; "
                f"delete one copy{where}",
            )


def _copied(keys: list[ItemKey | None], earlier: list[int], k: int) -> bool:
    """Whether item ``k`` of an ordered list, equal to the items at ``earlier``, is a
    copy: it directly follows one of them, or a neighbour repeats that one's neighbour
    (a run of steps written twice)."""
    for j in earlier:
        if j == k - 1:
            return True
        if k + 1 < len(keys) and keys[k + 1] is not None and keys[j + 1] == keys[k + 1]:
            return True
        if j > 0 and keys[k - 1] is not None and keys[j - 1] == keys[k - 1]:
            return True
    return False


RULE = Rule(
    code="NL201",
    name="duplicate-list-item",
    summary="The same item twice in one logical list (markdown, HTML <li>, hand-numbered paragraphs)",
    check=check,
    default_severity=Severity.WARNING,
    options=Options,
)
