"""A demo database: the real sample directives shipped in resources/demo, plus N generated ones that read
like a commune's incoming mail (varied issuers, types, dates over several years, Vietnamese subjects).

Generation is deterministic for a seed, so benchmarks and screenshots are repeatable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

from parclerk import dates, glossary, paths
from parclerk.data import db as dbmod
from parclerk.data import repo_directives
from parclerk.errors import ParclerkError
from parclerk.models import DirectiveInput, OfficeProfile, TaskInput
from parclerk.services import directives, settings

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, text: str) -> None:
    pass


_PROVINCE = "Quảng Ngãi"
# (issuer, ký hiệu of its công văn, until: the last day it existed, or None)
_ISSUERS = [
    ("UBND tỉnh Quảng Ngãi", "UBND-NC", None),
    ("UBND tỉnh Quảng Ngãi", "UBND-KGVX", None),
    ("Văn phòng UBND tỉnh Quảng Ngãi", "VP-HCTC", None),
    ("Sở Nội vụ tỉnh Quảng Ngãi", "SNV-CCHC", None),
    ("Sở Nội vụ tỉnh Quảng Ngãi", "SNV-XDCQ", None),
    ("Sở Tư pháp tỉnh Quảng Ngãi", "STP-XDKTVB", None),
    ("Sở Tài chính tỉnh Quảng Ngãi", "STC-QLNS", None),
    ("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "SKHCN-CĐS", None),
    ("Sở Thông tin và Truyền thông tỉnh Quảng Ngãi", "STTTT-CNTT", dt.date(2025, 2, 28)),
    ("Trung tâm Phục vụ hành chính công tỉnh", "TTPVHCC-NV", None),
    ("Ban Chỉ đạo cải cách hành chính tỉnh", "BCĐ-CCHC", None),
    ("UBND huyện Sơn Tây", "UBND", dt.date(2025, 6, 30)),
    ("Phòng Nội vụ huyện Sơn Tây", "PNV", dt.date(2025, 6, 30)),
    ("Văn phòng HĐND và UBND huyện Sơn Tây", "VP", dt.date(2025, 6, 30)),
    ("Đảng ủy xã", "ĐU", None),
    ("Bộ Nội vụ", "BNV-CCHC", None),
]
_TYPED = [
    "Quyết định",
    "Kế hoạch",
    "Thông báo",
    "Chỉ thị",
    "Báo cáo",
    "Hướng dẫn",
    "Giấy mời",
    "Chương trình",
]
_TOPICS = [
    "cải cách hành chính",
    "cải cách thủ tục hành chính",
    "kiểm soát thủ tục hành chính",
    "thực hiện cơ chế một cửa, một cửa liên thông",
    "chuyển đổi số và xây dựng chính quyền số",
    "tuyên truyền cải cách hành chính",
    "văn hóa công vụ",
    "chấn chỉnh kỷ luật, kỷ cương hành chính",
    "nâng cao Chỉ số CCHC (PAR INDEX)",
    "nâng cao Chỉ số hài lòng (SIPAS)",
    "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "dịch vụ công trực tuyến toàn trình",
    "rà soát, đơn giản hóa thủ tục hành chính",
    "đánh giá, xếp loại chất lượng cán bộ, công chức",
    "thực hành tiết kiệm, chống lãng phí",
    "công tác văn thư, lưu trữ",
    "quy chế dân chủ ở cơ sở",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "phòng, chống tham nhũng, tiêu cực",
    "ứng dụng chữ ký số trong xử lý văn bản",
]
_ACTIONS = [
    "V/v triển khai thực hiện công tác {t} năm {y}",
    "V/v đôn đốc thực hiện nhiệm vụ {t}",
    "V/v báo cáo kết quả thực hiện {t} quý {q} năm {y}",
    "V/v báo cáo kết quả {t} 6 tháng đầu năm {y}",
    "V/v tăng cường {t} trên địa bàn tỉnh",
    "V/v góp ý dự thảo Kế hoạch {t} năm {y1}",
    "V/v tự đánh giá, chấm điểm xác định Chỉ số CCHC năm {y}",
    "V/v chấn chỉnh, khắc phục tồn tại, hạn chế trong {t}",
    "V/v cung cấp tài liệu kiểm chứng về {t}",
]
_TYPED_SUBJECTS = {
    "Quyết định": "Ban hành Kế hoạch {t} năm {y}",
    "Kế hoạch": "Kiểm tra công tác {t} năm {y}",
    "Thông báo": "Kết luận của Chủ tịch UBND tỉnh tại buổi họp về {t}",
    "Chỉ thị": "Về tăng cường {t}",
    "Báo cáo": "Kết quả thực hiện {t} quý {q} năm {y}",
    "Hướng dẫn": "Hướng dẫn tự đánh giá, chấm điểm Chỉ số CCHC năm {y}",
    "Giấy mời": "Dự Hội nghị sơ kết công tác {t} 6 tháng đầu năm {y}",
    "Chương trình": "Chương trình hành động về {t} giai đoạn 2021-2025",
}
_FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
]
_MIDDLE = ["Văn", "Thị", "Ngọc", "Minh", "Đức", "Thanh", "Hữu", "Quốc", "Xuân", "Thu"]
_GIVEN = [
    "Minh",
    "Trân",
    "Hưng",
    "Duệ",
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hạnh",
    "Khoa",
    "Lâm",
    "Phúc",
    "Thảo",
    "Ủy",
    "Yến",
]
_TITLES = ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng"]
_HANDLERS = [
    "Công chức Văn phòng - Thống kê",
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Tài chính - Kế toán",
    "Bộ phận Một cửa",
    "Phó Chủ tịch UBND xã",
    "Chủ tịch UBND xã",
    "Công chức Địa chính - Xây dựng",
    "Công chức Văn hóa - Xã hội",
]


def _place(issuer: str) -> str:
    if issuer.startswith("Bộ"):
        return "Hà Nội"
    return "Sơn Tây" if "Sơn Tây" in issuer or issuer == "Đảng ủy xã" else _PROVINCE


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def generate(
    count: int, *, seed: int = 1, start: dt.date = dt.date(2021, 1, 4), end: dt.date | None = None
) -> list[DirectiveInput]:
    """`count` plausible incoming documents received between start and end, in order of receipt."""
    end = end or dates.today()
    rng = random.Random(seed)
    span = (end - start).days
    received = sorted(start + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(count))
    counters: dict[tuple[str, str, int], int] = {}
    result = []
    for ngay_den in received:
        issued = ngay_den - dt.timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 7)))
        issuer, cv_symbol, until = rng.choice(_ISSUERS)
        while until and issued > until:
            issuer, cv_symbol, until = rng.choice(_ISSUERS)
        issuer_abbrev = cv_symbol.split("-")[0]
        doc_type = "Công văn" if rng.random() < 0.55 else rng.choice(_TYPED)
        key = (issuer, doc_type, issued.year)
        counters[key] = counters.get(key, rng.randrange(1, 40)) + rng.randrange(1, 30)
        seq = f"{counters[key]:02d}"
        values = dict(
            t=rng.choice(_TOPICS), y=issued.year, y1=issued.year + 1, q=rng.choice(("I", "II", "III", "IV"))
        )
        if doc_type == "Công văn":
            number = f"{seq}/{cv_symbol}"
            subject = rng.choice(_ACTIONS).format(**values)
        else:
            number = f"{seq}/{glossary.DOC_TYPES[doc_type]}-{issuer_abbrev}"
            subject = _TYPED_SUBJECTS[doc_type].format(**values)
        has_deadline = rng.random() < 0.45
        deadline = (
            ngay_den + dt.timedelta(days=rng.choice((3, 5, 7, 10, 15, 20, 30, 45))) if has_deadline else None
        )
        handled = None
        if deadline and rng.random() < 0.8:
            handled = min(end, ngay_den + dt.timedelta(days=rng.randrange(1, 40)))
        result.append(
            DirectiveInput(
                ngay_den=ngay_den,
                issuer=issuer,
                subject=subject,
                number=number,
                issued_date=issued,
                issued_place=_place(issuer),
                doc_type=doc_type,
                signer=_name(rng),
                signer_title=rng.choice(_TITLES),
                urgency=rng.choices((0, 1, 2, 3), weights=(85, 11, 3, 1))[0],
                assigned_to=rng.choice(_HANDLERS),
                handed_date=ngay_den,
                deadline=deadline,
                handled_date=handled,
                reply_number=f"{rng.randrange(1, 300):02d}/BC-UBND" if handled and rng.random() < 0.5 else "",
                notes="" if rng.random() < 0.9 else "Đã sao gửi các bộ phận liên quan",
            )
        )
    return result


def _sample_inputs() -> tuple[OfficeProfile, list[tuple[DirectiveInput, Path]]]:
    spec = json.loads(paths.resource_path("demo", "samples.json").read_text(encoding="utf-8"))
    profile = OfficeProfile(**spec["profile"])
    items = []
    for item in spec["directives"]:
        fields = {k: v for k, v in item.items() if k != "file"}
        for name in ("ngay_den", "issued_date", "handed_date", "deadline", "handled_date"):
            if fields.get(name):
                fields[name] = dt.date.fromisoformat(fields[name])
        items.append((DirectiveInput(**fields), paths.resource_path("demo", "samples", item["file"])))
    return profile, items


_UNITS = [
    ("Văn phòng - Thống kê", "Công chức chuyên môn", ["VP-TK", "Công chức Văn phòng - Thống kê"]),
    ("Tư pháp - Hộ tịch", "Công chức chuyên môn", ["TP-HT", "Công chức Tư pháp - Hộ tịch"]),
    ("Tài chính - Kế toán", "Công chức chuyên môn", ["TC-KT", "Công chức Tài chính - Kế toán"]),
    ("Địa chính - Xây dựng", "Công chức chuyên môn", ["ĐC-XD", "Công chức Địa chính - Xây dựng"]),
    ("Văn hóa - Xã hội", "Công chức chuyên môn", ["VH-XH", "Công chức Văn hóa - Xã hội"]),
    ("Bộ phận Một cửa", "Bộ phận", ["Bộ phận tiếp nhận và trả kết quả"]),
    ("Công an xã", "Đơn vị", ["CA xã"]),
]
_TASK_TEXTS = [
    "Tham mưu UBND xã xây dựng kế hoạch triển khai {t}",
    "Báo cáo kết quả thực hiện {t} về UBND huyện",
    "Rà soát, cập nhật hồ sơ, tài liệu kiểm chứng về {t}",
    "Tổ chức tuyên truyền {t} đến cán bộ, công chức và Nhân dân",
    "Kiểm tra, đôn đốc các bộ phận thực hiện {t}",
    "Tổng hợp số liệu, báo cáo tình hình {t}",
]
_FOLLOWERS = ["Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Thu", "Phạm Minh Tuấn"]
_RECURRING = [
    (
        "Báo cáo kết quả thực hiện công tác cải cách hành chính định kỳ hàng quý",
        "quarterly",
        "Văn phòng - Thống kê",
    ),
    ("Báo cáo tình hình tiếp nhận, giải quyết thủ tục hành chính hàng tháng", "monthly", "Bộ phận Một cửa"),
    ("Báo cáo công tác tư pháp định kỳ 6 tháng và năm", "semiannual", "Tư pháp - Hộ tịch"),
    (
        "Tự đánh giá, chấm điểm Chỉ số CCHC và gửi tài liệu kiểm chứng trong tháng 11 hàng năm",
        "annual",
        "Văn phòng - Thống kê",
    ),
]


def build_demo(
    path: Path, *, generated: int = 300, seed: int = 1, unit: str = "", progress: Progress = _no_progress
) -> int:
    """Create a new demo database at `path` (which must not exist yet); returns the number of directives.

    With `unit`, the database is that unit's ("Ủy ban nhân dân xã Ba Tơ"): its own profile and a complete
    self-assessment of this year whose strength and gaps follow the seed, so twenty seeds make twenty
    distinct units for trying a collection.
    """
    path = Path(path)
    if path.exists():
        raise ParclerkError(f"Tệp “{path}” đã có; hãy chọn một đường dẫn mới cho cơ sở dữ liệu mẫu.")
    db = dbmod.open_and_migrate(path)
    try:
        profile, samples = _sample_inputs()
        if unit:
            profile = unit_profile(profile, unit)
        settings.save_profile(db, profile)
        rows = generate(generated, seed=seed)
        # The real samples take their place among the generated ones, in order of receipt.
        events = sorted(
            [(values, None) for values in rows] + samples,
            key=lambda event: (event[0].ngay_den, event[1] is not None),
        )
        stamp = repo_directives.now_text()
        pending: list[tuple[DirectiveInput, int, str]] = []
        last: dict[int, int] = {}
        with db.atomic():
            for index, (values, file) in enumerate(events):
                year = values.ngay_den.year
                if file is not None:
                    _flush(db, pending, last)
                    directives.register_directive(db, values, files=[file])
                    last[year] = last.get(year, 0) + 1
                    continue
                last[year] = last.get(year, 0) + 1
                pending.append((values, last[year], stamp))
                if len(pending) >= 2000:
                    _flush(db, pending, last)
                    progress(index + 1, len(events), "Đang tạo dữ liệu mẫu…")
            _flush(db, pending, last)
            _demo_tasks(db, random.Random(seed + 1), samples)
        from parclerk.services.tasks import ensure_items

        ensure_items(db)
        _report_past_periods(db, random.Random(seed + 2))
        _demo_assessments(db, random.Random(seed + 3), unit=profile.unit_name, whole_year=bool(unit))
        if not unit:
            _demo_collection(db, random.Random(seed + 4))
        return int(db.execute("SELECT count(*) FROM directives").fetchone()[0])
    finally:
        db.close()


def _flush(db, pending: list[tuple[DirectiveInput, int, str]], last: dict[int, int]) -> None:
    """Insert the batch and move the yearly counters to its last numbers."""
    if not pending:
        return
    repo_directives.insert_many(db, pending)
    for year, number in last.items():
        db.execute(
            "INSERT INTO so_den_counters (year, last) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET last = excluded.last",
            [year, number],
        )
    pending.clear()


def _demo_tasks(db, rng: random.Random, samples: list[tuple[DirectiveInput, Path]]) -> None:
    """Units with aliases; the samples' tasks as the parser reads them; tasks for generated directives in
    every state (done on time, done late, open in time, overdue, overdue > 30 days, no deadline); and a
    few recurring duties. Bulk SQL: a 300,000-task benchmark database builds in seconds."""
    import json

    from parclerk import vntext
    from parclerk.services import intake, tasks

    for name, kind, aliases in _UNITS:
        tasks.save_unit(db, name, kind=kind, aliases=aliases)
    today = dates.today()
    # The real samples: their tasks as parsed; only the district's letter (294) is addressed to communes.
    for values, file in samples:
        (directive_id,) = db.execute(
            "SELECT id FROM directives WHERE number = ? AND issued_date = ?",
            [values.number, dates.to_iso(values.issued_date)],
        ).fetchone()
        parsed = intake.tasks_from_parsed(intake.parse_file(file))
        ours = values.number == "294/UBND"
        tasks.add_tasks(
            db, directive_id, [dataclasses.replace(t, concerns_office=ours) for t in parsed], today=today
        )
    units = [name for name, _, _ in _UNITS]
    keys = {name: (tasks.unit_key(db, name)) for name in units}
    stamp = repo_directives.now_text()
    rows = db.execute(
        "SELECT id, ngay_den, deadline, handled_date, subject FROM directives WHERE cancelled = 0 AND deadline IS NOT NULL "
        "AND number NOT IN ('107/UBND-NC', '294/UBND', '526/VP-HCTC')"
    ).fetchall()
    task_rows = []
    item_rows = []
    next_id = int(db.execute("SELECT coalesce(max(id), 0) FROM tasks").fetchone()[0]) + 1
    for directive_id, received, deadline, handled, subject in rows:
        topic = subject.split("về ", 1)[-1] if "về " in subject else "công tác cải cách hành chính"
        for position in range(1, rng.choice((1, 1, 2, 3)) + 1):
            lead = rng.choice(units)
            coordinating = [u for u in rng.sample(units, 2) if u != lead][:1]
            due = dt.date.fromisoformat(deadline) + dt.timedelta(days=rng.choice((0, 0, -2, 5)))
            no_deadline = rng.random() < 0.07
            content = rng.choice(_TASK_TEXTS).format(t=topic.rstrip("."))
            unit_id, lead_key = keys[lead]
            task = TaskInput(
                content=content, ref=str(position), lead_unit=lead, coordinating_units=tuple(coordinating)
            )
            task_rows.append(
                (next_id, directive_id, position, str(position), content, lead, json.dumps(coordinating, ensure_ascii=False),
                 None if no_deadline else due.isoformat(), "thường xuyên" if no_deadline else "", unit_id, lead_key,
                 vntext.fold(f"{position} {content} {lead} {' '.join(coordinating)}"), rng.choice(_FOLLOWERS), stamp, stamp)
            )  # fmt: skip
            status, completed = "open", None
            if handled or (not no_deadline and due < today and rng.random() < 0.75):
                status = "done"
                late = rng.random() < 0.15
                base = due if not no_deadline else dt.date.fromisoformat(received)
                completed = min(
                    today, base + dt.timedelta(days=rng.randrange(1, 45) if late else -rng.randrange(0, 5))
                )
                completed = max(completed, dt.date.fromisoformat(received))
            item_rows.append(
                (next_id, None if no_deadline else due.isoformat(), status, dates.to_iso(completed),
                 f"{rng.randrange(1, 200):02d}/BC-UBND" if status == "done" and rng.random() < 0.4 else "", stamp, stamp)
            )  # fmt: skip
            del task
            next_id += 1
    db.conn.executemany(
        "INSERT INTO tasks (id, directive_id, position, ref, content, lead_unit, coordinating_units, deadline, deadline_text, "
        "lead_unit_id, lead_unit_fold, search_fold, follower, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        task_rows,
    )
    db.conn.executemany(
        "INSERT INTO task_items (task_id, period_key, due_date, due_sort, status, completed_date, reply_number, created_at, "
        "updated_at) VALUES (?, '', ?, coalesce(?2, '9999-12-31'), ?, ?, ?, ?, ?)",
        item_rows,
    )
    db.execute(
        "UPDATE task_items SET late = (status = 'done' AND due_date IS NOT NULL AND completed_date > due_date)"
    )
    # The office's own recurring duties, since the start of the demo's years.
    for content, recurrence, lead in _RECURRING:
        deadline = dt.date(today.year, 11, 30) if recurrence == "annual" else None
        task = TaskInput(content=content, lead_unit=lead, recurrence=recurrence, deadline=deadline,
                         deadline_text="trong tháng 11 hàng năm" if deadline else "")  # fmt: skip
        tasks.add_tasks(db, None, [task], today=dt.date(2021, 1, 4))


def _report_past_periods(db, rng: random.Random) -> None:
    """A plausible history: recurring reports more than a month old were sent, most of them on time."""
    today = dates.today()
    rows = db.execute(
        "SELECT i.id, i.due_date FROM task_items i JOIN tasks t ON t.id = i.task_id "
        "WHERE t.recurrence IS NOT NULL AND i.status = 'open' AND i.due_date < ?",
        [(today - dt.timedelta(days=30)).isoformat()],
    ).fetchall()
    with db.atomic():
        for item_id, due_text in rows:
            due = dt.date.fromisoformat(due_text)
            late = rng.random() < 0.12
            completed = due + dt.timedelta(days=rng.randrange(1, 12) if late else -rng.randrange(0, 4))
            db.execute(
                "UPDATE task_items SET status = 'done', completed_date = ?, reply_number = ?, late = ? WHERE id = ?",
                [
                    completed.isoformat(),
                    f"{rng.randrange(1, 150):02d}/BC-UBND",
                    int(completed > due),
                    item_id,
                ],
            )


def load_sample_set(year: int):
    """The demo's criteria set (resources/demo/criteria-sample.json), clearly a sample, for `year`."""
    from decimal import Decimal

    from parclerk.criteria import Classification, CriteriaSet, Criterion, parse_points, parse_rule

    spec = json.loads(paths.resource_path("demo", "criteria-sample.json").read_text(encoding="utf-8"))
    items = []
    for code, title, maximum, rule, evidence, department, *flags in spec["criteria"]:
        points = parse_points(maximum)
        items.append(
            Criterion(code, title, points, parse_rule(rule, points), "survey" in flags, evidence, department)
        )
    ranks = tuple(Classification(label, Decimal(minimum)) for label, minimum in spec["classifications"])
    return CriteriaSet(spec["name"], year, spec["level"], spec["source"], tuple(items), ranks, sample=True)


