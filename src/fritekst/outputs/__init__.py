"""Outputs: what leaves fritekst: reports (HTML, Excel, terminal), charts and REFI-QDA exchange files.

May import: :mod:`fritekst.analysis` and every stage below it.
"""
