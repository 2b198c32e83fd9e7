"""Command line: `parclerk` with no subcommand starts the GUI; subcommands run the headless services.

Qt is imported only for the GUI and `screenshot`, so `parclerk search` never loads it. Exit codes:
0 done, 1 a known problem (explained in Vietnamese on stderr), 2 wrong usage, 3 an unexpected error.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from parclerk import __version__
from parclerk.errors import BugError, ParclerkError, from_sqlite

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_KNOWN, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
# The keys of parclerk.services.history.KINDS (but ""), written out: importing that module to build the parser
# would cost every start, the GUI's too, 8 ms. A test checks that the two agree.
HISTORY_KINDS = ("directive", "task", "score", "setting", "outgoing")
VIEWS = ("dashboard", "register", "tasks", "assessment", "reports", "collection")


def _db_arg(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--db", type=Path, required=required, metavar="PATH", help="tệp cơ sở dữ liệu (.sqlite)"
    )


def build_parser() -> argparse.ArgumentParser:
    import argparse  # not at import: the GUI's start-up never builds the parser

    parser = argparse.ArgumentParser(
        prog="parclerk",
        description="parclerk: sổ văn bản đến, theo dõi nhiệm vụ và Chỉ số CCHC. Không có lệnh con: mở giao diện.",
    )
    parser.add_argument("--version", action="version", version=f"parclerk {__version__}")
    _db_arg(parser, required=False)
    parser.add_argument("--demo", action="store_true", help="mở cơ sở dữ liệu mẫu (tạo mới nếu chưa có)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    gui = sub.add_parser("gui", help="mở giao diện (như khi không có lệnh con)")
    gui.set_defaults(handler=_gui)
    _db_arg(gui, required=False)
    gui.add_argument("--demo", action="store_true", help="mở cơ sở dữ liệu mẫu (tạo mới nếu chưa có)")

    demo = sub.add_parser("demo", help="tạo cơ sở dữ liệu mẫu từ các văn bản thật và văn bản sinh ngẫu nhiên")
    demo.set_defaults(handler=_demo)
    _db_arg(demo)
    demo.add_argument(
        "--directives", type=int, default=300, metavar="N", help="số văn bản sinh thêm (mặc định 300)"
    )
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="hạt giống ngẫu nhiên (mặc định 1)")
    demo.add_argument(
        "--unit",
        default="",
        metavar="NAME",
        help="tạo cơ sở dữ liệu của một đơn vị (ví dụ “Xã Ba Tơ”) với bản tự đánh giá năm nay của riêng đơn vị",
    )

    search = sub.add_parser("search", help="tìm văn bản đến (không phân biệt dấu, đ/d)")
    search.set_defaults(handler=_search)
    _db_arg(search)
    search.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    search.add_argument("--year", type=int, metavar="YYYY", help="chỉ năm đến này")
    search.add_argument("--limit", type=int, default=50, metavar="N", help="số kết quả tối đa (mặc định 50)")
    search.add_argument("query", nargs="+", metavar="QUERY")

    export = sub.add_parser("export", help="xuất dữ liệu ra tệp")
    export_sub = export.add_subparsers(dest="what", metavar="LOẠI", required=True)
    register = export_sub.add_parser("register", help="Sổ đăng ký văn bản đến của một năm (.xlsx)")
    register.set_defaults(handler=_export_register)
    _db_arg(register)
    register.add_argument("--year", type=int, required=True, metavar="YYYY")
    register.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    template = export_sub.add_parser("criteria-template", help="tệp Excel mẫu để nhập bộ chỉ số CCHC")
    template.set_defaults(handler=_criteria_template)
    template.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    handling = export_sub.add_parser(
        "handling-log", help="Sổ theo dõi giải quyết văn bản đến của một năm (.xlsx)"
    )
    handling.set_defaults(handler=_export_handling_log)
    _db_arg(handling)
    handling.add_argument("--year", type=int, required=True, metavar="YYYY")
    handling.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")

    shot = sub.add_parser("screenshot", help="chụp một màn hình chính ra tệp PNG (không cần màn hình thật)")
    shot.set_defaults(handler=_screenshot)
    _db_arg(shot)
    shot.add_argument("--view", choices=VIEWS, default="register")
    shot.add_argument("--out", type=Path, required=True, metavar="FILE.png")
    shot.add_argument("--size", default="1366x768", metavar="WxH")

    checklist = sub.add_parser(
        "checklist",
        help="in danh sách kiểm tra nhiệm vụ ra PDF (A4 ngang); mặc định: mọi nhiệm vụ chưa hoàn thành",
    )
    checklist.set_defaults(handler=_checklist)
    _db_arg(checklist)
    checklist.add_argument("--unit", metavar="NAME", help="chỉ nhiệm vụ do đơn vị này chủ trì")
    checklist.add_argument(
        "--from", dest="date_from", metavar="DD/MM/YYYY", help="hạn từ ngày (có kỳ: cả nhiệm vụ đã xong)"
    )
    checklist.add_argument("--to", dest="date_to", metavar="DD/MM/YYYY", help="hạn đến ngày")
    checklist.add_argument("--person", metavar="NAME", help="chỉ nhiệm vụ người này theo dõi")
    checklist.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")

    parse = sub.add_parser(
        "parse",
        help="đọc một văn bản (.txt, .docx, .pdf; - là dán từ bàn phím) và in các thông tin, nhiệm vụ",
    )
    parse.set_defaults(handler=_parse)
    parse.add_argument("file", metavar="FILE")
    parse.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    intake = sub.add_parser(
        "import-directive", help="đọc một văn bản và vào sổ văn bản đến cùng các nhiệm vụ của nó"
    )
    intake.set_defaults(handler=_import_directive)
    _db_arg(intake)
    intake.add_argument("file", type=Path, metavar="FILE")
    intake.add_argument("--received", metavar="DD/MM/YYYY", help="ngày đến (mặc định hôm nay)")
    intake.add_argument(
        "--allow-duplicate", action="store_true", help="vẫn vào sổ khi có thể trùng văn bản đã đăng ký"
    )

    tasks = sub.add_parser("tasks", help="liệt kê nhiệm vụ chưa hoàn thành: đến hạn, quá hạn")
    tasks.set_defaults(handler=_tasks)
    _db_arg(tasks)
    tasks.add_argument(
        "--due-within", type=int, metavar="DAYS", help="chỉ nhiệm vụ đến hạn trong số ngày này"
    )
    tasks.add_argument("--overdue", action="store_true", help="chỉ nhiệm vụ quá hạn")
    tasks.add_argument("--all", action="store_true", help="cả nhiệm vụ không liên quan đơn vị mình")
    tasks.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    criteria_import = sub.add_parser(
        "import-criteria", help="nhập bộ chỉ số CCHC từ tệp Excel (xem trước với --dry-run)"
    )
    criteria_import.set_defaults(handler=_import_criteria)
    _db_arg(criteria_import)
    criteria_import.add_argument("file", type=Path, metavar="FILE.xlsx")
    criteria_import.add_argument(
        "--dry-run", action="store_true", help="chỉ kiểm tra và liệt kê lỗi, không nhập"
    )
    criteria_import.add_argument("--year", type=int, metavar="YYYY", help="năm áp dụng (nếu tệp không ghi)")
    criteria_import.add_argument(
        "--level", choices=("xa", "so", "huyen"), help="cấp áp dụng (nếu tệp không ghi)"
    )

    assess = sub.add_parser("assessment", help="bản tự đánh giá Chỉ số CCHC")
    assess_sub = assess.add_subparsers(dest="what", metavar="VIỆC", required=True)
    assess_export = assess_sub.add_parser("export", help="xuất bảng tự đánh giá của một năm ra Excel (.xlsx)")
    _db_arg(assess_export)
    assess_export.add_argument("--year", type=int, required=True, metavar="YYYY")
    assess_export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    assess_export.set_defaults(handler=_export_assessment)
    assess_lost = assess_sub.add_parser(
        "lost", help="liệt kê các mục bị mất điểm, thiếu minh chứng, thiếu giải trình"
    )
    _db_arg(assess_lost)
    assess_lost.add_argument("--year", type=int, required=True, metavar="YYYY")
    assess_lost.add_argument("--by", choices=("field", "department"), default="field")
    assess_lost.set_defaults(handler=_lost_points)

    report = sub.add_parser("report", help="lập báo cáo Word theo Nghị định 30/2020/NĐ-CP")
    report_sub = report.add_subparsers(dest="what", metavar="LOẠI", required=True)
    periodic = report_sub.add_parser("periodic", help="báo cáo CCHC định kỳ: quý I, 6 tháng, quý III, năm")
    periodic.add_argument(
        "--period", required=True, metavar="2021-Q1|2021-H1|2021-Q3|2021", help="kỳ báo cáo"
    )
    by_year = report_sub.add_parser(
        "assessment", help="báo cáo tự đánh giá, xác định Chỉ số CCHC của một năm"
    )
    by_year.add_argument("--year", type=int, required=True, metavar="YYYY")
    by_directive = report_sub.add_parser(
        "directive", help="báo cáo kết quả thực hiện các nhiệm vụ của một văn bản đến"
    )
    by_directive.add_argument("--number", required=True, metavar="SỐ/KÝ HIỆU", help="ví dụ 107/UBND-NC")
    by_unit = report_sub.add_parser("units", help="báo cáo kết quả thực hiện nhiệm vụ của một kỳ theo đơn vị")
    by_unit.add_argument("--period", required=True, metavar="2021-Q1|2021-H1|2021-Q3|2021")
    for kind in (periodic, by_year, by_directive, by_unit):
        _db_arg(kind)
        kind.add_argument("--out", type=Path, required=True, metavar="FILE.docx")
        kind.add_argument(
            "--issue",
            action="store_true",
            help="cấp số văn bản đi tiếp theo của năm (mặc định: bản dự thảo, chưa số)",
        )
        kind.add_argument("--date", metavar="DD/MM/YYYY", help="ngày ban hành (mặc định hôm nay)")
        kind.set_defaults(handler=_report)
    submission = sub.add_parser("submission", help="bài nộp Chỉ số CCHC: đơn vị xuất, cơ quan tổng hợp nhập")
    submission_sub = submission.add_subparsers(dest="what", metavar="VIỆC", required=True)
    sub_export = submission_sub.add_parser(
        "export", help="xuất bản tự đánh giá của một năm thành một tệp bài nộp"
    )
    _db_arg(sub_export)
    sub_export.add_argument("--year", type=int, required=True, metavar="YYYY")
    sub_export.add_argument("--out", type=Path, required=True, metavar="FILE", help="tệp bài nộp (.zip)")
    sub_export.add_argument("--with-files", action="store_true", help="kèm các tệp tài liệu kiểm chứng")
    sub_export.set_defaults(handler=_submission_export)
    sub_import = submission_sub.add_parser(
        "import",
        help="nhập các tệp bài nộp (thoát với mã 1 nếu có tệp không nhập được; các tệp tốt vẫn được nhập)",
    )
    _db_arg(sub_import)
    sub_import.add_argument("--dry-run", action="store_true", help="chỉ xem trước: kiểm tra, không lưu gì")
    sub_import.add_argument("--year", type=int, metavar="YYYY", help="chỉ nhận bài nộp của năm này")
    sub_import.add_argument("files", nargs="+", type=Path, metavar="FILES")
    sub_import.set_defaults(handler=_submission_import)
    sub_list = submission_sub.add_parser("list", help="danh sách đơn vị của một năm và bài nộp đã nhập")
    _db_arg(sub_list)
    sub_list.add_argument("--year", type=int, required=True, metavar="YYYY")
    sub_list.set_defaults(handler=_submission_list)
    sub_units = submission_sub.add_parser("units", help="thêm các đơn vị phải nộp bài của một năm")
    _db_arg(sub_units)
    sub_units.add_argument("--year", type=int, required=True, metavar="YYYY")
    sub_units.add_argument("names", nargs="+", metavar="NAME")
    sub_units.set_defaults(handler=_submission_units)

    ranking = sub.add_parser(
        "ranking", help="tổng hợp, xếp hạng Chỉ số CCHC các đơn vị: bảng Excel hoặc báo cáo Word"
    )
    _db_arg(ranking)
    ranking.add_argument("--year", type=int, required=True, metavar="YYYY")
    ranking.add_argument("--out", type=Path, required=True, metavar="FILE", help="tệp .xlsx hoặc .docx")
    ranking.add_argument("--date", metavar="DD/MM/YYYY", help="ngày của báo cáo (mặc định hôm nay)")
    ranking.add_argument("--issue", action="store_true", help="cấp số trong Sổ văn bản đi (báo cáo Word)")
    ranking.set_defaults(handler=_ranking)

    outgoing = sub.add_parser("outgoing", help="liệt kê Sổ văn bản đi của một năm")
    _db_arg(outgoing)
    outgoing.add_argument("--year", type=int, required=True, metavar="YYYY")
    outgoing.set_defaults(handler=_outgoing)

    info = sub.add_parser("info", help="thông tin về cơ sở dữ liệu")
    info.set_defaults(handler=_info)
    _db_arg(info)

    backup = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (vào thư mục backups hoặc ra một tệp)")
    backup.set_defaults(handler=_backup)
    _db_arg(backup)
    backup.add_argument("--out", type=Path, metavar="FILE", help="tệp hoặc thư mục đích (ví dụ trên USB)")
    backup.add_argument(
        "--with-files",
        action="store_true",
        help="một tệp .zip kèm các tệp gốc (văn bản, tài liệu kiểm chứng)",
    )
    restore = sub.add_parser(
        "restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu (trạng thái hiện tại được sao lưu trước)"
    )
    restore.set_defaults(handler=_restore)
    _db_arg(restore)
    restore.add_argument("file", type=Path, metavar="FILE", help="bản sao lưu (.sqlite hoặc .zip)")
    history = sub.add_parser(
        "history", help="lịch sử thay đổi: của một văn bản, nhiệm vụ, tiêu chí, hoặc mọi thay đổi gần đây"
    )
    history.set_defaults(handler=_history)
    _db_arg(history)
    which = history.add_mutually_exclusive_group()
    which.add_argument("--directive", metavar="SỐ/NĂM", help="văn bản đến theo số đến, ví dụ 12/2025")
    which.add_argument("--task", type=int, metavar="ID", help="nhiệm vụ theo mã số (cột ID)")
    which.add_argument("--criterion", metavar="MÃ", help="một tiêu chí của bản tự đánh giá năm --year")
    which.add_argument("--kind", choices=HISTORY_KINDS, help="chỉ một loại bản ghi")
    history.add_argument("--year", type=int, metavar="YYYY", help="năm của bản tự đánh giá (với --criterion)")
    history.add_argument(
        "--limit", type=int, default=200, metavar="N", help="số thay đổi mới nhất (mặc định 200)"
    )
    history.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    backups = sub.add_parser("backups", help="liệt kê các bản sao lưu của cơ sở dữ liệu")
    backups.set_defaults(handler=_backups)
    _db_arg(backups)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    gui_args = _gui_only(sys.argv[1:] if argv is None else argv)
    if gui_args is not None:  # the GUI (the shortcut's command line): no need to build every subcommand
        return _dispatch(SimpleNamespace(db=gui_args[0], demo=gui_args[1]))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return _dispatch(args)
    except ParclerkError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return EXIT_KNOWN
    except sqlite3.Error as exc:
        mapped = from_sqlite(exc)
        if isinstance(mapped, ParclerkError):
            print(f"Lỗi: {mapped.message}", file=sys.stderr)
            return EXIT_KNOWN
        raise BugError(str(mapped)) from exc
    except KeyboardInterrupt:
        return 130


def _gui_only(argv: list[str]) -> tuple[Path | None, bool] | None:
    """(db, demo) when the command line only opens the GUI (`[gui] [--db PATH] [--demo]`), else None: building
    the full parser takes 6 ms of the GUI's start-up."""
    rest = list(argv[1:] if argv[:1] == ["gui"] else argv)
    db, demo = None, False
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" and not demo:
            demo = True
        elif arg == "--db" and db is None and rest and not rest[0].startswith("-"):
            db = Path(rest.pop(0))
        elif arg.startswith("--db=") and db is None and len(arg) > 5:
            db = Path(arg[5:])
        else:
            return None  # anything else (a subcommand, --help, a mistake): the full parser decides
    return db, demo