_LEVEL_WORDS = {"so": ("so", "ban", "van phong", "thanh tra"), "huyen": ("huyen", "quan", "thi xa")}
_PLACE_WORDS = ("xã", "phường", "thị trấn", "đặc khu", "huyện", "quận", "thị xã")


def unit_profile(base: OfficeProfile, unit: str) -> OfficeProfile:
    """The demo profile of a named unit ("Xã Ba Tơ", "Sở Tư pháp"): its level and place read from the name."""
    from parclerk import vntext

    name = vntext.clean_line(unit)
    if not name:
        raise ParclerkError("Tên đơn vị mẫu không được để trống.")
    core = vntext.fold(name).removeprefix("uy ban nhan dan ").removeprefix("ubnd ")
    level = next(
        (lv for lv, words in _LEVEL_WORDS.items() if core.startswith(tuple(w + " " for w in words))), "xa"
    )
    place = name
    for prefix in ("Ủy ban nhân dân ", "UBND "):
        if place.casefold().startswith(prefix.casefold()):
            place = place[len(prefix) :]
    for word in sorted(_PLACE_WORDS, key=len, reverse=True):
        if place.casefold().startswith(word + " "):
            place, title = place[len(word) + 1 :], f"Ủy ban nhân dân {word} {place[len(word) + 1 :]}"
            break
    else:
        title, place = name, _PROVINCE  # a sở dates its documents with the province's name
    return dataclasses.replace(base, unit_name=title, level=level, place_name=place)


