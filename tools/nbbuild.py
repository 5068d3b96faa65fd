"""Write a lesson notebook from a list of (kind, source) cells: the notebooks' authoring helper.

Usage from a lesson script: ``write_notebook(path, [("md", "..."), ("code", "...")])``.
Cells are written without outputs, with the Python 3 kernelspec, so nbval and
nbstripout leave them unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def write_notebook(path: str | Path, cells: list[tuple[str, str]]) -> None:
    """Create or overwrite a notebook with these Markdown/code cells and no outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for kind, source in cells:
        source = source.strip("\n")
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i:02d}"
    nbformat.validate(nb)
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit("import write_notebook from this module")