def _dispatch(args: argparse.Namespace) -> int:
    handler = getattr(args, "handler", _gui)  # no subcommand: the GUI
    return handler(args)


def _gui(args: argparse.Namespace) -> int:
    from parclerk import paths

    db_path = args.db
    if args.demo and db_path is None:
        db_path = paths.demo_db_path()
    db_path = Path(db_path or paths.default_db_path())
    if args.demo and not db_path.exists():
        from parclerk.services.demo import build_demo

        print(f"Đang tạo cơ sở dữ liệu mẫu tại {db_path} …", file=sys.stderr)
        build_demo(db_path, generated=2000)
    from parclerk.ui.app import run_gui

    return run_gui(db_path)


def _demo(args: argparse.Namespace) -> int:
    from parclerk.services.demo import build_demo

    if args.directives < 0:
        raise ParclerkError("Số văn bản sinh thêm phải là số không âm.")
    count = build_demo(args.db, generated=args.directives, seed=args.seed, unit=args.unit)
    whose = f" của “{args.unit}”" if args.unit else ""
    print(f"Đã tạo cơ sở dữ liệu mẫu{whose} {args.db} với {count} văn bản đến.")
    return EXIT_OK


def _open(path: Path):
    from parclerk.data import db as dbmod

    if not Path(path).exists():
        raise ParclerkError(f"Không tìm thấy tệp cơ sở dữ liệu “{path}”.")
    return dbmod.open_and_migrate(path)


