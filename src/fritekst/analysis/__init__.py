"""Analysis: numbers from codings: frequencies, links to published tables, quotes, evaluation, agreement.

May import: :mod:`fritekst.coding` and every stage below it.
"""
