# Pages rendered to HTML as Jekyll's kramdown (GFM input) renders them, for naislint's fix
# property test. Reads a JSON array of markdown documents on stdin; writes a JSON array
# with, for each document, its HTML (or ["error", class, message] when kramdown raises).
require "json"
require_relative "kramdown_options"

docs = JSON.parse($stdin.read)
result = docs.map do |text|
  begin
    Kramdown::Document.new(text, OPTIONS).to_html
  rescue StandardError => e
    ["error", e.class.to_s, e.message]
  end
end
$stdout.write(JSON.generate(result))
