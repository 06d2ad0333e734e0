# Heading ids as Jekyll's kramdown (GFM input) makes them, for naislint's differential test.
# Reads a JSON array of markdown documents on stdin; writes a JSON array with, for each
# document, the [line, id, raw_text] of every header kramdown finds, in order.
require "json"
require_relative "kramdown_options"

def headers(el, out)
  if el.type == :header
    out << [el.options[:location], el.attr["id"], el.options[:raw_text]]
  end
  el.children.each { |c| headers(c, out) }
  out
end

docs = JSON.parse($stdin.read)
result = docs.map do |text|
  begin
    headers(Kramdown::Document.new(text, OPTIONS).root, [])
  rescue StandardError => e
    [["error", e.class.to_s, e.message]]
  end
end
$stdout.write(JSON.generate(result))
