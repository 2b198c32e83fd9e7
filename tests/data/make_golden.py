"""Make the golden databases tests/data/db_vN.sqlite: one per schema version, with realistic rows.

Version N is the schema after the N-th name in `migrations.KNOWN`. Each `SEEDERS[name]` fills a database
at that version with plain SQL valid for it, derived columns (*_fold, *_sort, search_fold) included, as the
app of that release wrote them. tests/test_migrations.py uses the same seeders to build every version afresh.

When a release adds a migration, add its seeder here and make its golden file once, from the repository root:

    .venv/bin/python tests/data/make_golden.py           # writes the db_vN.sqlite files that are missing

A golden file stands for databases clerks already have: never regenerate a released one (`--force` rewrites
all of them, for use only before the first release).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parclerk import vntext
from parclerk.data import migrations
from parclerk.data.db import open_db

HERE = Path(__file__).resolve().parent

# --- m0001_create_register --------------------------------------------------------------------------------------

LONG_SUBJECT = (  # 500 characters: the Phụ lục VI limit, so the app could have written it
    "V/v tham mưu chỉ đạo tăng cường công tác cải cách hành chính, văn hóa công vụ và chấn chỉnh kỷ luật, kỷ "
    "cương hành chính trên địa bàn tỉnh; rà soát, tham mưu sửa đổi, bổ sung các quy định liên quan đến lĩnh vực "
    "cải cách hành chính thuộc thẩm quyền của UBND tỉnh & đề xuất giải pháp nâng cao chỉ số PAR INDEX, SIPAS, "
    "PAPI, PCI của tỉnh Quảng Ngãi giai đoạn 2021 - 2025 (kèm theo Đề án “Đổi mới lề lối làm việc”, các phụ "
    "lục <01>, <02> và biểu mẫu báo cáo định kỳ gửi Sở Nội vụ)"
)
assert len(LONG_SUBJECT) <= 500, len(LONG_SUBJECT)

V1_DIRECTIVES: list[dict[str, Any]] = [
    dict(
        so_den=1,
        ngay_den="2021-01-11",
        issuer="UBND tỉnh Quảng Ngãi",
        number="107/UBND-NC",
        issued_date="2021-01-09",
        issued_place="Quảng Ngãi",
        doc_type="Công văn",
        subject=LONG_SUBJECT,
        signer="Đặng Văn Minh",
        signer_title="Chủ tịch",
        urgency=1,
        assigned_to="Công chức Văn phòng - Thống kê",
        handed_date="2021-01-11",
        deadline="2021-02-28",
        handled_date="2021-02-25",
        reply_number="12/BC-UBND",
        page_count=4,
        file_code="01.CCHC",
        direction="Giao Văn phòng - Thống kê chủ trì, báo cáo trước 28/02/2021.",
        notes="Hoàn thành chậm nhất trong tháng 2/2021",
    ),
    dict(
        so_den=2,
        ngay_den="2021-04-01",
        issuer="UBND huyện Sơn Tây",
        number="294/UBND",
        issued_date="2021-03-31",
        issued_place="Sơn Tây",
        doc_type="Công văn",
        subject="V/v triển khai Thông báo số 89/TB-UBND về kết luận của Chủ tịch UBND huyện",
        signer="Đinh Văn Đức",
        signer_title="Phó Chủ tịch",
        assigned_to="Văn phòng HĐND & UBND xã",
        deadline="2021-04-15",
    ),
    dict(
        so_den=3,
        ngay_den="2021-04-02",
        issuer="Uỷ ban nhân dân tỉnh Quảng Ngãi",
        number="15/QĐ-UBND",
        issued_date="2021-03-29",
        doc_type="Quyết định",
        subject="Quyết định ban hành Đề án “Chính quyền số”",
        signer="Trần Phước Hiền",
        signer_title="Phó Chủ tịch",
        secrecy=1,
        page_count=12,
    ),
    dict(
        so_den=4,
        ngay_den="2021-05-10",
        issuer="Sở Nội vụ",
        number="1047/SNV-CCHCVTLT",
        issued_date="2021-05-07",
        doc_type="Hướng dẫn",
        subject="Hướng dẫn tự chấm điểm Chỉ số CCHC năm 2021 (đợt 1) – lưu ý “điểm trừ”",
        urgency=2,
        deadline="2021-06-30",
        cancelled=1,
        cancel_reason="Đăng ký trùng với số đến 3/2021",
        cancelled_at="2021-05-10T15:02:11",
    ),
    dict(
        so_den=1,
        ngay_den="2022-10-17",
        issuer="UBND TỈNH QUẢNG TRỊ - VĂN PHÒNG",
        number="526/VP-HCTC",
        issued_date="2022-10-14",
        issued_place="Quảng Trị",
        doc_type="Công văn",
        subject="V/v đôn đốc triển khai thực hiện nhiệm vụ CCHC và đẩy mạnh tuyên truyền công tác CCHC",
        signer="Lê Thị Hoà",
        signer_title="Chánh Văn phòng",
        urgency=3,
        assigned_to="Ông Nguyễn Văn Ân",
        deadline="2022-10-31",
    ),
    dict(
        so_den=1,
        ngay_den="2025-07-02",
        issuer="Đảng ủy xã Tịnh Ấn Tây",
        number="03-CV/ĐU",
        doc_type="Giấy mời",
        subject="Mời dự Hội nghị sơ kết 6 tháng đầu năm 2025 ; địa điểm: Hội trường UBND xã",
        notes="Tab\tvà xuống dòng\nvẫn giữ nguyên; ký tự đặc biệt: % _ \\ ' \" ` ; -- /* */",
    ),
]

V1_SETTINGS = {
    "office_profile": {
        "unit_name": "Ủy ban nhân dân xã Sơn Tây",
        "parent_name": "",
        "unit_abbrev": "UBND",
        "level": "xa",
        "place_name": "Sơn Tây",
        "signer_name": "Nguyễn Văn An",
        "signer_title": "Chủ tịch",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "reports_to": "Sở Nội vụ tỉnh Quảng Ngãi",
    },
}

V1_ATTACHMENTS = [
    # (directive so_den_year, so_den, sha256, original name, size)
    (2021, 1, "3f" + "0" * 62, "Công văn 107-UBND-NC.pdf", 182_344),
    (2021, 3, "a1" + "b" * 62, "QĐ 15 - Đề án chính quyền số.docx", 51_200),
]


def _v1_derived(row: dict[str, Any]) -> dict[str, str]:
    """The derived columns as the m0001 release writes them (repo_directives.derived_columns)."""
    searchable = " ".join(
        row.get(name) or ""
        for name in (
            "number",
            "issuer",
            "doc_type",
            "subject",
            "signer",
            "assigned_to",
            "reply_number",
            "notes",
        )
        if row.get(name)
    )
    return {
        "issuer_fold": vntext.fold(row["issuer"]),
        "number_fold": vntext.fold(row.get("number", "")),
        "issuer_sort": vntext.sort_key(row["issuer"]),
        "subject_sort": vntext.sort_key(row["subject"]),
        "doc_type_sort": vntext.sort_key(row.get("doc_type", "")),
        "assigned_to_sort": vntext.sort_key(row.get("assigned_to", "")),
        "search_fold": vntext.fold(searchable),
    }


def seed_m0001(db) -> None:  # db: sqlite_utils.Database at schema m0001_create_register
    with db.atomic():
        for key, value in V1_SETTINGS.items():
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)",
                [key, json.dumps(value, ensure_ascii=False)],
            )
        counters: dict[int, int] = {}
        for index, values in enumerate(V1_DIRECTIVES):
            year = int(values["ngay_den"][:4])
            stamp = f"{values['ngay_den']}T08:{index:02d}:00"
            row = {
                **values,
                "so_den_year": year,
                "created_at": stamp,
                "updated_at": stamp,
                **_v1_derived(values),
            }
            columns = ", ".join(row)
            db.execute(
                f"INSERT INTO directives ({columns}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            counters[year] = max(counters.get(year, 0), values["so_den"])
        # The counter runs ahead of the rows in 2021: a number taken by a registration rolled back later.
        counters[2021] += 1
        db.execute(
            "INSERT INTO so_den_counters (year, last) VALUES " + ", ".join("(?, ?)" for _ in counters),
            [part for item in sorted(counters.items()) for part in item],
        )
        for year, so_den, sha256, name, size in V1_ATTACHMENTS:
            db.execute(
                "INSERT INTO attachments (directive_id, sha256, original_name, size, added_at) "
                "SELECT id, ?, ?, ?, created_at FROM directives WHERE so_den_year = ? AND so_den = ?",
                [sha256, name, size, year, so_den],
            )


# --- m0002_add_tasks --------------------------------------------------------------------------------------------

V2_TASKS = [
    # (directive so_den_year, so_den, position, ref, content, lead, coordinating, deadline, text, recurrence)
    (2021, 1, 1, "1.a", "Khẩn trương rà soát, tham mưu sửa đổi các quy định về CCHC & kỷ cương", "Sở Nội vụ",
     ["Các cơ quan, đơn vị liên quan"], "2021-02-28", "chậm nhất trong tháng 2/2021", None),
    (2021, 1, 2, "2", "Tham mưu tổ chức họp Ban Chỉ đạo CCHC <tỉnh>", "Sở Nội vụ",
     ["Văn phòng UBND tỉnh", "Sở Tư pháp"], "2020-02-29", "chậm nhất trong tháng 02/2020", None),
    (2021, 2, 1, "1", "Hàng quý báo cáo kết quả thực hiện về UBND huyện", "Chủ tịch UBND các xã",
     [], None, "hàng quý", "quarterly"),
]  # fmt: skip


def seed_m0002(db) -> None:  # db: sqlite_utils.Database at schema m0002_add_tasks
    from parclerk.data.repo_directives import refresh_derived

    seed_m0001(db)
    with db.atomic():
        refresh_derived(db)  # the m0002 release spells out UBND/HĐND/MTTQ in issuer keys
        db.execute(
            "UPDATE directives SET recipients = ?, noi_nhan = ?, related_documents = ? WHERE so_den_year = 2021 AND so_den = 2",
            [
                "Thủ trưởng các cơ quan, đơn vị thuộc huyện\nChủ tịch UBND các xã",
                "Như trên\nCT, PCT UBND huyện\nLưu: VT",
                "Thông báo số 89/TB-UBND ngày 16/3/2021 của Ủy ban nhân dân tỉnh Quảng Ngãi",
            ],
        )
        for year, so_den, position, ref, content, lead, coordinating, deadline, text, recurrence in V2_TASKS:
            db.execute(
                "INSERT INTO tasks (directive_id, position, ref, content, lead_unit, coordinating_units, deadline, "
                "deadline_text, recurrence, created_at, updated_at) "
                "SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, created_at, created_at FROM directives "
                "WHERE so_den_year = ? AND so_den = ?",
                [position, ref, content, lead, json.dumps(coordinating, ensure_ascii=False), deadline, text,
                 recurrence, year, so_den],
            )  # fmt: skip


# --- m0003_add_task_tracking -----------------------------------------------------------------------------------


def seed_m0003(db) -> None:  # db: sqlite_utils.Database at schema m0003_add_task_tracking
    from parclerk import vntext

    seed_m0002(db)
    with db.atomic():
        db.execute(
            "INSERT INTO units (name, kind, name_fold, name_sort) VALUES (?, ?, ?, ?)",
            ["Sở Nội vụ", "Sở", vntext.fold_body_name("Sở Nội vụ"), vntext.sort_key("Sở Nội vụ")],
        )
        db.execute("INSERT INTO unit_aliases (unit_id, alias, alias_fold) VALUES (1, 'SNV', 'snv')")
        for task_id, content, lead, ref in db.execute(
            "SELECT id, content, lead_unit, ref FROM tasks"
        ).fetchall():
            db.execute(
                "UPDATE tasks SET lead_unit_fold = ?, search_fold = ?, lead_unit_id = ? WHERE id = ?",
                [vntext.fold_body_name(lead), vntext.fold(f"{ref} {content} {lead}"),
                 1 if lead == "Sở Nội vụ" else None, task_id],
            )  # fmt: skip
        db.execute(
            "INSERT INTO task_items (task_id, period_key, due_date, status, completed_date, created_at, updated_at) "
            "SELECT id, '', deadline, 'open', NULL, created_at, created_at FROM tasks WHERE recurrence IS NULL"
        )
        db.execute(
            "INSERT INTO task_items (task_id, period_key, period_label, due_date, status, completed_date, reply_number, "
            "created_at, updated_at) SELECT id, '2021-Q2', 'Quý II/2021', '2021-06-16', 'done', '2021-06-18', "
            "'21/BC-UBND', created_at, created_at FROM tasks WHERE recurrence = 'quarterly'"
        )
        db.execute(
            "INSERT INTO task_notes (task_id, item_id, note_date, note, created_at) "
            "SELECT task_id, id, '2021-06-18', 'Đã gửi báo cáo quý II & phụ lục <01>', created_at FROM task_items "
            "WHERE status = 'done'"
        )
        db.execute("UPDATE task_items SET due_sort = coalesce(due_date, '9999-12-31')")
        db.execute(
            "UPDATE task_items SET late = (status = 'done' AND due_date IS NOT NULL AND completed_date > due_date)"
        )


# --- m0004_add_assessment ---------------------------------------------------------------------------------------


def seed_m0004(db) -> None:  # db: sqlite_utils.Database at schema m0004_add_assessment
    seed_m0003(db)
    with db.atomic():
        db.execute(
            "INSERT INTO criteria_sets (name, year, level, source, sample, classifications, created_at) VALUES "
            "('Mẫu: Chỉ số CCHC cấp xã & phường <thử>', 2025, 'xa', 'QĐ 1880/QĐ-UBND năm 2013', 1, "
            '\'[{"label": "Tốt", "minimum_percent": "80"}]\', \'2025-01-10T08:00:00\')'
        )
        rows = [
            (1, "1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 10000, ""),
            (2, "1.1", "Ban hành kế hoạch CCHC năm", 5000,
             "Ban hành kịp thời: 50; Ban hành không kịp thời: 25; Không ban hành: 0"),
            (3, "1.2", "Mức độ thực hiện kế hoạch CCHC", 5000,
             "Thực hiện trên 90% kế hoạch: 50; Thực hiện từ 70% - 90% kế hoạch: 25; Dưới 70% kế hoạch: 0"),
        ]  # fmt: skip
        for position, code, title, maximum, rule in rows:
            db.execute(
                "INSERT INTO criteria (set_id, position, code, title, maximum, rule_text) VALUES (1, ?, ?, ?, ?, ?)",
                [position, code, title, maximum, rule],
            )
        db.execute(
            "INSERT INTO assessments (set_id, year, unit_name, created_at, updated_at) "
            "VALUES (1, 2025, 'Ủy ban nhân dân xã Sơn Tây', '2025-11-02T09:00:00', '2025-11-02T09:00:00')"
        )
        db.execute(
            "INSERT INTO assessment_scores (assessment_id, code, self_score, appraised_score, explanation, updated_at) "
            "VALUES (1, '1.1', 2500, 2500, 'Ban hành chậm 5 ngày & chưa có <phụ lục>', '2025-11-02T09:00:00')"
        )
        db.execute(
            "INSERT INTO evidence (assessment_id, code, directive_id, description, locator, evidence_date, created_at) "
            "VALUES (1, '1.1', 1, 'Kế hoạch CCHC năm 2025', 'Mục II, trang 3', '2025-01-20', '2025-11-02T09:00:00')"
        )


# --- m0005_add_evidence_suggestions ----------------------------------------------------------------------------


def seed_m0005(db) -> None:  # db: sqlite_utils.Database at schema m0005_add_evidence_suggestions
    seed_m0004(db)
    with db.atomic():
        db.execute(
            "INSERT INTO assessments (set_id, year, unit_name, created_at, updated_at) "
            "VALUES (1, 2026, 'Ủy ban nhân dân xã Sơn Tây', '2026-01-05T08:00:00', '2026-01-05T08:00:00')"
        )
        db.execute(
            "INSERT INTO evidence (assessment_id, code, directive_id, description, locator, evidence_date, "
            "created_at, suggested) SELECT 2, code, directive_id, description, locator, evidence_date, "
            "'2026-01-05T08:00:00', 1 FROM evidence WHERE assessment_id = 1"
        )


# --- m0006_add_reports --------------------------------------------------------------------------------------------


def seed_m0006(db) -> None:  # db: sqlite_utils.Database at schema m0006_add_reports
    seed_m0005(db)
    with db.atomic():
        db.execute(
            "INSERT INTO reports (kind, subject_key, title, narrative, created_at, updated_at) VALUES "
            "('periodic', '2021-Q1', 'Kết quả thực hiện công tác cải cách hành chính quý I năm 2021', "
            "'{\"uu_diem\": \"Chỉ đạo kịp thời & sát sao <quý I>\"}', '2021-03-15T08:00:00', '2021-03-15T08:00:00')"
        )
        db.execute(
            "INSERT INTO outgoing (year, number, symbol, doc_type, issued_date, subject, recipients, signer, "
            "report_id, task_item_id, created_at) SELECT 2021, 20, 'BC-UBND', 'Báo cáo', '2021-03-16', "
            "'Kết quả thực hiện công tác cải cách hành chính quý I năm 2021', 'Sở Nội vụ', 'Nguyễn Văn An', 1, "
            "(SELECT min(id) FROM task_items), '2021-03-16T09:00:00'"
        )


# --- m0007_add_submissions ----------------------------------------------------------------------------------------


def seed_m0007(db) -> None:  # db: sqlite_utils.Database at schema m0007_add_submissions
    seed_m0006(db)
    with db.atomic():
        db.execute(
            "INSERT INTO submission_exports (assessment_id, version, checksum, exported_at, file_name) VALUES "
            "(1, 1, 'aa11', '2025-11-20T10:00:00', 'ChiSoCCHC-2025-Son-Tay-v1.zip')"
        )
        db.execute(
            "INSERT INTO collection_units (year, name, name_fold, name_sort, expected, ranked) VALUES "
            "(2025, 'Ủy ban nhân dân xã Sơn Tây', 'uy ban nhan dan xa son tay', 'uy ban nhan dan xa son tay', 1, 1)"
        )
        db.execute(
            "INSERT INTO submissions (unit_id, set_id, year, unit_name, unit_level, source_id, version, exported_at, "
            "checksum, data_checksum, package_sha256, file_name, imported_at) VALUES (1, 1, 2025, "
            "'Ủy ban nhân dân xã Sơn Tây', 'xa', 'src-1', 1, '2025-11-20T10:00:00', 'bb22', 'aa11', 'cc33', "
            "'ChiSoCCHC-2025-Son-Tay-v1.zip', '2025-11-21T08:00:00')"
        )
        db.execute(
            "INSERT INTO submission_scores (submission_id, code, score, explanation) VALUES "
            "(1, '1.1', 2500, 'Ban hành chậm & <trễ>'), (1, '1.2', NULL, '')"
        )
        db.execute(
            "INSERT INTO submission_evidence (submission_id, code, label, locator, evidence_date) VALUES "
            "(1, '1.1', 'Kế hoạch CCHC năm 2025', 'Mục II, trang 3', '2025-01-20')"
        )


def seed_m0008(db) -> None:  # db: sqlite_utils.Database at schema m0008_add_audit_log
    """The rows of m0007 (the triggers record their inserts), then edits the app makes: a directive
    handled and another cancelled, a task item done, a score changed, the profile saved again."""
    seed_m0007(db)
    with db.atomic():
        db.execute(
            "UPDATE directives SET handled_date = '2025-12-01', urgency = 2, updated_at = '2025-12-01T09:00:00' WHERE id = 2"
        )
        db.execute(
            "UPDATE directives SET cancelled = 1, cancel_reason = 'Đăng ký trùng', cancelled_at = '2025-12-01T09:05:00' "
            "WHERE id = 3"
        )
        db.execute("UPDATE task_items SET status = 'done', completed_date = '2025-12-02' WHERE id = 1")
        db.execute("UPDATE assessment_scores SET self_score = 150, explanation = 'Chấm lại' WHERE id = 1")
        db.execute(
            "UPDATE settings SET value = json_set(value, '$.signer_name', 'Nguyễn Văn B') WHERE key = 'office_profile'"
        )


# Schema version (a name in migrations.KNOWN) -> the function that fills a database at that version.
SEEDERS: dict[str, Callable[[Any], None]] = {
    "m0004_add_assessment": seed_m0004,
    "m0001_create_register": seed_m0001,
    "m0002_add_tasks": seed_m0002,
    "m0003_add_task_tracking": seed_m0003,
    "m0005_add_evidence_suggestions": seed_m0005,
    "m0006_add_reports": seed_m0006,
    "m0007_add_submissions": seed_m0007,
    "m0008_add_audit_log": seed_m0008,
}


def golden_path(name: str) -> Path:
    return HERE / f"db_v{migrations.KNOWN.index(name) + 1}.sqlite"


def make_version(path: Path, name: str) -> None:
    """A database at schema version `name`, filled by its seeder, checkpointed into one file."""
    db = open_db(path)
    try:
        migrations.build(upto=name).apply(db)
        db.execute(f"PRAGMA user_version = {migrations.KNOWN.index(name) + 1}")
        SEEDERS[name](db)
        db.execute("VACUUM")
    finally:
        db.close()


def main(argv: list[str]) -> int:
    force = "--force" in argv
    for name in migrations.KNOWN:
        target = golden_path(name)
        if target.exists() and not force:
            print(f"{target.name}: exists, kept")
            continue
        if name not in SEEDERS:
            print(f"{target.name}: no seeder for {name}; add one to SEEDERS first", file=sys.stderr)
            return 1
        target.unlink(missing_ok=True)
        make_version(target, name)
        print(f"{target.name}: written ({name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
