"""The staff consoles. For now: a dashboard per role and a case page."""
