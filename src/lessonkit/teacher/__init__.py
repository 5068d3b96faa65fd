"""Teacher tools: printable pages, the guide, handouts, portfolios, copying the lessons.

Plain HTML and files; never imports widgets/ or explorers/.
"""
