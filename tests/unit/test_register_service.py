"""The incoming-document register service: số đến allocation, validation, duplicates, search, attachments.

Runs on a copy of the migrated template database (conftest `db`, `db_path`); no Qt.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tempfile
import threading
import unicodedata

import pytest
import time_machine

from parclerk import glossary
from parclerk.data import tables
from parclerk.data.db import open_db
from parclerk.errors import NotFoundError, ValidationError
from parclerk.models import Directive, DirectiveInput
from parclerk.queries import DirectiveQuery
from parclerk.services import directives as service

D = dt.date
TODAY = D(2026, 6, 30)
L = glossary.LABELS

_VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý")


def _is_vietnamese(message: str) -> bool:
    return bool(_VIETNAMESE_LETTERS & set(message.lower()))


def make(**overrides) -> DirectiveInput:
    values = dict(
        ngay_den=D(2026, 3, 2),
        issuer="UBND tỉnh Quảng Ngãi",
        subject="Về việc triển khai kế hoạch cải cách hành chính năm 2026",
        number="",
        doc_type="Công văn",
    )
    values.update(overrides)
    return DirectiveInput(**values)


def register(db, *, today: D = TODAY, **overrides) -> Directive:
    return service.register_directive(db, make(**overrides), today=today).directive


def counter(db, year: int) -> int | None:
    rows = list(db.query("SELECT last FROM so_den_counters WHERE year = ?", [year]))
    return rows[0]["last"] if rows else None


def row_count(db) -> int:
    return db.execute("SELECT count(*) FROM directives").fetchone()[0]


# --- số đến -----------------------------------------------------------------------------------------------------


def test_so_den_is_sequential_within_a_year(db):
    numbers = [register(db, subject=f"Văn bản thứ {i}").so_den for i in range(1, 4)]
    assert numbers == [1, 2, 3]
    directive = service.get_directive(db, 3)
    assert (directive.so_den, directive.so_den_year, directive.so_den_label) == (3, 2026, "3/2026")


def test_so_den_restarts_each_year(db):
    assert register(db, ngay_den=D(2025, 12, 30)).so_den_label == "1/2025"
    assert register(db, ngay_den=D(2025, 12, 31)).so_den_label == "2/2025"
    assert register(db, ngay_den=D(2026, 1, 2)).so_den_label == "1/2026"
    assert register(db, ngay_den=D(2025, 12, 31)).so_den_label == "3/2025"  # a late entry for last year
    assert register(db, ngay_den=D(2026, 1, 3)).so_den_label == "2/2026"
    assert (counter(db, 2025), counter(db, 2026)) == (3, 2)


def test_two_registrations_in_the_same_second_get_distinct_numbers(db):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 30, 0), tick=False):
        first = register(db)
        second = register(db)
    assert first.created_at == second.created_at == "2026-03-02T09:30:00"
    assert (first.so_den, second.so_den) == (1, 2)


def test_a_cancelled_directive_keeps_its_number(db):
    register(db)
    wrong = register(db, subject="Đăng ký nhầm")
    cancelled = service.cancel_directive(db, wrong.id, "  Đăng ký trùng   với số 1 ").directive
    assert (cancelled.so_den, cancelled.cancelled, cancelled.cancel_reason) == (
        2,
        True,
        "Đăng ký trùng với số 1",
    )
    assert cancelled.cancelled_at
    assert register(db).so_den == 3  # no reuse of 2
    restored = service.restore_directive(db, wrong.id).directive
    assert (restored.so_den, restored.cancelled, restored.cancel_reason, restored.cancelled_at) == (
        2,
        False,
        "",
        None,
    )
    assert register(db).so_den == 4


def test_cancel_needs_a_reason(db):
    directive = register(db)
    with pytest.raises(ValidationError) as info:
        service.cancel_directive(db, directive.id, "   ")
    assert list(info.value.fields) == [L["cancel_reason"]]
    assert _is_vietnamese(info.value.message)
    assert not service.get_directive(db, directive.id).cancelled


def test_two_connections_interleaved_never_collide(db, db_path):
    other = open_db(db_path)
    try:
        numbers = []
        for i in range(10):
            numbers.append(register(db, subject=f"Từ kết nối 1, lần {i}").so_den)
            numbers.append(register(other, subject=f"Từ kết nối 2, lần {i}").so_den)
        assert numbers == list(range(1, 21))
        assert row_count(other) == row_count(db) == 20
    finally:
        other.close()


def test_two_threads_with_their_own_connections_never_collide(db_path):
    """The real case: the runner's worker and the CLI (or a second window) writing at once."""
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=30)

    def worker(name: str) -> None:
        connection = open_db(db_path)
        try:
            start.wait()
            results[name] = [register(connection, subject=f"{name} {i}").so_den for i in range(15)]
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("một", "hai")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    numbers = results["một"] + results["hai"]
    assert sorted(numbers) == list(range(1, 31))
    assert results["một"] == sorted(results["một"]) and results["hai"] == sorted(results["hai"])


