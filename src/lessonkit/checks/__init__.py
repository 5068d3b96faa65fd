"""Authoring checks run by ``lessonkit check`` and the tests: the lesson template, numbers in prose.

Reads the model and the notebooks' text; never imports plotly or widgets.
"""
