"""The audit trail read back: what changed in a record, when, and from what to what, in the clerk's words.

The rows come from triggers (migration m0008), one per changed field, written in the same transaction as the
change whatever code made it; this module only reads them. Values are shown as the screens show them: field
labels from the glossary, dates dd/mm/yyyy, points "2,5", codes as their labels, a JSON setting opened up
into the fields that changed. Newest first everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parclerk import glossary
from parclerk.criteria import format_points
from parclerk.dates import format_dmy
from parclerk.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from sqlite_utils import Database

EMPTY = "(trống)"

# Which records the global log can be narrowed to: key -> (label, owner prefixes).
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "": ("Tất cả", ()),
    "directive": ("Văn bản đến", ("directive:",)),
    "task": ("Nhiệm vụ", ("task:",)),
    "score": ("Chỉ số CCHC", ("score:", "set:")),
    "setting": ("Cài đặt, danh mục", ("setting:", "unit:", "collection:")),
    "outgoing": ("Văn bản đi", ("outgoing:",)),
}

SETTING_LABELS: dict[str, str] = {
    "office_profile": "Thông tin đơn vị",
    "tracking": "Cài đặt theo dõi nhiệm vụ",
    "periodic_report_outline": "Đề cương báo cáo định kỳ",
    "source_id": "Mã nhận diện dữ liệu (dùng khi xuất bài nộp)",
}
_SETTING_FIELDS: dict[str, dict[str, str]] = {
    "office_profile": glossary.PROFILE_LABELS,
    "tracking": {
        "cutoff_day": "Ngày chốt số liệu",
        "report_due_working_days": "Hạn gửi báo cáo sau ngày chốt (ngày làm việc)",
        "remind_within_days": "Nhắc việc đến hạn trong (ngày)",
        "warn_rate": "Cảnh báo đơn vị khi tỷ lệ chậm, trễ từ",
        "fail_rate": "Đơn vị không hoàn thành nhiệm vụ khi từ",
    },
}

_FIELD_LABELS: dict[str, dict[str, str]] = {
    "directives": {**glossary.LABELS, "cancelled": "Tình trạng"},
    "attachments": {},
    "tasks": {**glossary.TASK_LABELS, "directive_id": "Văn bản giao"},
    "task_items": glossary.TASK_LABELS,
    "assessment_scores": {
        "self_score": "Điểm tự chấm",
        "appraised_score": "Điểm thẩm định",
        "answer": "Trả lời",
        "explanation": "Giải trình",
    },
    "evidence": {
        "directive_id": "Văn bản làm minh chứng",
        "original_name": "Tệp minh chứng",
        "description": "Mô tả minh chứng",
        "locator": "Vị trí trong tài liệu",
        "evidence_date": "Ngày của tài liệu",
        "suggested": "Minh chứng",
    },
    "criteria_sets": {"name": "Tên bộ chỉ số", "classifications": "Mức xếp loại"},
    "outgoing": {
        "number": "Số văn bản đi",
        "symbol": "Ký hiệu",
        "doc_type": "Loại văn bản",
        "issued_date": "Ngày văn bản",
        "subject": "Trích yếu",
        "recipients": "Nơi nhận",
        "signer": "Người ký",
        "cancelled": "Tình trạng",
    },
    "units": {"name": "Tên đơn vị", "kind": "Loại đơn vị", "active": "Đang dùng"},
    "collection_units": {"name": "Tên đơn vị", "expected": "Phải nộp", "ranked": "Xếp hạng"},
}

# (table, action) -> what a whole-record change is called.
_RECORD_ACTIONS: dict[tuple[str, str], str] = {
    ("directives", "insert"): "Vào sổ",
    ("directives", "delete"): "Xóa khỏi sổ",
    ("attachments", "insert"): "Thêm tệp gốc",
    ("attachments", "delete"): "Gỡ tệp gốc",
    ("tasks", "insert"): "Thêm nhiệm vụ",
    ("tasks", "delete"): "Xóa nhiệm vụ",
    ("evidence", "insert"): "Thêm minh chứng",
    ("evidence", "delete"): "Gỡ minh chứng",
    ("criteria_sets", "insert"): "Nhập bộ chỉ số",
    ("outgoing", "insert"): "Cấp số văn bản đi",
    ("outgoing", "delete"): "Xóa số văn bản đi",
    ("units", "insert"): "Thêm đơn vị",
    ("units", "delete"): "Xóa đơn vị",
    ("collection_units", "insert"): "Thêm vào danh sách đơn vị",
    ("collection_units", "delete"): "Bỏ khỏi danh sách đơn vị",
}
_ACTIONS = {"insert": "Nhập", "update": "Sửa", "delete": "Xóa"}

_DATES = {
    "ngay_den",
    "issued_date",
    "handed_date",
    "deadline",
    "handled_date",
    "due_date",
    "completed_date",
    "evidence_date",
}
_YES_NO = {0: "Không", 1: "Có"}
_CHOICES: dict[str, dict[Any, str]] = {
    "urgency": glossary.URGENCY,
    "secrecy": glossary.SECRECY,
    "cancelled": {0: "Còn hiệu lực", 1: "Đã hủy"},
    "status": {"open": "Đang thực hiện", "done": "Đã hoàn thành", "cancelled": "Đã hủy"},
    "recurrence": {**glossary.RECURRENCE_LABELS, None: "Không định kỳ"},
    "concerns_office": _YES_NO,
    "active": _YES_NO,
    "expected": _YES_NO,
    "ranked": {0: "Không xếp hạng", 1: "Có xếp hạng"},
    "suggested": {0: "Dùng cho năm nay", 1: "Gợi ý từ năm trước"},
    "level": glossary.LEVELS,
}


@dataclass(frozen=True)
class Change:
    at: str  # "2026-11-23T14:05:09", local time
    record: str  # what it belongs to: "Văn bản", "Nhiệm vụ 1.a", "Kỳ Quý I/2025", "Văn bản đến 12/2025", ...
    action: str  # "Vào sổ", "Sửa", "Hủy", "Hoàn thành", "Thêm minh chứng", ...
    field: str  # the field's label; "" for a whole record
    old: str
    new: str
    kind: str = "update"  # insert, update or delete: an update shows old -> new, the others one value

    @property
    def when(self) -> str:
        """23/11/2026 14:05"""
        stamp = dt.datetime.fromisoformat(self.at)
        return f"{stamp:%d/%m/%Y %H:%M}"

    def line(self) -> str:
        what = f"{self.record}: {self.action}" + (f" {self.field}" if self.field else "")
        if self.kind == "update":
            text = f"{self.old or EMPTY} → {self.new or EMPTY}"
        else:
            text = self.new or self.old
        return f"{self.when}  {what}: " + " / ".join(text.splitlines())


# --- one record's history ---------------------------------------------------------------------------------------


def directive_history(db: Database, directive_id: int, *, limit: int = 2000) -> list[Change]:
    """The directive's own changes, its original files and the tasks it assigns (with their work items)."""
    task_ids = [
        r[0] for r in db.execute("SELECT id FROM tasks WHERE directive_id = ?", [directive_id]).fetchall()
    ]
    owners = [f"directive:{directive_id}", *(f"task:{t}" for t in task_ids)]
    return _changes(db, _rows(db, owners, limit=limit), in_directive=True)


