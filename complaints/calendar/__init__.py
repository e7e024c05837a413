"""Working days (the official holiday calendar) and the deadlines counted on them."""
