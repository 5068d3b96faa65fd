"""The model: what the lessons know and what students typed. No plotly, no widgets.

``schema`` (column types, the one ``DataError``), ``data`` (facts, events, places, sources, validated),
``content`` (the lesson files), ``calendar`` (Old Style / New Style arithmetic), ``journal`` (saved
answers), ``quality`` (citations by source kind).
"""
