"""Widgets: the one interactive-figure path (``figureview``) and the controls every lesson shares.

Quiz, discussion prompts, claim verdicts, the calendar converter, *Download my work*, choice tables.
"""
