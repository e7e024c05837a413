"""The staff consoles: case lists and pages, the lead unit's board, reports, the hotline."""
