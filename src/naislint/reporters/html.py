"""``--format html``: one self-contained page for the people who fix the content.

Isomer pages are fixed by editors in the CMS, not by engineers reading CI logs, so this
report speaks to them: the site's pages by title, worst first, each problem with its
line, a source excerpt and the fix in words; broken links grouped by the URL they point
to; totals by severity and by rule family, with a bar chart that has a table beside it.

It must open from disk with no network: CSS is inline, there are no fonts, images or
scripts from elsewhere, and the only outside links are to the site itself and to the
editor (``--report-edit-url``). The filters work with CSS alone (``:has()``); a small
inline script only hides the pages a filter leaves empty. Every page's problems sit in a
collapsed ``<details>``, so a report of thousands of problems stays quick to open.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from naislint.reporters._pages import (
    SEVERITIES,
    SEVERITY_LABELS,
    Page,
    Problem,
    Report,
    build,
    family_label,
    visible,
)

if TYPE_CHECKING:
    from naislint.run.results import RunResult
    from naislint.reporters import ReportContext

#: Open every page's problems when there are this few in all.
OPEN_BELOW = 40
#: Bars in the chart (the table lists every rule).
CHART_BARS = 30

_CSS = """
:root{--fg:#1b1b1b;--muted:#4a4a4a;--bg:#fff;--line:#c9c9c9;--soft:#f3f4f6;--link:#0b4fa3;
--e-bg:#fde2e1;--e-fg:#8a1116;--w-bg:#fff1c2;--w-fg:#5c3b00;--i-bg:#e0ecff;--i-fg:#0b3d91}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:72rem;margin:0 auto;padding:1rem}
a{color:var(--link)}
a:focus,summary:focus,input:focus{outline:3px solid #1d6ae5;outline-offset:2px}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:0 0 .25rem;overflow-wrap:anywhere}
.meta{color:var(--muted);margin:.25rem 0}
.cards{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.cards li{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;min-width:8rem}
.cards strong{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--soft)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
.sev{display:inline-block;border:1px solid currentColor;border-radius:4px;padding:0 .35rem;font-size:.85rem;font-weight:600}
.sev-error{background:var(--e-bg);color:var(--e-fg)}
.sev-warning{background:var(--w-bg);color:var(--w-fg)}
.sev-info{background:var(--i-bg);color:var(--i-fg)}
.sev-error::before{content:"\\2716\\00a0"}
.sev-warning::before{content:"\\25B2\\00a0"}
.sev-info::before{content:"\\2139\\00a0"}
svg{max-width:100%;height:auto}
svg text{font:12px system-ui,Arial,sans-serif;fill:#1b1b1b}
fieldset{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.25rem .75rem}
fieldset label{display:inline-block;margin:.25rem 1rem .25rem 0;white-space:nowrap}
.page{border:1px solid var(--line);border-radius:6px;padding:.75rem;margin:.75rem 0}
.page .links{margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.page .links>*,li,p{min-width:0;overflow-wrap:anywhere}
summary{cursor:pointer;font-weight:600;padding:.25rem 0}
ol.problems{list-style:none;margin:0;padding:0}
.problem{border-top:1px solid var(--line);padding:.5rem 0}
.problem p{margin:.2rem 0}
.what{color:var(--muted)}
pre{margin:.25rem 0;padding:.4rem .5rem;background:var(--soft);border-radius:4px;white-space:break-spaces;overflow-wrap:anywhere;tab-size:4;font-size:.9rem}
mark{background:#ffe08a;color:#1b1b1b;text-decoration:underline wavy #8a1116;text-underline-offset:3px}
.fix{border-left:4px solid #1a7f37;padding-left:.5rem}
.rule-doc p{margin:.25rem 0}
@media (max-width:40rem){body{font-size:15px}main{padding:.5rem}h1{font-size:1.3rem}.cards li{min-width:6rem}}
"""

_SCRIPT = """
(function(){
  var form=document.getElementById('filters');
  if(!form){return;}
  function update(){
    var off={};
    form.querySelectorAll('input[type=checkbox]').forEach(function(box){
      if(!box.checked){off[box.name+':'+box.value]=true;}
    });
    var shown=0;
    document.querySelectorAll('section.page').forEach(function(page){
      var left=0;
      page.querySelectorAll('li.problem').forEach(function(item){
        var hide=off['severity:'+item.dataset.severity]||off['family:'+item.dataset.family];
        item.hidden=!!hide;
        if(!hide){left++;}
      });
      page.hidden=left===0;
      shown+=left;
    });
    var status=document.getElementById('filter-status');
    if(status){status.textContent=shown+' of '+form.dataset.total+' problems shown.';}
  }
  form.addEventListener('change',update);
})();
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def render(result: "RunResult", context: "ReportContext") -> str:
    report = build(result, context)
    out: list[str] = []
    w = out.append
    title = f"{report.heading} (naislint)"
    w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    w("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
    w(f"<title>{_e(title)}</title>\n<style>{_CSS}{_filter_css(report)}</style>\n</head>\n<body>\n")
    w("<main>\n")
    _top(w, report)
    _rules(w, report)
    _targets(w, report)
    _pages(w, report)
    _rule_docs(w, report)
    w("</main>\n")
    w(f"<script>{_SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(out)


# -- the top ----------------------------------------------------------------------------------


def _top(w, report: Report) -> None:
    w(f"<h1>{_e(report.heading)}</h1>\n")
    site = f' of <a href="{_e(report.site_url)}">{_e(report.site_url)}</a>' if report.site_url else ""
    w(f"<p class=\"meta\">Checked {_e(report.generated)}{site}: {_plural(report.files_checked, 'file')}, "
      f"{_plural(report.total, 'problem')} on {_plural(len(report.pages), 'page')}.</p>\n")
    if report.baseline is not None:
        w(f"<p class=\"meta\" id=\"baseline\">New since the baseline <code>{_e(report.baseline)}</code>: "
          f"<strong data-count=\"new\">{report.total:,}</strong> "
          f"{'problem is' if report.total == 1 else 'problems are'} new and shown here; "
          f"{_plural(report.baselined, 'problem')} the baseline already records "
          f"{'is' if report.baselined == 1 else 'are'} not shown.</p>\n")
    w("<h2 id=\"summary\">Summary</h2>\n")
    if not report.total:
        w("<p>No problems found.</p>\n")
    w("<ul class=\"cards\" aria-label=\"Problems by severity\">\n")
    for severity in SEVERITIES:
        n = report.by_severity[severity]
        w(f"<li><strong data-count=\"severity:{severity}\">{n:,}</strong>"
          f"<span class=\"sev sev-{severity}\">{SEVERITY_LABELS[severity]}</span> "
          f"{'problem' if n == 1 else 'problems'}</li>\n")
    w("</ul>\n")
    if report.by_family:
        w("<div class=\"table-wrap\"><table>\n<caption>Problems by kind</caption>\n")
        w("<thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Rule codes</th>"
          "<th scope=\"col\" class=\"n\">Problems</th></tr></thead>\n<tbody>\n")
        for key, label, count in report.by_family:
            codes = f"NL{key}xx" if key.isdigit() else "other"
            w(f"<tr><th scope=\"row\">{_e(label)}</th><td>{codes}</td>"
              f"<td class=\"n\" data-count=\"family:{_e(key)}\">{count:,}</td></tr>\n")
        w("</tbody>\n</table></div>\n")


def _chart(w, report: Report) -> None:
    """Counts per rule as horizontal bars, labelled with the rule and its count; the
    table after the chart carries the same numbers as text."""
    rows = report.by_rule[:CHART_BARS]
    if not rows:
        return
    top = max(r.count for r in rows)
    label_w, bar_w, row_h = 300, 300, 22
    height = row_h * len(rows) + 8
    fills = {"error": "#b3261e", "warning": "#8a5a00", "info": "#2457a8"}
    w(f"<svg role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 {label_w + bar_w + 70} {height}\" "
      f"width=\"{label_w + bar_w + 70}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\n")
    w("<title id=\"chart-title\">Problems per rule</title>\n")
    w("<desc id=\"chart-desc\">One bar per rule, longest for the rule with the most problems; "
      "the table below lists the same counts.</desc>\n")
    for i, r in enumerate(rows):
        y = 4 + i * row_h
        length = max(2, round(bar_w * r.count / top))
        w(f"<text x=\"{label_w - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{_e(r.rule)} ({_e(r.code)}, "
          f"{_e(r.severity)})</text>"
          f"<rect x=\"{label_w}\" y=\"{y + 3}\" width=\"{length}\" height=\"{row_h - 7}\" fill=\"{fills.get(r.severity, '#444')}\"/>"
          f"<text x=\"{label_w + length + 6}\" y=\"{y + 15}\">{r.count:,}</text>\n")
    w("</svg>\n")


def _rules(w, report: Report) -> None:
    if not report.by_rule:
        return
    w("<h2 id=\"by-rule\">Problems by rule</h2>\n")
    _chart(w, report)
    w("<div class=\"table-wrap\"><table>\n<caption>Problems per rule (the numbers of the chart)</caption>\n")
    w("<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Kind</th><th scope=\"col\">Severity</th>"
      "<th scope=\"col\">What it finds</th><th scope=\"col\" class=\"n\">Problems</th></tr></thead>\n<tbody>\n")
    for r in report.by_rule:
        w(f"<tr><th scope=\"row\"><a href=\"#rule-{_e(r.rule)}\">{_e(r.code)} {_e(r.rule)}</a></th>"
          f"<td>{_e(family_label(r.family))}</td><td><span class=\"sev sev-{_e(r.severity)}\">"
          f"{_e(SEVERITY_LABELS.get(r.severity, r.severity))}</span></td><td>{_e(r.summary)}</td>"
          f"<td class=\"n\" data-count=\"rule:{_e(r.rule)}\">{r.count:,}</td></tr>\n")
    w("</tbody>\n</table></div>\n")


# -- broken links by target ---------------------------------------------------------------------


def _targets(w, report: Report) -> None:
    if not report.targets:
        return
    w("<h2 id=\"by-target\">Broken links and missing images, by address</h2>\n")
    w("<p>Each address below is linked from pages of the site but leads nowhere. "
      "Fixing the address once (or creating the page) repairs every link to it.</p>\n")
    w("<div class=\"table-wrap\"><table>\n<caption>Addresses that lead nowhere</caption>\n")
    w("<thead><tr><th scope=\"col\">Address</th><th scope=\"col\">Linked from</th></tr></thead>\n<tbody>\n")
    for group in report.targets:
        pages = group.pages
        w(f"<tr><th scope=\"row\"><code>{_e(group.target)}</code></th><td>")
        w(f"<details><summary>This URL is linked from {_plural(len(pages), 'page')}"
          f"{'' if len(group.problems) == len(pages) else f' ({len(group.problems)} links)'}</summary><ul>")
        for p in group.problems:
            page_id = report.page_ids.get(p.path, "")
            w(f"<li><a href=\"#{page_id}\">{_e(p.path)}</a>, line {p.diagnostic.line}</li>")
        w("</ul></details></td></tr>\n")
    w("</tbody>\n</table></div>\n")


# -- pages --------------------------------------------------------------------------------------


def _filters(w, report: Report) -> None:
    w(f"<form id=\"filters\" data-total=\"{report.total}\" onsubmit=\"return false\">\n")
    w("<fieldset><legend>Show severities</legend>")
    for severity in SEVERITIES:
        if report.by_severity[severity]:
            w(f"<label><input type=\"checkbox\" id=\"show-severity-{severity}\" name=\"severity\" value=\"{severity}\" "
              f"checked> {SEVERITY_LABELS[severity]} ({report.by_severity[severity]:,})</label>")
    w("</fieldset>\n<fieldset><legend>Show kinds</legend>")
    for key, label, count in report.by_family:
        w(f"<label><input type=\"checkbox\" id=\"show-family-{_e(key)}\" name=\"family\" value=\"{_e(key)}\" "
          f"checked> {_e(label)} ({count:,})</label>")
    w("</fieldset>\n<p id=\"filter-status\" role=\"status\" aria-live=\"polite\"></p>\n</form>\n")


def _filter_css(report: Report) -> str:
    """Hide the problems of an unticked severity or family with CSS alone."""
    rules = [
        f"body:has(#show-severity-{s}:not(:checked)) li.problem[data-severity=\"{s}\"]{{display:none}}"
        for s in SEVERITIES if report.by_severity[s]
    ]
    rules += [
        f"body:has(#show-family-{key}:not(:checked)) li.problem[data-family=\"{key}\"]{{display:none}}"
        for key, _label, _count in report.by_family
    ]
    return "\n".join(rules) + "\n"


def _pages(w, report: Report) -> None:
    if not report.pages:
        return
    w("<h2 id=\"pages\">Problems by page, worst first</h2>\n")
    _filters(w, report)
    opened = " open" if report.total < OPEN_BELOW else ""
    for page in report.pages:
        _page(w, report, page, opened)


def _page(w, report: Report, page: Page, opened: str) -> None:
    page_id = report.page_ids[page.path]
    w(f"<section class=\"page\" id=\"{page_id}\">\n")
    w(f"<h3 id=\"{page_id}-title\">{_e(page.title)}</h3>\n<p class=\"links\"><span>File <code>{_e(page.path)}</code></span>")
    if page.url is not None:
        w(f"<span>Address <code>{_e(page.url)}</code>{'' if page.published else ' (not published)'}</span>")
    if page.live_url:
        w(f"<a href=\"{_e(page.live_url)}\">View the page on the site</a>")
    if page.edit_url:
        w(f"<a href=\"{_e(page.edit_url)}\">Edit the page</a>")
    w("</p>\n")
    counts = ", ".join(
        _plural(n, SEVERITY_LABELS[s].lower()) for s in SEVERITIES if (n := page.count(s))
    )
    w(f"<details{opened}><summary>{_plural(len(page.problems), 'problem')}: {counts}</summary>\n")
    w("<ol class=\"problems\">\n")
    for problem in page.problems:
        _problem(w, problem)
    w("</ol>\n</details>\n</section>\n")


def _problem(w, p: Problem) -> None:
    d = p.diagnostic
    w(f"<li class=\"problem\" data-severity=\"{p.severity}\" data-family=\"{_e(p.family)}\" data-rule=\"{_e(d.rule)}\" "
      f"data-path=\"{_e(p.path)}\" data-line=\"{d.line}\" data-column=\"{d.column}\">")
    w(f"<p class=\"what\"><span class=\"sev sev-{p.severity}\">{SEVERITY_LABELS.get(p.severity, p.severity)}</span> "
      f"Line {d.line}, column {d.column} · <a href=\"#rule-{_e(d.rule)}\">{_e(d.code)} {_e(d.rule)}</a></p>")
    w(f"<p>{_e(visible(d.message))}</p>")
    if p.excerpt is not None:
        x = p.excerpt
        w(f"<pre aria-label=\"Line {x.line} of the source\"><code>{_e(x.before)}<mark>{_e(x.marked)}</mark>"
          f"{_e(x.after)}</code></pre>")
    if p.fix_words:
        w(f"<p class=\"fix\"><strong>How to fix:</strong> {_e(p.fix_words)}</p>")
    w("</li>\n")


# -- rule documentation -------------------------------------------------------------------------


def _rule_docs(w, report: Report) -> None:
    if not report.by_rule:
        return
    w("<h2 id=\"rules\">What the rules mean</h2>\n")
    for r in sorted(report.by_rule, key=lambda r: r.code):
        w(f"<section class=\"rule-doc\" id=\"rule-{_e(r.rule)}\">")
        w(f"<h3 id=\"rule-{_e(r.rule)}-title\">{_e(r.code)} {_e(r.rule)}</h3>")
        if r.summary:
            w(f"<p>{_e(r.summary)}.</p>" if not r.summary.endswith(".") else f"<p>{_e(r.summary)}</p>")
        for paragraph in r.why.split("\n\n"):
            text = " ".join(paragraph.split())
            if text:
                w(f"<p>{_e(text)}</p>")
        w("</section>\n")