def test_a_failed_registration_consumes_no_number(db, tmp_path):
    assert register(db).so_den == 1
    with pytest.raises(ValidationError):
        register(db, issuer="")
    with pytest.raises(ValidationError):
        register(db, ngay_den=TODAY + dt.timedelta(days=1))
    with pytest.raises(NotFoundError):  # an attachment that is not there: checked before the number is taken
        service.register_directive(db, make(), files=[tmp_path / "khong-co.pdf"], today=TODAY)
    assert register(db).so_den == 2
    assert counter(db, 2026) == 2
    assert row_count(db) == 2


# --- validation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "label", "phrase"),
    [
        ({"issuer": ""}, "Cơ quan ban hành", "Chưa nhập “Cơ quan ban hành”."),
        ({"issuer": "  \n "}, "Cơ quan ban hành", "Chưa nhập"),
        ({"subject": ""}, "Trích yếu nội dung", "Chưa nhập “Trích yếu nội dung”."),
        ({"ngay_den": TODAY + dt.timedelta(days=1)}, "Ngày đến", "Ngày đến 01/07/2026 ở sau ngày hôm nay."),
        ({"ngay_den": None}, "Ngày đến", "Chưa nhập “Ngày đến”."),
        (
            {"ngay_den": D(2026, 3, 2), "issued_date": D(2026, 3, 3)},
            "Ngày văn bản",
            "Ngày văn bản 03/03/2026 ở sau ngày đến 02/03/2026.",
        ),
        ({"subject": "x" * 501}, "Trích yếu nội dung", "dài 501 ký tự, quá giới hạn 500 ký tự"),
        ({"number": "1" * 43}, "Số, ký hiệu", "quá giới hạn 42 ký tự"),
        ({"handed_date": D(2026, 3, 1)}, "Ngày chuyển", "Ngày chuyển không thể trước ngày đến."),
        ({"urgency": 7}, "Độ khẩn", "Độ khẩn không hợp lệ."),
        ({"page_count": 0}, "Số trang", "Số trang phải là số nguyên dương."),
    ],
)
def test_validation_messages(db, overrides, label, phrase):
    with pytest.raises(ValidationError) as info:
        register(db, **overrides)
    fields = info.value.fields
    assert label in fields, fields
    assert label in glossary.LABELS.values()
    assert phrase in fields[label]
    assert all(_is_vietnamese(message) for message in fields.values())
    assert row_count(db) == 0


def test_validation_reports_every_problem_at_once(db):
    with pytest.raises(ValidationError) as info:
        register(db, issuer="", subject="", ngay_den=TODAY + dt.timedelta(days=3))
    assert set(info.value.fields) == {L["issuer"], L["subject"], L["ngay_den"]}
    assert info.value.message.count("\n") == 2


