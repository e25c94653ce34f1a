"""The workbench: ``fritekst serve``, a local web application over a project (docs/workbench.md).

Owns the Starlette application (started by :mod:`fritekst.cli.serve`) and its JSON API, the page (template, script,
styles), the workspace that turns requests into library calls, and the views that read it: the coding
grid, the overview with quotes and progress, and the re-code/retrain/suggest loop.
May import: :mod:`fritekst.outputs` and every stage below it (:mod:`fritekst.analysis`,
:mod:`fritekst.coding`, :mod:`fritekst.rules`, :mod:`fritekst.language`, :mod:`fritekst.sources`,
:mod:`fritekst.errors`), never :mod:`fritekst.cli`.
"""
