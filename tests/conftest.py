import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports PySide6

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from parclerk.data.db import open_and_migrate, open_db  # noqa: E402
from parclerk.ui.qt_fixes import guard_none_refcount  # noqa: E402

guard_none_refcount()  # pytest-qt makes its QApplication without make_app(): see parclerk/ui/qt_fixes.py

# No example database in the source tree (.hypothesis/): failing examples are printed instead. No deadline:
# a timing assert on a busy CI machine is a flaky test (house style §11).
settings.register_profile("parclerk", database=None, deadline=None)
settings.load_profile("parclerk")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated through every migration, once per test run (house style §11)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_and_migrate(path).close()  # closing checkpoints the WAL into the file
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the migrated template, in this test's own folder."""
    target = tmp_path / "parclerk.sqlite"
    shutil.copy(template_db, target)
    return target


@pytest.fixture
def db(db_path: Path):
    """A sqlite-utils Database (the services' connection) on a fresh copy of the migrated template."""
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def to_pdf(tmp_path: Path):
    """Convert a .docx/.xlsx with LibreOffice (its own profile and HOME, so parallel runs never share one)
    and return the PDF's path."""
    import subprocess

    def convert(source: Path) -> Path:
        out_dir = tmp_path / "pdf"
        profile = tmp_path / "lo-profile"
        subprocess.run(
            ["libreoffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
             "--outdir", str(out_dir), str(source)],
            capture_output=True, timeout=180, check=True, env={**os.environ, "HOME": str(tmp_path)},
        )  # fmt: skip
        pdf = out_dir / f"{Path(source).stem}.pdf"
        assert pdf.exists(), f"LibreOffice made no PDF of {source}"
        return pdf

    return convert
