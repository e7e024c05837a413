"""Tracking: a case's lifecycle, deadlines and supervision.

``status.py`` holds the states. The state machine (one function that changes
state and appends a ``CaseEvent``), the working-day clock and escalation will
live here as plain Python with no Flask.
"""