def _search(args: argparse.Namespace) -> int:
    from parclerk import dates
    from parclerk.queries import DirectiveQuery
    from parclerk.services.directives import search_directives

    db = _open(args.db)
    try:
        query = DirectiveQuery(text=" ".join(args.query), year=args.year)
        found = search_directives(db, query, limit=args.limit)
    finally:
        db.close()
    if args.json:
        import json

        items = [
            {
                "id": d.id,
                "so_den": d.so_den,
                "so_den_year": d.so_den_year,
                "ngay_den": dates.to_iso(d.ngay_den),
                "issuer": d.issuer,
                "number": d.number or None,
                "issued_date": dates.to_iso(d.issued_date),
                "doc_type": d.doc_type,
                "subject": d.subject,
                "signer": d.signer,
                "deadline": dates.to_iso(d.deadline),
                "cancelled": d.cancelled,
            }
            for d in found
        ]
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print("Không tìm thấy văn bản nào.")
        return EXIT_OK
    for d in found:
        cancelled = " [ĐÃ HỦY]" if d.cancelled else ""
        print(
            f"{d.so_den_label:>10}  {dates.format_dmy(d.ngay_den)}  {d.number or '(không số)'}  {d.issuer}{cancelled}\n"
            f"            {d.subject}"
        )
    return EXIT_OK


