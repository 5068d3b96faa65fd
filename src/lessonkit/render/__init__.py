"""Render: plotly figures and HTML built from the model, each with its text alternative. No widgets.

``theme`` (colours, sizes, wrapping), ``alt`` (text alternatives), ``figures`` (estimates bars),
``timeline``, the offline maps (``geo`` shared base, ``maplabels``, ``countries``, ``worldmaps``, ``citymap``),
``datecheck``, ``weighing`` (what the article leaves out, the historians).
"""
