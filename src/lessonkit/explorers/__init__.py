"""Explorers: one lesson's centrepiece each, built from render/ and widgets/.

The only modules that may know a lesson's own ids.
"""
