"""The public side residents use. The report form and case lookup come with the intake issue."""
