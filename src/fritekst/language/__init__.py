"""Language: the Norwegian layer (tokens, Bokmål and Nynorsk lemmas, negation, clauses).

May import: :mod:`fritekst.sources`, :mod:`fritekst.errors`.
"""
