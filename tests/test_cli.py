"""The command line is a contract other checks drive: names, options, exit codes and JSON."""

import json
import re
import sqlite3
from pathlib import Path

import pytest

from parclerk.cli import EXIT_KNOWN, EXIT_OK, build_parser, main

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert main(["demo", "--db", str(path), "--directives", "200", "--seed", "3"]) == EXIT_OK
    return path


def test_demo_builds_samples_and_generated(demo_db, capsys):
    conn = sqlite3.connect(demo_db)
    count = conn.execute("SELECT count(*) FROM directives").fetchone()[0]
    numbers = {row[0] for row in conn.execute("SELECT number FROM directives")}
    files = conn.execute("SELECT count(*) FROM attachments").fetchone()[0]
    conn.close()
    assert count == 203
    assert {"107/UBND-NC", "294/UBND", "526/VP-HCTC"} <= numbers
    assert files == 3


def test_demo_refuses_to_overwrite(demo_db, capsys):
    assert main(["demo", "--db", str(demo_db)]) == EXIT_KNOWN
    assert "đã có" in capsys.readouterr().err


def test_search_json(demo_db, capsys):
    assert main(["search", "--db", str(demo_db), "--json", "dang van minh"]) == EXIT_OK
    found = json.loads(capsys.readouterr().out)
    assert any(item["number"] == "294/UBND" for item in found)
    assert {"so_den", "ngay_den", "issuer", "number", "subject", "cancelled"} <= set(found[0])


def test_search_text_and_hostile_queries(demo_db, capsys):
    assert main(["search", "--db", str(demo_db), "107/UBND-NC"]) == EXIT_OK
    assert "107/UBND-NC" in capsys.readouterr().out
    for query in ['"', "NOT", "*", "AND OR", "qd-ubnd)"]:
        assert main(["search", "--db", str(demo_db), query]) == EXIT_OK
    capsys.readouterr()
    assert main(["search", "--db", str(demo_db), "khongcochudaynao"]) == EXIT_OK
    assert "Không tìm thấy" in capsys.readouterr().out


def test_missing_database_is_a_known_error(tmp_path, capsys):
    assert main(["search", "--db", str(tmp_path / "none.sqlite"), "x"]) == EXIT_KNOWN
    assert "Không tìm thấy tệp cơ sở dữ liệu" in capsys.readouterr().err


def test_not_a_database(tmp_path, capsys):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    assert main(["info", "--db", str(bogus)]) == EXIT_KNOWN
    assert "không phải là cơ sở dữ liệu" in capsys.readouterr().err
    assert bogus.read_bytes() == b"this is not sqlite at all" * 100


def test_export_register(demo_db, tmp_path, capsys):
    out = tmp_path / "so.xlsx"
    assert main(["export", "register", "--db", str(demo_db), "--year", "2021", "--out", str(out)]) == EXIT_OK
    assert out.exists() and "Đã xuất" in capsys.readouterr().out


