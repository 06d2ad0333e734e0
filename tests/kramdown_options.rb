# The kramdown options Jekyll uses for a site that sets no `kramdown:` options (GFM input),
# shared by the test drivers that render pages as the Isomer sites are rendered.
require "kramdown"
require "kramdown-parser-gfm"

OPTIONS = {
  input: "GFM", auto_ids: true, hard_wrap: false, footnote_nr: 1,
  entity_output: "as_char", smart_quotes: "lsquo,rsquo,ldquo,rdquo",
  toc_levels: (1..6).to_a, show_warnings: false, syntax_highlighter: nil,
}.freeze
