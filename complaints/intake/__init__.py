"""Intake: every way a complaint arrives.

The public web form (phone browsers), SMS and voice webhooks from Twilio, the
hotline operators' console and the Open311 API will live here, each a thin
layer that validates input and hands a ``NewComplaint`` to one operation.
"""
