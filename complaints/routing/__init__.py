"""Routing: who handles a complaint, and why.

The lead-unit table (``units.toml`` now; the categories and rules come with the
routing issue) is data an administrator can read and change, validated at
start-up. The engine that turns a complaint into a decision will live here,
as plain Python with no Flask.
"""