def directive_id_for(db: Database, label: str) -> int:
    """The directive registered as số đến "12/2025" (number/year)."""
    number, _, year = label.strip().partition("/")
    if not (number.isdigit() and year.isdigit()):
        raise ValidationError({"Số đến": f"“{label}” không phải số đến dạng số/năm, ví dụ 12/2025."})
    row = db.execute(
        "SELECT id FROM directives WHERE so_den = ? AND so_den_year = ?", [int(number), int(year)]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"Sổ văn bản đến năm {year} không có số đến {number}.")
    return int(row[0])


def task_history(db: Database, task_id: int, *, limit: int = 2000) -> list[Change]:
    return _changes(db, _rows(db, [f"task:{task_id}"], limit=limit))


def score_history(db: Database, assessment_id: int, code: str, *, limit: int = 2000) -> list[Change]:
    """One criterion's scores, explanations and evidence; for a criterion with sub-criteria, theirs too."""
    rows = _query(
        db,
        "a.owner = ? OR (a.owner > ? AND a.owner < ?)",
        [f"score:{assessment_id}:{code}", f"score:{assessment_id}:{code}.", f"score:{assessment_id}:{code}/"],
        limit,
    )
    return _changes(db, rows)


def settings_history(db: Database, *, limit: int = 2000) -> list[Change]:
    return recent(db, kind="setting", limit=limit)


def recent(db: Database, *, kind: str = "", limit: int = 1000) -> list[Change]:
    """The newest changes of every record (or of one kind, a key of KINDS), each named by its record."""
    prefixes = KINDS[kind][1]
    where = " OR ".join("(a.owner >= ? AND a.owner < ?)" for _ in prefixes) or "1"
    params = [bound for p in prefixes for bound in (p, p[:-1] + ";")]  # ';' follows ':' in ASCII
    rows = _query(db, where, params, limit)
    return _changes(db, rows, names=_owner_names(db, {r["owner"] for r in rows}))


def _rows(db: Database, owners: Sequence[str], *, limit: int) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in owners)
    return _query(db, f"a.owner IN ({marks})", list(owners), limit)


