"""``python -m fritekst``: the command line, for where the ``fritekst`` script is not on the PATH
(a virtual environment not activated, a Windows installation without its Scripts folder).

Outermost of all: it only starts :func:`fritekst.cli.main`, under the name ``fritekst`` so that
usage lines and ``--version`` read as they do for the script.
"""

from __future__ import annotations

from fritekst.cli import main

if __name__ == "__main__":
    main(prog_name="fritekst")
