"""Where things live: the bundled resources, and the clerk's data folder (platformdirs; --db overrides).

Only this module builds paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "parclerk"


def resource_path(*parts: str) -> Path:
    """A file shipped with the app: in the source tree, or inside the PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base.joinpath("resources", *parts)


def user_data_dir() -> Path:
    """%APPDATA%\\parclerk on Windows, ~/.local/share/parclerk on Linux."""
    from platformdirs import user_data_dir as _user_data_dir

    return Path(_user_data_dir(APP_NAME, appauthor=False, roaming=True))


def default_db_path() -> Path:
    return user_data_dir() / "parclerk.sqlite"


def demo_db_path() -> Path:
    return user_data_dir() / "demo.sqlite"


def files_dir(db_path: Path) -> Path:
    """Original files of registered documents, named by content hash, beside the database."""
    return db_path.parent / "files"


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def log_dir() -> Path:
    return user_data_dir() / "logs"
