"""Reports as files: XLSX workbooks (``xlsx``) and the quarterly report as an A4 PDF (``pdf``);
``common`` holds what both print."""
