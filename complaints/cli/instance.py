"""``python -m complaints.cli.instance``: generate the embedded default's keys into instance/."""

from __future__ import annotations

from complaints.core.config import init_instance, load_instance_path

if __name__ == "__main__":
    for path in init_instance(load_instance_path()):
        print(f"generated {path} (mode 600)")
