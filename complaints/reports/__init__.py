"""Reports: the quarterly clue-transfer report for the commission, the monthly progress
report, the problem ledger and the board's figures, in plain Python and SQL; files in ``files.py``."""
