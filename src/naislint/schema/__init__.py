"""Front matter JSON Schemas: which schema a page gets, and validating against it.

``frontmatter`` chooses and validates; ``fast`` compiles the common subset of JSON Schema
that naislint's own schemas use into plain checks, behind one fence that falls back to
jsonschema for anything else.
"""
