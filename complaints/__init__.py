"""Yunxiao County's housing-safety complaint and whistleblowing service.

The packages read in dependency order, each importing only those before it:
``core`` (clock, vocabulary, messages, configuration, identity sealing), ``db`` (models and
migrations), ``routing`` (the lead-unit table and engine), ``calendar`` (working days and
deadlines), ``outbox`` (messages to people), ``cases`` (rules, permissions, operations, the
case log), ``intake`` (what each channel means), ``reports``; then ``components`` (the
configured parts), ``web`` (the Flask boundary), ``cli``, and ``app`` (``create_app``).
See docs/architecture.md.
"""