def test_limits_are_inclusive(db):
    directive = register(db, subject="ư" * 500)
    assert len(directive.subject) == 500


def test_registration_normalises_text(db):
    directive = register(
        db,
        issuer="  UBND   tỉnh\tQuảng Ngãi ",
        subject=unicodedata.normalize("NFD", "  Đề án cải cách  "),
        number="107 / UBND-NC",
    )
    assert directive.issuer == "UBND tỉnh Quảng Ngãi"
    assert directive.subject == "Đề án cải cách"
    assert unicodedata.is_normalized("NFC", directive.subject)
    assert directive.number == "107/UBND-NC"


def test_update_cannot_move_ngay_den_to_another_year(db):
    directive = register(db, ngay_den=D(2026, 1, 2))
    with pytest.raises(ValidationError) as info:
        service.update_directive(
            db, directive.id, dataclasses.replace(directive.to_input(), ngay_den=D(2025, 12, 31)), today=TODAY
        )
    assert list(info.value.fields) == [L["ngay_den"]]
    assert "1/2026" in info.value.message and _is_vietnamese(info.value.message)
    assert service.get_directive(db, directive.id).ngay_den == D(2026, 1, 2)


def test_update_within_the_year_keeps_the_number_and_refreshes_search(db):
    directive = register(db, subject="Kế hoạch cũ")
    changed = service.update_directive(
        db,
        directive.id,
        dataclasses.replace(directive.to_input(), ngay_den=D(2026, 2, 1), subject="Đề án mới"),
        today=TODAY,
    ).directive
    assert (changed.so_den, changed.so_den_year, changed.subject) == (1, 2026, "Đề án mới")
    assert tables.directive_ids(db.conn, DirectiveQuery(text="de an moi")) == [directive.id]
    assert tables.directive_ids(db.conn, DirectiveQuery(text="ke hoach cu")) == []


def test_missing_directive(db):
    with pytest.raises(NotFoundError) as info:
        service.get_directive(db, 999)
    assert _is_vietnamese(info.value.message)


# --- duplicates -------------------------------------------------------------------------------------------------


@pytest.fixture
def registered_107(db) -> Directive:
    return register(
        db,
        ngay_den=D(2021, 3, 5),
        issued_date=D(2021, 3, 1),
        number="107/UBND-NC",
        issuer="UBND tỉnh Quảng Ngãi",
        subject="Về việc tăng cường kỷ luật, kỷ cương hành chính",
    )


@pytest.mark.parametrize(
    ("number", "issuer"),
    [
        ("107/UBND-NC", "UBND tỉnh Quảng Ngãi"),
        ("107/ubnd-nc", "UBND tỉnh Quảng Ngãi"),
        ("107/UBND-NC", "UBND TỈNH QUẢNG NGÃI"),
        ("107/ubnd-nc", "ubnd tinh quang ngai"),
    ],
)
def test_duplicate_found_when_number_and_issuer_fold_equal(db, registered_107, number, issuer):
    hits = service.find_duplicates(
        db, make(ngay_den=D(2021, 3, 8), issued_date=D(2021, 3, 1), number=number, issuer=issuer)
    )
    assert [(hit.id, hit.so_den, hit.so_den_year, hit.cancelled) for hit in hits] == [
        (registered_107.id, 1, 2021, False)
    ]


def test_duplicate_with_old_and_new_tone_placement(db):
    original = register(db, number="15/TB-UBND", issuer="Uỷ ban nhân dân tỉnh Quảng Ngãi")
    hits = service.find_duplicates(db, make(number="15/TB-UBND", issuer="Ủy ban nhân dân tỉnh Quảng Ngãi"))
    assert [hit.id for hit in hits] == [original.id]


