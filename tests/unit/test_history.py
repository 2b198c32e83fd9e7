"""The audit trail (issue 8 §5): every change to a directive, task, score or setting is recorded by triggers
with its old and new value and when, in the same transaction, and read back in the clerk's words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from parclerk.data import migrations
from parclerk.errors import NotFoundError, ValidationError
from parclerk.models import OfficeProfile, TaskInput
from parclerk.services import assessment, history, settings, tasks
from parclerk.services import directives as service
from parclerk.tracking import TrackingSettings
from tests.unit.test_assessment import _set
from tests.unit.test_register_service import make

D = dt.date
TODAY = D(2026, 6, 30)


def register(db, **overrides):
    overrides.setdefault("number", "107/UBND-NC")
    return service.register_directive(db, make(**overrides), today=TODAY).directive


def audit_count(db) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def test_registering_records_one_entry_and_each_edit_its_changed_fields_only(db):
    d = register(db)
    [created] = history.directive_history(db, d.id)
    assert (created.record, created.action, created.kind) == ("Văn bản", "Vào sổ", "insert")
    assert created.new == "số đến 1/2026 (107/UBND-NC, UBND tỉnh Quảng Ngãi)"
    dt.datetime.fromisoformat(created.at)  # a real timestamp

    before = audit_count(db)
    service.update_directive(db, d.id, d.to_input(), today=TODAY)  # saved unchanged: nothing to record
    assert audit_count(db) == before

    edited = dataclasses.replace(
        d.to_input(), deadline=D(2026, 4, 15), urgency=2, subject=d.subject + " (bổ sung)"
    )
    service.update_directive(db, d.id, edited, today=TODAY)
    changes = {c.field: c for c in history.directive_history(db, d.id) if c.kind == "update"}
    assert set(changes) == {"Hạn giải quyết", "Độ khẩn", "Trích yếu nội dung"}
    assert (changes["Hạn giải quyết"].old, changes["Hạn giải quyết"].new) == ("", "15/04/2026")
    assert (changes["Độ khẩn"].old, changes["Độ khẩn"].new) == ("Thường", "Thượng khẩn")
    assert changes["Trích yếu nội dung"].new.endswith("(bổ sung)")
    assert "(trống) → 15/04/2026" in changes["Hạn giải quyết"].line()


def test_a_cancelled_directive_keeps_its_number_and_the_history_says_who_what_when(db):
    first, second = register(db), register(db, number="108/UBND-NC")
    service.cancel_directive(db, first.id, "Đăng ký trùng")
    again = service.get_directive(db, first.id)
    assert (again.so_den, again.cancelled) == (first.so_den, True)
    third = register(db, number="109/UBND-NC")
    assert third.so_den == second.so_den + 1 == 3  # the cancelled number is never given again
    service.restore_directive(db, first.id)
    actions = [(c.action, c.field, c.old, c.new) for c in history.directive_history(db, first.id)]
    assert actions[:4] == [
        ("Sửa", "Lý do hủy", "Đăng ký trùng", ""),
        ("Khôi phục", "", "Đã hủy", "Còn hiệu lực"),
        ("Sửa", "Lý do hủy", "", "Đăng ký trùng"),
        ("Hủy", "", "Còn hiệu lực", "Đã hủy"),
    ]


def test_files_tasks_and_periods_show_in_the_directive_history(db, tmp_path):
    d = register(db)
    original = tmp_path / "Công văn 107.pdf"
    original.write_bytes(b"%PDF-1.4 test" * 200)
    service.attach_files(db, d.id, [original])
    task = TaskInput("Báo cáo kết quả CCHC", ref="2", deadline=D(2026, 3, 20), recurrence="quarterly")
    tasks.create_task(db, task, directive_id=d.id)
    tasks.ensure_items(db, today=TODAY)
    item_id, label = db.execute(
        "SELECT id, period_label FROM task_items WHERE period_label != '' ORDER BY due_date LIMIT 1"
    ).fetchone()
    tasks.complete_items(db, [item_id], D(2026, 3, 18), reply_number="12/BC-UBND", today=TODAY)
    tasks.reopen_items(db, [item_id], reason="Thiếu số liệu", today=TODAY)
    changes = history.directive_history(db, d.id)
    lines = [c.line().split("  ", 1)[1] for c in changes]
    assert "Tệp gốc: Thêm tệp gốc: Công văn 107.pdf (3 KB)" in lines
    assert "Nhiệm vụ 2: Thêm nhiệm vụ: 2. Báo cáo kết quả CCHC" in lines
    assert f"Kỳ {label}: Hoàn thành: Đang thực hiện → Đã hoàn thành" in lines
    assert f"Kỳ {label}: Mở lại: Đã hoàn thành → Đang thực hiện" in lines
    assert f"Kỳ {label}: Sửa Ngày hoàn thành: 18/03/2026 → (trống)" in lines
    task_id = db.execute("SELECT id FROM tasks").fetchone()[0]
    assert [c for c in history.task_history(db, task_id) if c.record.startswith("Kỳ")] == [
        c for c in changes if c.record.startswith("Kỳ")
    ]


def test_scores_explanations_and_evidence_have_a_history_per_criterion(db):
    set_id = assessment.save_set(db, _set())
    a = assessment.start_assessment(db, set_id, 2025)
    d = register(db)
    assessment.set_score(db, a, "1.2.1", "15", explanation="Đúng hạn")
    assessment.set_score(db, a, "1.2.1", "10,5", explanation="Chậm 1 báo cáo quý")
    assessment.set_score(db, a, "1.2.1", None)
    assessment.add_evidence(db, a, "1.2.1", directive_id=d.id, locator="trang 2")
    evidence_id = db.execute("SELECT id FROM evidence").fetchone()[0]
    assessment.remove_evidence(db, evidence_id)
    assessment.set_score(db, a, "1.1", "30")

    own = [(c.action, c.field, c.old, c.new) for c in history.score_history(db, a, "1.2.1")]
    assert own == [
        ("Gỡ minh chứng", "", "văn bản đến 1/2026 (107/UBND-NC); trang 2", ""),
        ("Thêm minh chứng", "", "", "văn bản đến 1/2026 (107/UBND-NC); trang 2"),
        ("Sửa", "Điểm tự chấm", "10,5", ""),
        ("Sửa", "Giải trình", "Đúng hạn", "Chậm 1 báo cáo quý"),
        ("Sửa", "Điểm tự chấm", "15", "10,5"),
        ("Sửa", "Giải trình", "", "Đúng hạn"),
        ("Sửa", "Điểm tự chấm", "", "15"),
    ]
    parent = history.score_history(db, a, "1.2")  # a criterion with sub-criteria shows theirs
    assert {c.record for c in parent} == {"Mã 1.2.1"}
    assert {c.record for c in history.score_history(db, a, "1")} == {"Mã 1.1", "Mã 1.2.1"}


def test_settings_history_opens_the_profile_into_the_fields_that_changed(db):
    profile = OfficeProfile(unit_name="UBND xã Ba Điền", place_name="Ba Tơ", signer_name="Nguyễn Văn An")
    settings.save_profile(db, profile)
    settings.save_profile(db, dataclasses.replace(profile, signer_name="Trần Thị Bình", level="so"))
    tasks.save_tracking_settings(db, TrackingSettings(warn_rate=0.25))
    changes = [(c.record, c.action, c.field, c.old, c.new) for c in history.settings_history(db)]
    assert (
        "Cài đặt theo dõi nhiệm vụ",
        "Nhập",
        "Cảnh báo đơn vị khi tỷ lệ chậm, trễ từ",
        "",
        "25%",
    ) in changes
    assert ("Thông tin đơn vị", "Sửa", "Người ký thường xuyên", "Nguyễn Văn An", "Trần Thị Bình") in changes
    assert ("Thông tin đơn vị", "Sửa", "Cấp đơn vị", "Xã, phường, đặc khu", "Sở, ban, ngành") in changes
    assert not any(c[2] == "Tên cơ quan, đơn vị" and c[1] == "Sửa" for c in changes)  # unchanged: not listed
    assert not any(c[3] == c[4] == "" for c in changes)  # empty fields of the first save are not listed


def test_the_global_log_names_each_record_and_narrows_by_kind(db):
    d = register(db)
    service.cancel_directive(db, d.id, "Nhập nhầm")
    settings.save_profile(db, OfficeProfile(unit_name="UBND xã Ba Điền", place_name="Ba Tơ"))
    everything = history.recent(db)
    assert everything[0].record == "Thông tin đơn vị"
    assert {c.record for c in history.recent(db, kind="directive")} == {"Văn bản đến 1/2026 (107/UBND-NC)"}
    assert history.recent(db, kind="task") == []
    assert [c.field for c in history.recent(db, kind="directive", limit=2)] == ["Lý do hủy", ""]


def test_a_write_that_fails_records_nothing(db):
    d = register(db)
    before = audit_count(db)
    with pytest.raises(sqlite3.IntegrityError), db.atomic():
        db.execute("UPDATE directives SET subject = 'Sửa dở' WHERE id = ?", [d.id])
        db.execute("UPDATE directives SET urgency = 9 WHERE id = ?", [d.id])  # CHECK fails: all rolls back
    assert audit_count(db) == before
    with pytest.raises(ValidationError):
        service.cancel_directive(db, d.id, "")
    assert audit_count(db) == before


def test_directive_lookup_by_so_den(db):
    d = register(db)
    assert history.directive_id_for(db, "1/2026") == d.id
    with pytest.raises(NotFoundError, match="không có số đến 5"):
        history.directive_id_for(db, "5/2026")
    with pytest.raises(ValidationError, match="số/năm"):
        history.directive_id_for(db, "abc")


DERIVED = {"id", "created_at", "updated_at", "cancelled_at", "so_den_year", "search_fold"}


@pytest.mark.parametrize(
    ("table", "also_unaudited"),
    [
        ("directives", set()),
        ("tasks", {"position", "lead_unit_id"}),
        ("task_items", {"task_id", "period_key", "period_label", "scope", "due_sort", "late"}),
        ("assessment_scores", {"assessment_id", "code"}),
        ("evidence", {"assessment_id", "code", "sha256"}),
    ],
)
def test_every_column_a_clerk_edits_is_audited(db, table, also_unaudited):
    """A migration that adds a column the clerk can change must add it to the audit (a new migration that
    recreates the trigger): this fails until it does."""
    columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    derived = {c for c in columns if c.endswith(("_fold", "_sort"))} | DERIVED | also_unaudited
    audited = set(migrations._AUDIT_M0008[table][1])
    assert columns - derived == audited
