"""Sources: everything read from disk before any language work.

Owns the corpus (answers and respondent attributes), the project file, table I/O (decoding,
separator sniffing, BOM CSV writing, formula-safe cells, atomic writes) and line-aware YAML.
May import: :mod:`fritekst.errors` and third-party libraries only.
"""