def _query(db: Database, where: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
    sql = (
        "SELECT a.*, ti.period_label FROM audit_log a "
        "LEFT JOIN task_items ti ON a.tbl = 'task_items' AND ti.id = a.row_id "
        f"WHERE {where} ORDER BY a.id DESC LIMIT ?"
    )
    return list(db.query(sql, [*params, limit]))


# --- rows -> changes --------------------------------------------------------------------------------------------


def _changes(
    db: Database,
    rows: list[dict[str, Any]],
    *,
    in_directive: bool = False,
    names: dict[str, str] | None = None,
) -> list[Change]:
    directives = _directive_labels(db, _directive_ids(rows))
    tasks = _task_refs(db, {int(r["owner"].split(":")[1]) for r in rows if r["owner"].startswith("task:")})
    changes: list[Change] = []
    for row in rows:
        record = names[row["owner"]] if names is not None else _record(row, tasks, in_directive)
        changes.extend(_row_changes(row, record, directives))
    return changes


def _record(row: dict[str, Any], tasks: dict[int, str], in_directive: bool) -> str:
    table = row["tbl"]
    if table == "directives":
        return "Văn bản"
    if table == "attachments":
        return "Tệp gốc"
    if table in ("tasks", "task_items"):
        if table == "task_items" and row["period_label"]:
            return f"Kỳ {row['period_label']}"
        ref = tasks.get(int(row["owner"].split(":")[1]), "")
        return f"Nhiệm vụ {ref}".strip() if in_directive else "Nhiệm vụ"
    if table in ("assessment_scores", "evidence"):
        return f"Mã {row['owner'].split(':', 2)[2]}"
    if table == "settings":
        key = row["owner"].split(":", 1)[1]
        return SETTING_LABELS.get(key, key)
    return ""


def _row_changes(row: dict[str, Any], record: str, directives: dict[int, str]) -> Iterable[Change]:
    table, action, field = row["tbl"], row["action"], row["field"]
    at = row["at"]
    if table == "settings":
        yield from _setting_changes(row, record)
        return
    if not field:  # a whole record inserted or deleted, summarised
        summary = _summary(table, row["new_value"] if action == "insert" else row["old_value"], directives)
        old, new = ("", summary) if action == "insert" else (summary, "")
        yield Change(at, record, _RECORD_ACTIONS.get((table, action), _ACTIONS[action]), "", old, new, action)
        return
    old, new = row["old_value"], row["new_value"]
    label = _FIELD_LABELS.get(table, {}).get(field, field)
    if action == "insert":
        verb = "Nhập"
    elif field == "cancelled":
        verb = "Hủy" if new else "Khôi phục"
        label = ""
    elif field == "status" and table in ("task_items", "tasks"):
        verb = {"done": "Hoàn thành", "open": "Mở lại"}.get(new, "Sửa")
        label = ""
    else:
        verb = _ACTIONS[action]
    yield Change(
        at, record, verb, label, _value(field, old, directives), _value(field, new, directives), action
    )


def _setting_changes(row: dict[str, Any], record: str) -> Iterable[Change]:
    key = row["owner"].split(":", 1)[1]
    old, new = _json(row["old_value"]), _json(row["new_value"])
    verb = _ACTIONS[row["action"]]
    if isinstance(old, dict | None) and isinstance(new, dict | None) and (old or new):
        old, new = old or {}, new or {}
        labels = _SETTING_FIELDS.get(key, {})
        for name in list(dict.fromkeys([*old, *new])):
            before, after = _setting_value(name, old.get(name)), _setting_value(name, new.get(name))
            if before != after:
                yield Change(row["at"], record, verb, labels.get(name, name), before, after, row["action"])
        return
    yield Change(row["at"], record, verb, "", _text(old), _text(new), row["action"])


def _setting_value(name: str, value: Any) -> str:
    if name.endswith("_rate") and isinstance(value, int | float):
        return f"{value * 100:g}%".replace(".", ",")
    return _value(name, value, {})


def _value(field: str, value: Any, directives: dict[int, str]) -> str:
    if field in _CHOICES and value in _CHOICES[field]:
        return _CHOICES[field][value]
    if value is None or value == "":
        return ""
    if field in _DATES:
        return _date(value)
    if field in ("self_score", "appraised_score") and isinstance(value, int):
        return format_points(value)
    if field == "directive_id" and isinstance(value, int):
        return directives.get(value, f"văn bản #{value}")
    if field == "coordinating_units":
        units = _json(value)
        return "; ".join(units) if isinstance(units, list) else str(value)
    if field == "classifications":
        ranks = _json(value)
        if isinstance(ranks, list):
            return "; ".join(f"{r.get('label', '')} từ {r.get('minimum_percent', '')}%" for r in ranks)
    if field == "size" and isinstance(value, int):
        return f"{max(1, round(value / 1024)):,} KB".replace(",", ".")
    return str(value)


def _summary(table: str, value: Any, directives: dict[int, str]) -> str:
    data = _json(value)
    if not isinstance(data, dict):
        return _text(data)
    if table == "directives":
        head = f"số đến {data.get('so_den')}/{data.get('so_den_year')}"
        rest = ", ".join(str(data[k]) for k in ("number", "issuer") if data.get(k))
        return f"{head} ({rest})" if rest else head
    if table == "attachments":
        return f"{data.get('original_name', '')} ({_value('size', data.get('size'), directives)})"
    if table == "tasks":
        ref = f"{data['ref']}. " if data.get("ref") else ""
        return ref + str(data.get("content", ""))
    if table == "evidence":
        what = [_value("directive_id", data.get("directive_id"), directives), data.get("original_name") or ""]
        what += [str(data.get("description") or ""), str(data.get("locator") or "")]
        return "; ".join(dict.fromkeys(w for w in what if w))
    if table == "outgoing":
        return (
            f"số {data.get('number')}/{data.get('symbol')} năm {data.get('year')}: {data.get('subject', '')}"
        )
    parts = [_value(k, v, directives) for k, v in data.items() if k in ("name", "year")]
    return " ".join(p for p in parts if p)


def _directive_ids(rows: list[dict[str, Any]]) -> set[int]:
    ids: set[int] = set()
    for row in rows:
        if row["field"] == "directive_id":
            ids.update(v for v in (row["old_value"], row["new_value"]) if isinstance(v, int))
        elif row["tbl"] == "evidence" and not row["field"]:
            data = _json(row["new_value"] or row["old_value"])
            if isinstance(data, dict) and isinstance(data.get("directive_id"), int):
                ids.add(data["directive_id"])
    return ids


def _directive_labels(db: Database, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(
        f"SELECT id, so_den, so_den_year, number FROM directives WHERE id IN ({marks})", list(ids)
    ).fetchall()
    return {i: f"văn bản đến {s}/{y}" + (f" ({n})" if n else "") for i, s, y, n in rows}


def _task_refs(db: Database, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(f"SELECT id, ref, position FROM tasks WHERE id IN ({marks})", list(ids)).fetchall()
    return {i: ref or str(position) for i, ref, position in rows}


def _owner_names(db: Database, owners: set[str]) -> dict[str, str]:
    """What each owner key is, for the global log: "Văn bản đến 12/2025", "Nhiệm vụ: Rà soát…", ..."""
    by_kind: dict[str, set[str]] = {}
    for owner in owners:
        kind, _, rest = owner.partition(":")
        by_kind.setdefault(kind, set()).add(rest)
    names: dict[str, str] = {}
    directive_ids = {int(i) for i in by_kind.get("directive", ())}
    for i, label in _directive_labels(db, directive_ids).items():
        names[f"directive:{i}"] = label[0].upper() + label[1:]
    for rest in by_kind.get("task", ()):
        row = db.execute("SELECT ref, content FROM tasks WHERE id = ?", [int(rest)]).fetchone()
        content = _short(row[1]) if row else f"#{rest}"
        names[f"task:{rest}"] = f"Nhiệm vụ: {content}"
    for rest in by_kind.get("score", ()):
        assessment, _, code = rest.partition(":")
        row = db.execute("SELECT year FROM assessments WHERE id = ?", [int(assessment)]).fetchone()
        names[f"score:{rest}"] = f"Chỉ số CCHC {row[0] if row else ''}, mã {code}".replace("  ", " ")
    for rest in by_kind.get("set", ()):
        row = db.execute("SELECT name, year FROM criteria_sets WHERE id = ?", [int(rest)]).fetchone()
        names[f"set:{rest}"] = f"Bộ chỉ số {row[1]}: {row[0]}" if row else "Bộ chỉ số"
    for rest in by_kind.get("setting", ()):
        names[f"setting:{rest}"] = SETTING_LABELS.get(rest, rest)
    for rest in by_kind.get("outgoing", ()):
        row = db.execute("SELECT number, symbol, year FROM outgoing WHERE id = ?", [int(rest)]).fetchone()
        names[f"outgoing:{rest}"] = f"Văn bản đi {row[0]}/{row[1]} ({row[2]})" if row else "Văn bản đi"
    for rest in by_kind.get("unit", ()):
        names[f"unit:{rest}"] = "Danh mục đơn vị"
    for rest in by_kind.get("collection", ()):
        names[f"collection:{rest}"] = f"Đơn vị nộp bài năm {rest}"
    for owner in owners - names.keys():
        names[owner] = owner
    return names


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _date(value: Any) -> str:
    try:
        return format_dmy(str(value))
    except ValueError:
        return str(value)


def _json(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
