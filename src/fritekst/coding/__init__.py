"""Coding: applying rules to a corpus, and the codings frame every later stage reads.

Owns the codings frame and its files (refs.csv, matrix.csv, hand-coding files), the coder, streaming
coding of large files, hand codings, review sheets and suggestions.
May import: :mod:`fritekst.rules`, :mod:`fritekst.language`, :mod:`fritekst.sources`,
:mod:`fritekst.errors`.
"""
