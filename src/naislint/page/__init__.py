"""What a visitor sees of a page: which renderer the site uses and how it reads the page.

naislint parses every page with markdown-it-py (CommonMark). The site's renderer may not
agree: Jekyll renders with kramdown, which keeps an HTML block raw up to its matching end
tag. This package models the renderer so that rules can correct the CommonMark reading
where the two disagree (``renderer``: which renderer and options; ``regions``: the parts
of a page printed as raw HTML; ``emphasis``: the emphasis markers left as text;
``inline``: each paragraph's text as the emphasis parser sees it, with file offsets).
"""