def test_screenshot(demo_db, tmp_path, capsys):
    out = tmp_path / "shot.png"
    assert (
        main(
            [
                "screenshot",
                "--db",
                str(demo_db),
                "--view",
                "register",
                "--out",
                str(out),
                "--size",
                "1024x640",
            ]
        )
        == 0
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_size_is_usage_error(demo_db, tmp_path):
    assert main(["screenshot", "--db", str(demo_db), "--out", str(tmp_path / "x.png"), "--size", "big"]) == 2


def test_every_subcommand_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert re.search(rf"parclerk {name}\b", readme), f"README does not mention `parclerk {name}`"


SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "demo" / "samples"
PDF = Path(__file__).resolve().parent / "data" / "cv-107.pdf"


def test_parse_json_contract(capsys):
    assert main(["parse", str(SAMPLES / "cv-526-VP-HCTC-quang-tri-2022.txt"), "--json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["number"] == "526/VP-HCTC" and data["issued_date"] == "2022-10-14"
    assert len(data["tasks"]) == 12
    assert data["tasks"][11]["recurrence"] == "quarterly"


def test_parse_a_pdf_and_pasted_text(capsys, monkeypatch):
    import io

    assert main(["parse", str(PDF), "--json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["number"] == "107/UBND-NC" and [t["ref"] for t in data["tasks"]] == [
        "1.a",
        "1.b",
        "1.c",
        "1.d",
        "2",
    ]
    text = (SAMPLES / "cv-107-UBND-NC-quang-ngai-2021.txt").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["parse", "-"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "107/UBND-NC" in out and "Cảnh báo" in out


def test_parse_a_scan_is_a_known_error(capsys):
    assert main(["parse", str(PDF.parent / "scan.pdf")]) == EXIT_KNOWN
    assert "bản quét" in capsys.readouterr().err


def test_import_directive_registers_it_with_its_tasks(tmp_path, capsys):
    db_path = tmp_path / "p.sqlite"
    assert main(["demo", "--db", str(db_path), "--directives", "0"]) == EXIT_OK
    sample = SAMPLES / "cv-294-UBND-son-tay-2021-with-tb-89.txt"
    # The demo already holds 294/UBND: refused unless the clerk insists.
    assert (
        main(["import-directive", "--db", str(db_path), str(sample), "--received", "02/04/2021"])
        == EXIT_KNOWN
    )
    assert "đã có trong sổ" in capsys.readouterr().err
    assert main(["import-directive", "--db", str(db_path), str(sample), "--received", "02/04/2021",
                 "--allow-duplicate"]) == EXIT_OK  # fmt: skip
    assert "Đã tạo 2 nhiệm vụ" in capsys.readouterr().out
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT ref, lead_unit, recurrence FROM tasks WHERE directive_id = (SELECT max(id) FROM directives) ORDER BY id"
    ).fetchall()
    conn.close()
    assert rows == [("1", "Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các xã", "quarterly"),
                    ("2", "Cơ quan Tổ chức – Nội vụ", None)]  # fmt: skip


def test_assessment_export_and_lost_points(demo_db, tmp_path, capsys):
    import datetime as dt

    from openpyxl import load_workbook

    year = dt.date.today().year - 1
    out = tmp_path / "tu-danh-gia.xlsx"
    assert (
        main(["assessment", "export", "--db", str(demo_db), "--year", str(year), "--out", str(out)])
        == EXIT_OK
    )
    assert f"năm {year}" in capsys.readouterr().out
    titles = [row[0] for row in load_workbook(out).active.iter_rows(max_row=3, values_only=True)]
    assert titles[1] == f"BẢNG TỰ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"
    assert main(["assessment", "lost", "--db", str(demo_db), "--year", str(year + 1)]) == EXIT_OK
    assert "điểm có nguy cơ mất" in capsys.readouterr().out
    assert (
        main(["assessment", "export", "--db", str(demo_db), "--year", "1999", "--out", str(out)])
        == EXIT_KNOWN
    )
    assert "Chưa có bản tự đánh giá nào của năm 1999" in capsys.readouterr().err


def test_reports_from_the_command_line(demo_db, tmp_path, capsys):
    import datetime as dt

    from docx import Document

    year = dt.date.today().year
    out = tmp_path / "q1.docx"
    assert (
        main(["report", "periodic", "--db", str(demo_db), "--period", f"{year}-Q1", "--out", str(out)])
        == EXIT_OK
    )
    assert "bản dự thảo" in capsys.readouterr().out
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert f"Kết quả thực hiện công tác cải cách hành chính quý I năm {year}" in text
    args = [
        "report",
        "assessment",
        "--db",
        str(demo_db),
        "--year",
        str(year - 1),
        "--out",
        str(tmp_path / "a.docx"),
    ]
    assert main([*args, "--issue", "--date", f"15/12/{year - 1}"]) == EXIT_OK
    assert "số 01/BC-UBND" in capsys.readouterr().out
    assert main(["outgoing", "--db", str(demo_db), "--year", str(year - 1)]) == EXIT_OK
    assert "01/BC-UBND" in capsys.readouterr().out
    bad = ["report", "periodic", "--db", str(demo_db), "--period", f"{year}-Q2", "--out", str(out)]
    assert main(bad) == EXIT_KNOWN
    assert "không hợp lệ" in capsys.readouterr().err


def test_the_directive_report_answers_107(demo_db, tmp_path, capsys):
    from docx import Document

    out = tmp_path / "tra-loi-107.docx"
    args = ["report", "directive", "--db", str(demo_db), "--number", "107/ubnd-nc", "--out", str(out)]
    assert main(args) == EXIT_OK
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "107/UBND-NC" in text
    missing = ["report", "directive", "--db", str(demo_db), "--number", "999/XX", "--out", str(out)]
    assert main(missing) == EXIT_KNOWN and "999/XX" in capsys.readouterr().err


def test_history_of_a_directive_a_criterion_and_the_log(demo_db, tmp_path, capsys):
    import shutil

    path = tmp_path / "h.sqlite"
    shutil.copy(demo_db, path)
    from parclerk.data.db import open_db
    from parclerk.services import directives

    db = open_db(path)
    directive_id = db.execute("SELECT id FROM directives WHERE number = '107/UBND-NC'").fetchone()[0]
    label = directives.get_directive(db, directive_id).so_den_label
    directives.cancel_directive(db, directive_id, "Đăng ký trùng")
    db.close()
    capsys.readouterr()
    assert main(["history", "--db", str(path), "--directive", label]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("Văn bản: Sửa Lý do hủy: (trống) → Đăng ký trùng")
    assert lines[1].endswith("Văn bản: Hủy: Còn hiệu lực → Đã hủy")
    assert re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d  ", lines[0])
    assert main(["history", "--db", str(path), "--kind", "directive", "--limit", "1", "--json"]) == EXIT_OK
    [change] = json.loads(capsys.readouterr().out)
    assert (change["field"], change["new"], change["kind"]) == ("Lý do hủy", "Đăng ký trùng", "update")
    assert main(["history", "--db", str(path), "--criterion", "1.1"]) == EXIT_KNOWN
    assert "--year" in capsys.readouterr().err
    assert main(["history", "--db", str(path), "--directive", "99999/2021"]) == EXIT_KNOWN
    assert "không có số đến 99999" in capsys.readouterr().err


def test_history_kinds_written_out_in_the_cli_match_the_service():
    from parclerk import cli
    from parclerk.services.history import KINDS

    assert set(cli.HISTORY_KINDS) == {k for k in KINDS if k}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, False)),
        (["gui"], (None, False)),
        (["--demo"], (None, True)),
        (["gui", "--db", "x.sqlite", "--demo"], (Path("x.sqlite"), True)),
        (["--db=x.sqlite"], (Path("x.sqlite"), False)),
        (["--db"], None),
        (["--demo", "--demo"], None),
        (["search", "x"], None),
        (["--help"], None),
        (["--db", "--demo"], None),
    ],
)
def test_the_gui_command_line_skips_the_full_parser(argv, expected):
    from parclerk.cli import _gui_only

    assert _gui_only(argv) == expected
