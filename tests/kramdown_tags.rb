# What kramdown (Jekyll's options, GFM input) makes of each page's HTML tags, for
# tests/test_kramdown_tags.py. Reads a JSON array of markdown documents on stdin; writes a
# JSON array with, for each, {"html": the page's HTML, "warnings": kramdown's warnings}
# (or {"error": message} when kramdown raises).
require "json"
require_relative "kramdown_options"

docs = JSON.parse($stdin.read)
result = docs.map do |text|
  begin
    doc = Kramdown::Document.new(text, OPTIONS)
    html = doc.to_html
    { "html" => html, "warnings" => doc.warnings }
  rescue StandardError => e
    { "error" => "#{e.class}: #{e.message}" }
  end
end
$stdout.write(JSON.generate(result))
