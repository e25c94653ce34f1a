"""Rules: codebooks and the two kinds of rule a code carries.

Owns pattern syntax, keyword matching, the codebook schema and validation, classifier features,
the classifier estimator and its model files.
May import: :mod:`fritekst.language`, :mod:`fritekst.sources`, :mod:`fritekst.errors`.
"""
