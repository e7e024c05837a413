"""Routing: who handles a complaint, and why.

The lead-unit table (``table.toml``: units, categories, household types,
keywords) is data an administrator can read and change, validated at start-up
(``table.py``). ``engine.py`` turns a complaint into a ``Decision`` with its
reasons, as plain Python with no Flask.
"""