@pytest.mark.parametrize(
    "overrides",
    [
        {"issued_date": D(2022, 3, 1), "ngay_den": D(2022, 3, 5)},  # numbers restart every year
        {"issued_date": None, "ngay_den": D(2022, 1, 3)},
        {"number": "108/UBND-NC"},
        {"issuer": "UBND huyện Sơn Tịnh"},
        {"number": ""},
    ],
)
def test_duplicate_not_found(db, registered_107, overrides):
    values = dict(
        ngay_den=D(2021, 3, 8), issued_date=D(2021, 3, 1), number="107/UBND-NC", issuer="UBND tỉnh Quảng Ngãi"
    )
    values.update(overrides)
    assert service.find_duplicates(db, make(**values)) == []


def test_duplicate_check_excludes_the_directive_itself_and_reports_cancelled(db, registered_107):
    values = registered_107.to_input()
    assert service.find_duplicates(db, values, exclude_id=registered_107.id) == []
    service.cancel_directive(db, registered_107.id, "Nhập nhầm")
    assert [hit.cancelled for hit in service.find_duplicates(db, values)] == [True]


# --- search and filters through tables.directive_ids ------------------------------------------------------------


@pytest.fixture
def register_book(db) -> dict[str, int]:
    """A small register with the shapes search must handle; name -> id."""
    entries = {
        "minh": dict(
            number="15/QĐ-UBND",
            doc_type="Quyết định",
            signer="Đặng Văn Minh",
            subject="Quyết định ban hành quy chế",
        ),
        "nc": dict(number="107/UBND-NC", subject="Về việc tăng cường kỷ luật, kỷ cương", urgency=1),
        "de_an": dict(
            subject="Đề án cải cách hành chính & chuyển đổi số", issuer="Ủy ban nhân dân tỉnh Quảng Ngãi"
        ),
        "uy_old": dict(
            subject="Thông báo lịch tiếp công dân",
            issuer="Uỷ ban nhân dân huyện Sơn Tịnh",
            doc_type="Thông báo",
        ),
        "old_year": dict(ngay_den=D(2025, 11, 20), subject="Báo cáo năm 2025", doc_type="Báo cáo", urgency=2),
        "overdue": dict(subject="Phải trả lời trước hạn", deadline=D(2026, 4, 1)),
        "handled": dict(subject="Đã giải quyết xong", deadline=D(2026, 4, 1), handled_date=D(2026, 3, 20)),
        "later": dict(subject="Còn trong hạn", deadline=D(2026, 12, 31)),
        "cancelled": dict(subject="Đăng ký trùng", deadline=D(2026, 4, 1)),
    }
    # A Sở by default: "uy ban" also finds every "UBND ..." issuer since UBND is spelled out for search.
    ids = {
        name: register(db, **{"issuer": "Sở Nội vụ tỉnh Quảng Ngãi", **values}).id
        for name, values in entries.items()
    }
    service.cancel_directive(db, ids["cancelled"], "Đăng ký trùng với văn bản khác")
    return ids


def ids_for(db, **query) -> set[int]:
    return set(tables.directive_ids(db.conn, DirectiveQuery(**query)))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("dang van minh", {"minh"}),
        ("Đặng Văn Minh", {"minh"}),
        ("ĐẶNG VĂN MINH", {"minh"}),
        ("dang", {"minh", "cancelled"}),  # Đặng and Đăng ký fold alike
        ("QĐ", {"minh"}),
        ("qd", {"minh"}),
        ("15/QĐ-UBND", {"minh"}),
        ("15/qd-ubnd", {"minh"}),
        ("107/UBND-NC", {"nc"}),
        ("ky luat", {"nc"}),
        ("de an", {"de_an"}),
        ("uy ban", {"de_an", "uy_old"}),
        ("Uỷ ban", {"de_an", "uy_old"}),
        ("Ủy ban nhân dân", {"de_an", "uy_old"}),
        ("chuyển đổi s", {"de_an"}),  # the last word is a prefix
        ("&", set()),
    ],
)
def test_search(db, register_book, text, names):
    assert ids_for(db, text=text) == {register_book[name] for name in names}


