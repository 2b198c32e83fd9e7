"""UI fixtures: a demo database per test and a runner that runs work at once on the calling thread."""

import shutil
from pathlib import Path

import pytest

from parclerk.services.demo import build_demo


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    build_demo(path, generated=300, seed=7)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, target)
    shutil.copytree(demo_template.parent / "files", tmp_path / "files")
    return target


@pytest.fixture
def runner(qtbot, demo_path: Path):
    from parclerk.ui.runner import ImmediateExecutor, Runner

    r = Runner(demo_path, executor=ImmediateExecutor())
    yield r
    r.shutdown()


@pytest.fixture
def window(qtbot, demo_path: Path, runner):
    from parclerk.ui.app import make_app, open_window

    make_app()
    w = open_window(demo_path, runner)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture(autouse=True)
def bugs_fail_the_test(monkeypatch):
    """An unexpected error would open the modal error report and hang the run: raise it instead."""
    from parclerk.ui.dialogs import messages

    def raise_it(parent, exc):
        raise exc

    monkeypatch.setattr(messages, "bug_report", raise_it)


@pytest.fixture
def no_dialogs(monkeypatch):
    """Answers for the blocking message boxes, recorded so a test can check what the clerk was told."""
    from parclerk.ui.dialogs import messages

    said: dict[str, list] = {
        "info": [],
        "error": [],
        "ask": [],
        "ask_text": [],
        "completion": [],
        "opened": [],
    }
    # "completion": (date, reply number) to answer with; None answers with the date the dialog proposes.
    answers = {"ask": True, "ask_text": "Nhập nhầm", "completion": None}
    monkeypatch.setattr(messages, "info", lambda parent, title, text: said["info"].append(text))
    monkeypatch.setattr(messages, "error", lambda parent, title, text: said["error"].append(text))

    def ask(parent, title, text, **kwargs):
        said["ask"].append(text)
        return answers["ask"]

    def ask_text(parent, title, label, **kwargs):
        said["ask_text"].append(label)
        return answers["ask_text"]

    def ask_completion(parent, title, text, *, today, **kwargs):
        said["completion"].append(text)
        return answers["completion"] or (today, "")

    monkeypatch.setattr(messages, "ask_yes_no", ask)
    monkeypatch.setattr(messages, "ask_text", ask_text)
    monkeypatch.setattr(messages, "ask_completion", ask_completion)
    monkeypatch.setattr(messages, "open_path", lambda path: said["opened"].append(path))
    said["answers"] = answers  # type: ignore[assignment]
    return said
