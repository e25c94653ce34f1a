"""fritekst: qualitative coding of free-text survey answers.

Load answers into a corpus, code them against YAML codebooks with Norwegian-aware keyword rules and
scikit-learn classifier rules, summarise theme frequencies linked back to the numeric tables, and
export NVivo-like coding references.
"""

from __future__ import annotations

from ._version import __version__

__all__ = ["__version__"]