def _export_register(args: argparse.Namespace) -> int:
    from parclerk.excel.register_export import export_register_xlsx

    db = _open(args.db)
    try:
        count = export_register_xlsx(db, args.year, args.out)
    finally:
        db.close()
    print(f"Đã xuất {count} văn bản đến năm {args.year} ra {args.out}.")
    return EXIT_OK


def _screenshot(args: argparse.Namespace) -> int:
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        print("Lỗi: --size phải có dạng RỘNGxCAO, ví dụ 1366x768.", file=sys.stderr)
        return EXIT_USAGE
    if not Path(args.db).exists():
        raise ParclerkError(f"Không tìm thấy tệp cơ sở dữ liệu “{args.db}”.")
    from parclerk.ui.app import screenshot

    screenshot(args.db, args.view, args.out, (width, height))
    print(f"Đã lưu ảnh màn hình {args.view} vào {args.out}.")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from parclerk.data import migrations

    db = _open(args.db)
    try:
        count = db.execute("SELECT count(*) FROM directives").fetchone()[0]
        cancelled = db.execute("SELECT count(*) FROM directives WHERE cancelled = 1").fetchone()[0]
        years = db.execute("SELECT year, last FROM so_den_counters ORDER BY year").fetchall()
    finally:
        db.close()
    print(f"Cơ sở dữ liệu: {args.db}")
    print(f"Phiên bản lược đồ: {len(migrations.KNOWN)}")
    print(f"Văn bản đến: {count} (đã hủy {cancelled})")
    for year, last in years:
        print(f"  Năm {year}: số đến cuối cùng {last}")
    return EXIT_OK


