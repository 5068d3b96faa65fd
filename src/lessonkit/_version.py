"""The lessonkit version, written here and nowhere else.

pyproject.toml reads it at build time (hatch's dynamic version), so a wheel, a JupyterLite/Pyodide install
and an editable checkout all carry this file and agree; ``lessonkit.__version__``, ``lessonkit --version``
and every lesson header show it. A release changes this line, CHANGELOG.md and CITATION.cff
(tests/test_release.py checks that they agree).
"""

__version__ = "0.2.0"