def demo_points(rng: random.Random, leaf, strength: float | None) -> int:
    """A plausible self-score for one item; with `strength`, the chance of full points (a unit's demo)."""
    if strength is None:
        if leaf.rule.kind == "options":
            return rng.choices(leaf.rule.options, weights=[6] + [2] * (len(leaf.rule.options) - 1))[0].points
        return leaf.maximum - rng.choice((0, 0, 25, 50)) * leaf.maximum // 100
    if rng.random() < strength:
        return leaf.maximum
    if leaf.rule.kind == "options":
        return rng.choice([o.points for o in leaf.rule.options if o.points < leaf.maximum] or [0])
    return leaf.maximum * rng.randrange(30, 95) // 100 // 25 * 25  # whole quarter points


_COMMUNES = [
    "Xã Ba Tơ", "Xã Ba Vì", "Phường Cẩm Thành", "Phường Nghĩa Lộ", "Phường Trương Quang Trọng", "Xã Tịnh Khê",
    "Xã Sơn Hà", "Xã Minh Long", "Xã Mộ Đức", "Phường Đức Phổ", "Xã Bình Sơn", "Xã Trà Bồng", "Xã Nghĩa Hành",
    "Xã Tư Nghĩa", "Đặc khu Lý Sơn", "Xã Sơn Tịnh", "Xã Lân Phong", "Xã Thanh Bồng", "Xã Vạn Tường", "Xã Đình Cương",
]  # fmt: skip


