"""``fritekst serve``: a local coding workbench in the browser (see docs/workbench.md)."""
