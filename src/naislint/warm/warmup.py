"""What the warm process runs before its first fork, so that copies find it all built.

naislint builds much of what a run needs on first use: the rule registry, a markdown parser
per renderer, a front matter schema per layout, the patterns of a rule that only a page
with a table, a script other than Latin or a Liquid tag reaches. A copy forked before they
were built would build them again at every run. So the warm process lints three small
sites of its own (an Isomer site, a plain Jekyll site and a repository read on GitHub)
whose pages touch each of those, and discards the reports.
"""

from __future__ import annotations

import contextlib
import os
import sys

ISOMER_CONFIG = """\
title: Warm Agency
url: https://www.example.gov.sg
remote_theme: isomerpages/isomerpages-template@next-gen
permalink: none
collections:
  about-us:
    output: true
"""

ISOMER_PAGE = """\
---
layout: page
title: About us
permalink: /about-us/our-work/
third_nav_title: Work
description: ""
---
# About us

## Our **resilie****nce** plan

**Summary**

1. First action.
2\\. Second action typed by hand.
9.&nbsp;Ninth action.
2. First action.

- A bullet with a [link](/about-us/our-work/#our-resilience-plan "title") and [another](/nowhere/).
- An image ![](/images/missing.png) and <img src="/images/a.png" style="width:50%">.

<div style="color: red; font-size: 12px; line-height: 10px">
  <p>Raw <b>HTML</b> with&nbsp;&nbsp;spaces <a href="https://example.com" target="_blank">out</a></p>
  <table><tr><td>cell</td></tr></table>
  <iframe src="https://www.youtube.com/embed/x"></iframe>
</div>

<div markdown="1">
**Bold inside** a block the the reader sees.
</div>

| Head | Other |
|------|-------|
| 中文内容在这里 | தமிழ் உரை |

Text with “quotes”, a footnote[^1] and {{ site.title }} {% include note.html %}.
{: .lead lang="en"}

> A quote with *emphasis* and `code`.

```python
print("code")
```

    indented code

#No space heading
###### Deep heading

[^1]: The note.
"""

JEKYLL_PAGE = """\
---
title: Docs
---
{% raw %}{{ kept }}{% endraw %}
{% for item in site.data.links %}
- [{{ item.title }}]({{ item.url | relative_url }})
{% endfor %}

<div markdown="1">
## Section {#custom-id}
See [home]({{ '/' | relative_url }}) and [the section](#custom-id).
</div>
"""

GITHUB_README = """\
# Project

See [the guide](docs/guide.md#setup), [missing](docs/none.md) and <a name="top"></a>.

1) first
2) second

- [ ] a task
~~gone~~ and https://example.com autolink.
"""

GITHUB_GUIDE = "## Setup\n\nRun it. Back to [the top](../README.md#project).\n"


def _write(root: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def warm_up() -> None:
    """Import what runs need and lint the three sample sites (their reports discarded)."""
    import tempfile

    import naislint.cli  # noqa: F401 - the commands and options click reads
    from naislint.__main__ import run_here
    from naislint.registry import RegistryError, all_rules

    # A run imports a rule's module only when it runs the rule; the sample sites run the
    # rules on by default, and a served run that turns on another would import it.
    with contextlib.suppress(RegistryError):
        all_rules()

    with tempfile.TemporaryDirectory(prefix="naislint-warm-") as folder:
        isomer = os.path.join(folder, "isomer")
        _write(isomer, {
            "_config.yml": ISOMER_CONFIG,
            "index.md": "---\nlayout: homepage\ntitle: Home\npermalink: /\n---\n",
            "_about-us/our-work.md": ISOMER_PAGE,
            "_about-us/collection.yml": "collections:\n  about-us:\n    order:\n      - our-work.md\n",
            "_data/navigation.yml": "- title: About\n  url: /about-us/our-work/\n- title: Gone\n  url: /gone/\n",
            "_data/footer.yml": "contact_us: /contact/\nshow_reach: true\n",
            "images/a.png": "",
        })
        jekyll = os.path.join(folder, "jekyll")
        _write(jekyll, {"_config.yml": "title: Docs\n", "docs.md": JEKYLL_PAGE,
                        "_data/links.yml": "- title: Home\n  url: /\n"})
        github = os.path.join(folder, "github")
        _write(github, {"README.md": GITHUB_README, "docs/guide.md": GITHUB_GUIDE, "LICENSE": ""})
        saved = sys.argv
        runs = [["check", isomer], ["check", os.path.join(isomer, "_about-us", "our-work.md")],
                ["check", "--format", "json", jekyll], ["check", github]]
        with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink), \
                contextlib.redirect_stderr(sink):
            for argv in runs:
                sys.argv = ["naislint", *argv]
                try:
                    run_here()
                except SystemExit:
                    pass
        sys.argv = saved