def _demo_collection(db, rng: random.Random) -> None:
    """The collecting side: twenty communes listed for last year, eighteen of whose packages came in (built
    here as the units' parclerk would, then imported through the same checks). Last year, so that a trial
    collection of this year (`demo --unit`) starts on an empty list."""
    import tempfile

    from parclerk.services import assessment, submissions

    year = dates.today().year - 1
    set_id = int(db.execute("SELECT max(id) FROM criteria_sets WHERE year = ?", [year]).fetchone()[0])
    criteria_set = assessment.load_set(db, set_id)
    base = _sample_inputs()[0]
    profiles = [unit_profile(base, name) for name in _COMMUNES]
    submissions.add_expected_units(db, year, [p.unit_name for p in profiles])
    with tempfile.TemporaryDirectory(prefix="parclerk-demo-") as folder:
        files = []
        for number, profile in enumerate(profiles[:-2], start=1):
            strength = rng.uniform(0.3, 0.95)
            scores = {
                leaf.code: demo_points(rng, leaf, strength)
                for leaf in criteria_set.leaves()
                if not leaf.survey
            }
            stamp = dt.datetime(year, 11, rng.randrange(1, 20), rng.randrange(7, 17), rng.randrange(60))
            out = Path(folder) / f"{number:02d}.zip"
            submissions.write_demo_package(
                out, criteria_set, profile, year=year, scores=scores, source=f"demo-{number}",
                exported_at=stamp.isoformat(timespec="seconds"),
            )  # fmt: skip
            files.append(out)
        submissions.import_submissions(db, files, year=year)