@pytest.mark.parametrize(
    "text", ['"', '""', "NOT", "AND", "OR", "*", "NEAR(", "a NOT b", "(", "-", "^", "\x00"]
)
def test_search_with_operators_does_not_raise(db, register_book, text):
    assert isinstance(tables.directive_ids(db.conn, DirectiveQuery(text=text)), list)


def test_empty_search_lists_everything_newest_first(db, register_book):
    ids = tables.directive_ids(db.conn, DirectiveQuery(text="   "))
    assert len(ids) == len(register_book)
    assert ids[0] == register_book["cancelled"]  # 8/2026, the highest number this year
    assert ids[-1] == register_book["old_year"]  # 1/2025


def test_filter_year(db, register_book):
    assert ids_for(db, year=2025) == {register_book["old_year"]}
    assert register_book["old_year"] not in ids_for(db, year=2026)
    assert len(ids_for(db, year=2026)) == len(register_book) - 1


def test_filter_doc_type(db, register_book):
    assert ids_for(db, doc_type="Quyết định") == {register_book["minh"]}
    assert ids_for(db, doc_type="Thông báo") == {register_book["uy_old"]}


def test_filter_urgency(db, register_book):
    assert ids_for(db, urgency=1) == {register_book["nc"]}
    assert ids_for(db, urgency=2) == {register_book["old_year"]}
    assert ids_for(db, urgency=3) == set()


def test_filter_overdue_only(db, register_book):
    # Cancelled and handled ones are never overdue; "later" is not due yet on 30/06/2026.
    assert ids_for(db, overdue_only=True, today=D(2026, 6, 30)) == {register_book["overdue"]}
    assert ids_for(db, overdue_only=True, today=D(2026, 4, 1)) == set()  # due today is not overdue
    assert ids_for(db, overdue_only=True, today=D(2027, 1, 1)) == {
        register_book["overdue"],
        register_book["later"],
    }


def test_filter_include_cancelled(db, register_book):
    assert register_book["cancelled"] in ids_for(db, include_cancelled=True)
    assert register_book["cancelled"] not in ids_for(db, include_cancelled=False)
    assert ids_for(db, text="dang ky trung", include_cancelled=False) == set()


def test_filters_combine(db, register_book):
    assert ids_for(db, text="uy ban", doc_type="Thông báo", year=2026) == {register_book["uy_old"]}
    assert ids_for(db, text="uy ban", year=2025) == set()


def test_sort_by_issuer_in_vietnamese_order(db):
    issuers = [
        "Văn phòng UBND tỉnh",
        "Đảng ủy xã",
        "Ban Chỉ huy quân sự",
        "Ân Hảo",
        "An Phú",
        "Sở Nội vụ",
        "Ủy ban MTTQ",
    ]
    for issuer in issuers:
        register(db, issuer=issuer)
    ids = tables.directive_ids(db.conn, DirectiveQuery(sort="issuer", descending=False))
    rows = tables.directive_rows(db.conn, ids)
    assert [rows[i]["issuer"] for i in ids] == [
        "An Phú",
        "Ân Hảo",
        "Ban Chỉ huy quân sự",
        "Đảng ủy xã",
        "Sở Nội vụ",
        "Ủy ban MTTQ",
        "Văn phòng UBND tỉnh",
    ]


# --- attachments ------------------------------------------------------------------------------------------------


