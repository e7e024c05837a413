"""Reports: the quarterly clue-transfer report for the commission (and later the monthly
progress report and the problem ledger). Figures in plain Python and SQL; files in `files.py`."""
