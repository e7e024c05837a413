"""The public side residents use: the report form, the receipt and the status page."""