@pytest.fixture
def viewing_dir(tmp_path, monkeypatch):
    """copy_for_viewing writes under the system temp folder: keep it inside this test's folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def scan(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    path = folder / "Công văn 107 UBND-NC.PDF"
    path.write_bytes(b"%PDF-1.4\n" + "Bản quét công văn số 107/UBND-NC".encode() * 50)
    return path


def _stored_files(db_path):
    return sorted(p for p in (db_path.parent / "files").rglob("*") if p.is_file())


def test_register_with_a_file_stores_it_by_hash_beside_the_db(db, db_path, scan):
    directive = service.register_directive(db, make(), files=[scan], today=TODAY).directive
    content = scan.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    stored = db_path.parent / "files" / sha[:2] / f"{sha}.pdf"
    assert stored.read_bytes() == content
    assert _stored_files(db_path) == [stored]  # and no temporary file left behind
    [attachment] = directive.attachments
    assert (attachment.sha256, attachment.original_name, attachment.size) == (sha, scan.name, len(content))
    assert attachment.directive_id == directive.id


def test_same_content_is_stored_once(db, db_path, scan, tmp_path):
    copy = tmp_path / "ban-sao.pdf"
    copy.write_bytes(scan.read_bytes())
    first = service.register_directive(db, make(), files=[scan], today=TODAY).directive
    second = service.register_directive(db, make(subject="Văn bản khác"), files=[copy], today=TODAY).directive
    again = service.attach_files(db, first.id, [scan, copy]).directive
    assert len(_stored_files(db_path)) == 1
    assert [a.original_name for a in second.attachments] == ["ban-sao.pdf"]
    assert len(again.attachments) == 1  # the same content on the same directive is one attachment


def test_copy_for_viewing_has_the_original_name(db, scan, viewing_dir):
    directive = service.register_directive(db, make(), files=[scan], today=TODAY).directive
    [attachment] = directive.attachments
    copy = service.attachment_for_viewing(db, directive.id, attachment.id)
    assert copy.name == "Công văn 107 UBND-NC.PDF"
    assert copy.read_bytes() == scan.read_bytes()
    assert viewing_dir in copy.parents


def test_missing_stored_file_gives_not_found(db, db_path, scan, viewing_dir):
    directive = service.register_directive(db, make(), files=[scan], today=TODAY).directive
    [attachment] = directive.attachments
    for stored in _stored_files(db_path):
        stored.unlink()
    with pytest.raises(NotFoundError) as info:
        service.attachment_for_viewing(db, directive.id, attachment.id)
    assert "Không tìm thấy tệp gốc “Công văn 107 UBND-NC.PDF”" in info.value.message


def test_unknown_attachment_id_gives_not_found(db, scan):
    directive = service.register_directive(db, make(), files=[scan], today=TODAY).directive
    with pytest.raises(NotFoundError) as info:
        service.attachment_for_viewing(db, directive.id, 999)
    assert _is_vietnamese(info.value.message)


def test_cancelling_twice_is_refused_and_keeps_the_first_reason(db):
    d = service.register_directive(
        db, DirectiveInput(ngay_den=D(2024, 5, 2), issuer="Sở Nội vụ", subject="V/v thử"), today=TODAY
    ).directive
    service.cancel_directive(db, d.id, "Đăng ký trùng")
    with pytest.raises(ValidationError, match="đã được hủy trước đó"):
        service.cancel_directive(db, d.id, "Lý do khác")
    assert service.get_directive(db, d.id).cancel_reason == "Đăng ký trùng"


def test_temporary_leftovers_of_a_killed_copy_are_removed_when_old_enough(db, db_path, scan):
    import os
    import time

    from parclerk import paths
    from parclerk.services.attachments import remove_incoming

    service.register_directive(db, make(), files=[scan], today=TODAY)
    files = paths.files_dir(db_path)
    old, fresh = files / ".incoming-abc123", files / ".incoming-def456"
    old.write_bytes(b"half a copy")
    fresh.write_bytes(b"a copy under way")
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    assert remove_incoming(files) == 1
    assert not old.exists() and fresh.exists()  # a copy still under way is left alone
    assert remove_incoming(files, older_than=0) == 1 and not fresh.exists()
    assert len(_stored_files(db_path)) == 1  # the stored original is kept
    assert remove_incoming(db_path.parent / "no-such-folder") == 0