def _demo_assessments(db, rng: random.Random, *, unit: str, whole_year: bool = False) -> None:
    """Last year's assessment fully scored (explanations, evidence, appraised scores); this year's started
    from it (last year's evidence as suggestions, some confirmed) and scored in part, or in whole (a unit's
    demo: how strong the unit is, and which items it misses, follow the seed)."""
    from parclerk.criteria import format_points
    from parclerk.services import assessment

    this_year = dates.today().year
    last_year = this_year - 1
    set_id = assessment.save_set(db, load_sample_set(last_year))
    last_id = assessment.start_assessment(db, set_id, last_year, unit_name=unit)
    this_id = None
    strength = rng.uniform(0.35, 0.95) if whole_year else 0.5  # the share of items at full points
    for year, share in ((last_year, 1.0), (this_year, 1.0 if whole_year else 0.5)):
        if year == this_year:
            this_id = assessment.start_from_previous(db, last_id, this_year)
        assessment_id = last_id if year == last_year else this_id
        criteria_set = assessment.assessment_set(db, assessment_id)
        leaves = [leaf for leaf in criteria_set.leaves() if not leaf.survey]
        documents = db.execute(
            "SELECT id FROM directives WHERE doc_type IN ('Kế hoạch', 'Báo cáo', 'Quyết định') AND so_den_year = ? "
            "AND cancelled = 0 ORDER BY so_den LIMIT 40",
            [year],
        ).fetchall()
        if year == last_year:  # the province's survey points arrive with the appraisal
            for leaf in criteria_set.leaves():
                if leaf.survey:
                    survey = leaf.maximum * rng.randrange(72, 90) // 100
                    assessment.set_score(db, assessment_id, leaf.code, survey, appraised=True)
        suggestions = {e.code: e for e in assessment.list_evidence(db, assessment_id) if e.suggested}
        for number, leaf in enumerate(leaves[: max(1, round(len(leaves) * share))], start=1):
            if whole_year and year == this_year and leaf.maximum <= 200 and rng.random() < 0.05:
                continue  # a unit sometimes sends an item unscored
            points = demo_points(rng, leaf, strength if whole_year else None)
            lost = points < leaf.maximum
            explanation = (
                f"Chưa đạt tối đa: thiếu tài liệu kiểm chứng cho {leaf.title.lower()[:60]}." if lost else ""
            )
            assessment.set_score(db, assessment_id, leaf.code, format_points(points), explanation=explanation)
            if year == last_year:
                appraised = max(0, points - (leaf.maximum // 4 if rng.random() < 0.2 else 0))
                assessment.set_score(db, assessment_id, leaf.code, format_points(appraised), appraised=True)
            if leaf.code in suggestions and rng.random() < 0.6:
                assessment.confirm_evidence(
                    db,
                    suggestions[leaf.code].id,
                    evidence_date=dt.date(year, 3, 15) if rng.random() < 0.7 else None,
                )
            elif rng.random() < 0.85 or year == last_year:
                day = dt.date(year, rng.randrange(1, 12), rng.randrange(1, 28))
                if documents and rng.random() < 0.5:
                    (directive_id,) = rng.choice(documents)
                    assessment.add_evidence(
                        db, assessment_id, leaf.code, directive_id=directive_id,
                        locator=f"Mục {rng.choice(('I', 'II', 'III'))}, trang {rng.randrange(1, 8)}",
                    )  # fmt: skip
                else:
                    assessment.add_evidence(
                        db, assessment_id, leaf.code,
                        description=f"Báo cáo số {number:02d}/BC-UBND ngày {dates.format_dmy(day)} của UBND xã",
                        locator=f"Mục {rng.choice(('I', 'II'))}, trang {rng.randrange(1, 6)}", evidence_date=day,
                    )  # fmt: skip
