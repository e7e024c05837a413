"""Intake: what each channel means, without Flask.

``filing.py`` is the one way a complaint is filed (routed, numbered, logged, receipt queued);
``sms.py``, ``calls.py`` and ``open311.py`` turn a channel's input into a filing; ``photos.py``
checks and re-encodes pictures; ``captcha.py`` keeps the public form's challenges.
"""