def _parse(args: argparse.Namespace) -> int:
    from parclerk import dates
    from parclerk.parsing.model import as_json
    from parclerk.services import intake

    parsed = intake.parse_text(sys.stdin.read()) if args.file == "-" else intake.parse_file(Path(args.file))
    if args.json:
        import json

        print(json.dumps(as_json(parsed), ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = [
        ("Cơ quan ban hành", parsed.issuer),
        ("Số, ký hiệu", parsed.number or "(không có)"),
        ("Loại văn bản", parsed.doc_type),
        ("Địa danh, ngày", f"{parsed.issued_place}, {dates.format_dmy(parsed.issued_date)}"),
        ("Trích yếu", parsed.subject),
        ("Kính gửi", "; ".join(parsed.recipients)),
        ("Người ký", f"{parsed.signer_title} {parsed.signer}".strip()),
        ("Văn bản kèm theo", "; ".join(parsed.references)),
    ]
    for label, value in rows:
        print(f"{label:17}: {value}")
    print(f"Nhiệm vụ ({len(parsed.tasks)}):")
    for task in parsed.tasks:
        deadline = dates.format_dmy(task.deadline) or task.deadline_text or "không có hạn"
        print(f"  [{task.ref}] {task.lead_unit or '?'} — hạn: {deadline}")
        print(f"      {task.text.splitlines()[0][:160]}")
    for warning in parsed.warnings:
        print(f"Cảnh báo: {warning}")
    return EXIT_OK


def _import_directive(args: argparse.Namespace) -> int:
    from parclerk import dates
    from parclerk.services import directives, intake

    received = dates.parse_dmy(args.received, "Ngày đến") if args.received else None
    parsed = intake.parse_file(args.file)
    values = intake.draft_from_parsed(parsed, received=received)
    db = _open(args.db)
    try:
        hits = directives.find_duplicates(db, values)
        if hits and not args.allow_duplicate:
            first = hits[0]
            raise ParclerkError(
                f"Văn bản số {values.number} của {values.issuer} đã có trong sổ (số đến {first.so_den}/"
                f"{first.so_den_year}). Dùng --allow-duplicate nếu vẫn muốn vào sổ."
            )
        result = intake.register_with_tasks(db, values, intake.tasks_from_parsed(parsed), files=[args.file])
    finally:
        db.close()
    d = result.directive
    print(f"Đã vào sổ văn bản đến số {d.so_den_label}: {d.number or '(không số)'} — {d.subject}")
    print(f"Đã tạo {len(parsed.tasks)} nhiệm vụ.")
    for warning in parsed.warnings:
        print(f"Cảnh báo: {warning}")
    return EXIT_OK


def _tasks(args: argparse.Namespace) -> int:
    import datetime as dt

    from parclerk import dates, tracking
    from parclerk.data import tables
    from parclerk.queries import TaskQuery
    from parclerk.services.tasks import ensure_items
    from parclerk.tracking import directive_label

    if args.due_within is not None and args.due_within < 0:
        raise ParclerkError("--due-within phải là số ngày không âm.")
    today = dates.today()
    query = TaskQuery(own_only=not args.all, open_only=True, today=today)
    if args.overdue:
        query = TaskQuery(own_only=not args.all, bucket="open_overdue", today=today)
    elif args.due_within is not None:
        query = TaskQuery(
            own_only=not args.all,
            open_only=True,
            due_to=today + dt.timedelta(days=args.due_within),
            today=today,
        )
    db = _open(args.db)
    try:
        ensure_items(db, today=today)
        ids = tables.task_item_ids(db.conn, query)
        rows = tables.task_item_rows(db.conn, ids)
    finally:
        db.close()
    import json

    items = []
    for item_id in ids:
        row = rows[item_id]
        due = dates.from_iso(row["due_date"])
        completed = dates.from_iso(row["completed_date"])
        items.append(
            {
                "id": item_id,
                "task_id": row["task_id"],
                "ref": row["ref"],
                "content": row["content"],
                "lead_unit": row["lead_unit"],
                "coordinating_units": json.loads(row["coordinating_units"] or "[]"),
                "directive": directive_label(row),
                "period": row["period_label"] or None,
                "due_date": dates.to_iso(due),
                "deadline_text": row["deadline_text"],
                "days_left": (due - today).days if due else None,
                "status": row["status"],
                "bucket": tracking.bucket(row["status"], due, completed, today),
            }
        )
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not items:
        print("Không có nhiệm vụ nào.")
        return EXIT_OK
    for item in items:
        due_text = dates.format_dmy(item["due_date"]) or item["deadline_text"] or "không có hạn"
        late = (
            f" — quá hạn {-item['days_left']} ngày"
            if item["days_left"] is not None and item["days_left"] < 0
            else ""
        )
        period = f" [{item['period']}]" if item["period"] else ""
        print(f"{due_text:>12}{late}  {item['lead_unit'] or '?'}{period}  ({item['directive']})")
        print(f"              {item['ref']} {item['content'].splitlines()[0][:150]}")
    print(f"Tổng số: {len(items)} nhiệm vụ.")
    return EXIT_OK


def _cli_date(text: str | None, label: str):
    """dd/mm/yyyy (as the clerk writes it) or yyyy-mm-dd; None when not given."""
    import datetime as dt
    import re

    from parclerk import dates

    if text is None or not text.strip():
        return None
    iso = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text)
    if iso:
        try:
            return dt.date(*(int(part) for part in iso.groups()))
        except ValueError:
            raise ParclerkError(f"{label} “{text.strip()}” không có trên lịch.") from None
    return dates.parse_dmy(text, label)


def _checklist(args: argparse.Namespace) -> int:
    import os

    from parclerk import dates
    from parclerk.data import tables
    from parclerk.fileio import write_atomically
    from parclerk.reports.checklist import checklist_html, checklist_query
    from parclerk.services.tasks import ensure_items

    due_from = _cli_date(args.date_from, "Ngày bắt đầu (--from)")
    due_to = _cli_date(args.date_to, "Ngày kết thúc (--to)")
    today = dates.today()
    db = _open(args.db)
    try:
        ensure_items(db, today=today)  # recurring duties get their current period first
        query, title = checklist_query(
            db, unit=args.unit or "", person=args.person or "", due_from=due_from, due_to=due_to, today=today
        )
        count = tables.task_item_count(db.conn, query)
        html = checklist_html(db, query, title)
    finally:
        db.close()

    # Qt lays the pages out and writes the PDF, exactly as the print preview shows them; no display needed.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from parclerk.ui.app import make_app
    from parclerk.ui.printing import html_to_pdf

    app = make_app()  # noqa: F841  (kept alive while Qt prints)
    doc_name = title.splitlines()[0].capitalize()

    def write(path: Path) -> None:
        html_to_pdf(html, path, doc_name)
        if path.stat().st_size == 0:  # Qt reports a failed print only as a log line
            raise ParclerkError(f"Không tạo được tệp PDF “{args.out}”.")

    write_atomically(args.out, write, what="danh sách kiểm tra nhiệm vụ")
    print(f"Đã lưu danh sách kiểm tra {count} nhiệm vụ vào {args.out}.")
    return EXIT_OK


def _export_handling_log(args: argparse.Namespace) -> int:
    from parclerk.excel.task_exports import export_handling_log_xlsx

    db = _open(args.db)
    try:
        count = export_handling_log_xlsx(db, args.year, args.out)
    finally:
        db.close()
    print(f"Đã xuất sổ theo dõi giải quyết văn bản đến năm {args.year} ({count} văn bản) ra {args.out}.")
    return EXIT_OK


def _criteria_template(args: argparse.Namespace) -> int:
    from parclerk.excel.criteria_import import write_template_xlsx

    write_template_xlsx(args.out)
    print(f"Đã lưu tệp mẫu bộ chỉ số vào {args.out}.")
    return EXIT_OK


def _export_assessment(args: argparse.Namespace) -> int:
    from parclerk.excel.assessment_export import export_assessment_xlsx
    from parclerk.services.assessment import assessment_for_year

    db = _open(args.db)
    try:
        rows = export_assessment_xlsx(db, assessment_for_year(db, args.year), args.out)
    finally:
        db.close()
    print(f"Đã xuất bảng tự đánh giá năm {args.year} ({rows} mục) ra {args.out}")
    return EXIT_OK


def _lost_points(args: argparse.Namespace) -> int:
    from parclerk.criteria import format_points
    from parclerk.services.assessment import LOST_REASONS, assessment_for_year, group_lost, lost_points

    db = _open(args.db)
    try:
        items = lost_points(db, assessment_for_year(db, args.year))
    finally:
        db.close()
    if not items:
        print(f"Năm {args.year}: không có mục nào bị mất điểm, thiếu minh chứng hay thiếu giải trình.")
        return EXIT_OK
    total = sum(item.at_stake for item in items)
    print(f"Năm {args.year}: {len(items)} mục cần xem lại, {format_points(total)} điểm có nguy cơ mất.")
    for label, group, at_stake in group_lost(items, args.by):
        print(f"{label} — {format_points(at_stake)} điểm")
        for item in group:
            reasons = "; ".join(LOST_REASONS[r] for r in item.reasons)
            own = format_points(item.self_score) if item.self_score is not None else "chưa chấm"
            print(f"  {item.criterion.code} {item.criterion.title[:70]} — {own}/"
                  f"{format_points(item.criterion.maximum)}: {reasons}")  # fmt: skip
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from parclerk import dates
    from parclerk.services import reports

    day = dates.parse_dmy(args.date, "Ngày ban hành") if args.date else None
    db = _open(args.db)
    try:
        if args.what == "directive":
            from parclerk.reports.task_reports import directive_by_number

            key = str(directive_by_number(db, args.number))
        elif args.what == "assessment":
            key = str(args.year)
        else:
            key = reports.periodic_period(db, args.period).key
        draft = reports.load_draft(db, args.what, key)
        written = reports.write_report(db, draft, args.out, issue=args.issue, day=day)
    finally:
        db.close()
    what = f"số {written.number_symbol}" if written.number_symbol else "bản dự thảo, chưa cấp số"
    print(f"Đã lập báo cáo ({what}): {written.path}")
    return EXIT_OK


def _submission_export(args: argparse.Namespace) -> int:
    from parclerk.services import submissions

    db = _open(args.db)
    try:
        result = submissions.export_submission(db, args.year, args.out, with_files=args.with_files)
    finally:
        db.close()
    kind = "phiên bản mới" if result.new_version else "nội dung không đổi so với lần xuất trước"
    print(
        f"Đã xuất bài nộp năm {args.year}, phiên bản {result.version} ({kind}): {result.path}\n"
        f"  {result.scored}/{result.leaves} tiêu chí có điểm; {result.files_count} tệp kiểm chứng kèm theo; "
        f"mã kiểm tra {result.checksum[:16]}…"
    )
    for name in result.missing_files:
        print(f"  ! Không tìm thấy tệp kiểm chứng “{name}” trong thư mục dữ liệu: không đưa vào gói.")
    return EXIT_OK


def _submission_import(args: argparse.Namespace) -> int:
    from parclerk.services import submissions

    db = _open(args.db)
    try:
        if args.dry_run:
            previews = submissions.preview_import(db, args.files, year=args.year)
        else:
            previews = list(submissions.import_submissions(db, args.files, year=args.year).previews)
    finally:
        db.close()
    for preview in previews:
        print(submissions.describe(preview))
    counts: dict[str, int] = {}
    for preview in previews:
        counts[preview.status] = counts.get(preview.status, 0) + 1
    summary = ", ".join(f"{n} {submissions.STATUS_LABELS[k].lower()}" for k, n in counts.items())
    verb = "Xem trước (chưa lưu gì)" if args.dry_run else "Đã xử lý"
    print(f"{verb}: {len(previews)} tệp: {summary}.")
    return EXIT_KNOWN if counts.get("rejected") else EXIT_OK


def _submission_list(args: argparse.Namespace) -> int:
    from parclerk.services import submissions

    db = _open(args.db)
    try:
        units = submissions.list_units(db, args.year)
    finally:
        db.close()
    if not units:
        print(f"Năm {args.year} chưa có đơn vị hay bài nộp nào.")
    for unit in units:
        state = (
            f"phiên bản {unit.version}, xuất {submissions.format_stamp(unit.exported_at)}"
            if unit.submission_id
            else "CHƯA NỘP"
        )
        flags = "" if unit.ranked else " (không xếp hạng)"
        print(f"{unit.name}{flags}\t{state}")
    return EXIT_OK


def _submission_units(args: argparse.Namespace) -> int:
    from parclerk.services import submissions

    db = _open(args.db)
    try:
        submissions.add_expected_units(db, args.year, args.names)
        count = len([u for u in submissions.list_units(db, args.year) if u.expected])
    finally:
        db.close()
    print(f"Năm {args.year} có {count} đơn vị phải nộp bài.")
    return EXIT_OK


def _ranking(args: argparse.Namespace) -> int:
    from parclerk import dates
    from parclerk.services import ranking

    day = dates.parse_dmy(args.date, "Ngày báo cáo") if args.date else None
    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        raise ParclerkError("Tệp kết quả phải có đuôi .xlsx (bảng xếp hạng) hoặc .docx (báo cáo).")
    db = _open(args.db)
    try:
        if suffix == ".xlsx":
            from parclerk.excel.ranking_export import export_ranking_xlsx

            export_ranking_xlsx(ranking.consolidate(db, args.year), args.out)
            number = ""
        else:
            number = ranking.write_ranking_report(
                db, args.year, args.out, issue=args.issue, day=day
            ).number_symbol
    finally:
        db.close()
    what = f" (số {number})" if number else ""
    print(f"Đã lập kết quả xếp hạng năm {args.year}{what}: {args.out}")
    return EXIT_OK


def _outgoing(args: argparse.Namespace) -> int:
    from parclerk import dates
    from parclerk.services.reports import list_outgoing

    db = _open(args.db)
    try:
        entries = list_outgoing(db, args.year)
    finally:
        db.close()
    if not entries:
        print(f"Sổ văn bản đi năm {args.year} chưa có văn bản nào.")
    for entry in entries:
        print(
            f"{entry.number_symbol}\t{dates.format_dmy(entry.issued_date)}\t{entry.doc_type}\t{entry.subject}"
        )
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from parclerk.services import history
    from parclerk.services.assessment import assessment_for_year

    if args.criterion and not args.year:
        raise ParclerkError("Với --criterion, hãy cho biết năm của bản tự đánh giá bằng --year.")
    db = _open(args.db)
    try:
        if args.directive:
            changes = history.directive_history(
                db, history.directive_id_for(db, args.directive), limit=args.limit
            )
        elif args.task is not None:
            changes = history.task_history(db, args.task, limit=args.limit)
        elif args.criterion:
            assessment = assessment_for_year(db, args.year)
            changes = history.score_history(db, assessment, args.criterion, limit=args.limit)
        else:
            changes = history.recent(db, kind=args.kind or "", limit=args.limit)
    finally:
        db.close()
    if args.json:
        print(json.dumps([dataclasses.asdict(c) for c in changes], ensure_ascii=False, indent=1))
    elif not changes:
        print("Chưa có thay đổi nào được ghi lại.")
    for change in [] if args.json else changes:
        print(change.line())
    return EXIT_OK


def _import_criteria(args: argparse.Namespace) -> int:
    from parclerk.criteria import format_points
    from parclerk.excel.criteria_import import read_criteria_xlsx

    criteria_set, problems = read_criteria_xlsx(args.file, year=args.year, level=args.level)
    if problems or criteria_set is None:
        print(
            f"Không nhập được “{args.file.name}”: {len(problems)} lỗi. Chưa có gì được ghi.", file=sys.stderr
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_KNOWN
    items = [c for c in criteria_set.criteria if c.kind == "item"]
    print(f"Bộ chỉ số: {criteria_set.name} — năm {criteria_set.year}, cấp {criteria_set.level}")
    print(f"  {len(items)} mục, tổng điểm tối đa {format_points(criteria_set.total_maximum())}")
    for field in (c for c in items if c.depth == 0):
        print(f"  {field.code}. {field.title} — {format_points(field.maximum)} điểm")
    if args.dry_run:
        print("Kiểm tra xong, không có lỗi. Chạy lại không có --dry-run để nhập.")
        return EXIT_OK
    from parclerk.services.assessment import save_set

    db = _open(args.db)
    try:
        set_id = save_set(db, criteria_set)
    finally:
        db.close()
    print(f"Đã nhập bộ chỉ số (mã {set_id}).")
    return EXIT_OK


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _counts_text(counts: dict[str, int]) -> str:
    from parclerk.services.backup import iter_counts

    return ", ".join(f"{label.lower()} {count}" for label, count in iter_counts(counts))


def _backup(args: argparse.Namespace) -> int:
    from parclerk.services import backup

    info = backup.make_backup(args.db, reason="thu-cong", out=args.out, with_files=args.with_files)
    if args.out is None:
        backup.rotate(args.db)
    print(f"Đã sao lưu cơ sở dữ liệu vào {info.path} ({_size_text(info.size)}).")
    print(f"  {_counts_text(info.counts)}")
    if info.with_files:
        print(f"  Kèm {info.files_included} tệp gốc.")
        for ref in info.files_check.missing:
            print(f"Cảnh báo: thiếu tệp gốc “{ref.label}”, không có trong bản sao lưu.")
        for ref in info.files_check.damaged:
            print(f"Cảnh báo: tệp gốc “{ref.label}” bị hỏng (sai mã SHA-256), không có trong bản sao lưu.")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from parclerk.services import backup

    result = backup.restore(args.db, args.file)
    print(f"Đã khôi phục {args.db} từ {args.file}.")
    if result.safety_backup is not None:
        print(f"Trạng thái trước khi khôi phục đã được sao lưu vào {result.safety_backup}.")
    print("Số bản ghi (trước → sau):")
    for table, label in backup.COUNTED.items():
        if table in result.before or table in result.after:
            print(f"  {label}: {result.before.get(table, '?')} → {result.after.get(table, '?')}")
    if result.files_restored:
        print(f"Đã chép lại {result.files_restored} tệp gốc từ bản sao lưu.")
    for ref in result.files.missing:
        print(f"Cảnh báo: thiếu tệp gốc “{ref.label}” trong thư mục files.")
    for ref in result.files.damaged:
        print(f"Cảnh báo: tệp gốc “{ref.label}” bị hỏng (sai mã SHA-256).")
    return EXIT_OK


def _backups(args: argparse.Namespace) -> int:
    from parclerk import paths
    from parclerk.services import backup

    found = backup.list_backups(args.db)
    folder = paths.backup_dir(Path(args.db))
    if not found:
        print(f"Chưa có bản sao lưu nào trong {folder}.")
        return EXIT_OK
    print(f"{len(found)} bản sao lưu trong {folder} (mới nhất trước):")
    for info in found:
        what = info.problem or _counts_text(info.counts)
        files = " (kèm tệp gốc)" if info.with_files else ""
        print(
            f"  {info.created:%d/%m/%Y %H:%M}  {info.reason_label:<20} {_size_text(info.size):>9}  {info.path.name}{files}"
        )
        print(f"      {what}")
    return EXIT_OK
