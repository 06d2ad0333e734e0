# What a visitor sees of each page under Jekyll's kramdown (GFM input), for naislint's
# renderer oracle (tests/test_renderer_oracle.py).
# Reads a JSON array of markdown documents on stdin; writes a JSON array with, for each:
#   "text":  {line => visible text on that line}, for text kramdown read as markdown;
#   "raw":   [[line, tag, visible text], ...], one per outermost raw HTML element (text
#            printed as is; nested markdown="1" content and code/pre/script left out);
#   "error": the exception, when kramdown fails on the page.
# Code spans, code blocks and the content of <pre>, <code>, <script>, <style> (and the
# other elements kramdown keeps raw on purpose) are not visible text for this purpose.
require "json"
require "cgi"
require_relative "kramdown_options"
LITERAL = %w[pre code script style textarea kbd samp var math].freeze

def visible_char(el)
  case el.type
  when :entity then el.value.char
  when :smart_quote then Kramdown::Utils::Entities.entity(el.value.to_s).char
  when :typographic_sym
    { hellip: "…", mdash: "—", ndash: "–", laquo: "«", raquo: "»",
      laquo_space: "« ", raquo_space: " »" }[el.value] || ""
  end
end

def add(lines, line, value)
  return if line.nil?
  value.split("\n", -1).each_with_index do |part, k|
    (lines[line + k] ||= +"") << part
  end
end

# Walk markdown content: text goes to `lines`; outermost raw elements to `raw`.
def walk(el, lines, raw, line)
  line = el.options[:location] || line
  case el.type
  when :text
    add(lines, line, el.value)
  when :entity, :smart_quote, :typographic_sym
    add(lines, line, visible_char(el) || "")
  when :codespan, :codeblock, :xml_comment, :comment, :raw, :math
    return
  when :html_element
    return if LITERAL.include?(el.value)
    if el.options[:content_model] == :raw && el.options[:category] == :block
      buffer = []
      raw_text(el, buffer, lines, raw, line)
      raw << [line, el.value, buffer.join]
      return
    end
  end
  el.children.each { |c| walk(c, lines, raw, line) }
end

# Text of a raw element as the browser shows it; nested markdown elements are walked as
# markdown (their text is not the raw element's).
def raw_text(el, buffer, lines, raw, line)
  el.children.each do |c|
    case c.type
    when :text
      buffer << CGI.unescapeHTML(c.value)
    when :html_element
      next if LITERAL.include?(c.value)
      if c.options[:content_model] == :raw
        raw_text(c, buffer, lines, raw, c.options[:location] || line)
      else
        c.children.each { |g| walk(g, lines, raw, c.options[:location] || line) }
      end
    end
  end
end

docs = JSON.parse($stdin.read)
result = docs.map do |text|
  begin
    root = Kramdown::Document.new(text, OPTIONS).root
    lines = {}
    raw = []
    walk(root, lines, raw, 1)
    { "text" => lines, "raw" => raw }
  rescue StandardError => e
    { "error" => "#{e.class}: #{e.message}" }
  end
end
$stdout.write(JSON.generate(result))
