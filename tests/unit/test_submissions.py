"""Submission packages: export and versions at the unit, preview and import at the collecting office, and
hostile files (corrupted, truncated, tampered, zip bombs, path traversal): each gets a clear message and
nothing is stored."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parclerk import exchange
from parclerk.data.db import open_and_migrate, open_db
from parclerk.services import assessment, submissions
from parclerk.services.demo import _sample_inputs, build_demo, load_sample_set, unit_profile

YEAR = 2026


@pytest.fixture(scope="module")
def unit_template(tmp_path_factory) -> Path:
    """One unit's demo database (built once; tests copy it)."""
    path = tmp_path_factory.mktemp("unit") / "unit.sqlite"
    build_demo(path, generated=0, seed=5, unit="Xã Ba Tơ")
    return path


@pytest.fixture
def unit_db(unit_template, tmp_path):
    folder = tmp_path / "unit"
    folder.mkdir()
    shutil.copy(unit_template, folder / "unit.sqlite")
    db = open_db(folder / "unit.sqlite")
    yield db
    db.close()


@pytest.fixture
def office(db):
    """A collecting office with the demo's criteria set (the one the units score against)."""
    assessment.save_set(db, load_sample_set(YEAR))  # a unit's year starts from last year's set, copied
    return db


def _count(db, table: str = "submissions") -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _package(
    tmp_path: Path, name: str, *, scores=None, source=None, version=1, stamp="2026-11-20T09:00:00"
) -> Path:
    """A package of a named commune with chosen scores (default: every item at its maximum)."""
    criteria_set = load_sample_set(YEAR)
    profile = unit_profile(_sample_inputs()[0], name)
    if scores is None:
        scores = {leaf.code: leaf.maximum for leaf in criteria_set.leaves() if not leaf.survey}
    out = tmp_path / f"{name}-v{version}.zip"
    submissions.write_demo_package(
        out, criteria_set, profile, year=YEAR, scores=scores, source=source or f"src-{name}", exported_at=stamp,
        version=version,
    )  # fmt: skip
    return out


def _rewrite(source: Path, out: Path, change) -> Path:
    """Copy a package member by member, letting `change(name, data)` return new bytes (or None to drop)."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = change(info.filename, archive.read(info))
            if data is not None:
                target.writestr(info.filename, data)
    return out


def _reseal(source: Path, out: Path, edit_assessment) -> Path:
    """A consistently re-hashed package whose assessment.json was edited: passes the checksum, so the content
    checks (scores above maximum, …) are what must catch it."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read(exchange.MANIFEST))
        data = json.loads(archive.read(exchange.ASSESSMENT))
        criteria = archive.read(exchange.CRITERIA)
    edit_assessment(data)
    body = exchange.canonical_json(data)
    manifest["members"][exchange.ASSESSMENT] = exchange.sha256_hex(body)
    manifest["checksum"] = exchange.package_checksum(manifest["members"])
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(exchange.MANIFEST, json.dumps(manifest))
        archive.writestr(exchange.ASSESSMENT, body)
        archive.writestr(exchange.CRITERIA, criteria)
    return out


def _toggle(db, assessment_id: int, code: str) -> None:
    """Change one pass/fail item's self-score to the other value."""
    current = db.execute(
        "SELECT self_score FROM assessment_scores WHERE assessment_id = ? AND code = ?", [assessment_id, code]
    ).fetchone()
    assessment.set_score(db, assessment_id, code, 0 if current and current[0] else 100)


# --- the unit --------------------------------------------------------------------------------------------


def test_export_writes_a_documented_package_and_versions_only_on_change(unit_db, tmp_path):
    first = submissions.export_submission(unit_db, YEAR, tmp_path / "a.zip")
    assert (first.version, first.new_version) == (1, True)
    with zipfile.ZipFile(first.path) as archive:
        assert sorted(archive.namelist()) == ["assessment.json", "criteria.json", "manifest.json"]
        manifest = json.loads(archive.read("manifest.json"))
        data = json.loads(archive.read("assessment.json"))
    assert manifest["format"] == exchange.FORMAT and manifest["format_version"] == 1
    assert manifest["unit"] == {"name": "Ủy ban nhân dân xã Ba Tơ", "level": "xa", "place": "Ba Tơ"}
    assert manifest["year"] == YEAR and manifest["version"] == 1 and manifest["checksum"] == first.checksum
    assert manifest["set"]["checksum"] == data["set_checksum"]
    assert {s["code"] for s in data["scores"]} >= {"1.1.1", "1.1.4", "3"}

    again = submissions.export_submission(unit_db, YEAR, tmp_path / "b.zip")
    assert (again.version, again.new_version) == (1, False)

    assessment_id = assessment.assessment_for_year(unit_db, YEAR)
    submissions_before = _count(unit_db, "submission_exports")
    _toggle(unit_db, assessment_id, "1.1.3")
    changed = submissions.export_submission(unit_db, YEAR, tmp_path / "c.zip")
    assert (changed.version, changed.new_version) == (2, True)
    assert _count(unit_db, "submission_exports") == submissions_before + 1
    assert submissions.next_export(unit_db, YEAR) == (2, "ChiSoCCHC-2026-Uy-Ban-Nhan-Dan-Xa-Ba-To-v2.zip")


def test_a_failed_export_takes_no_version(unit_db, tmp_path):
    with pytest.raises(submissions.ParclerkError, match="thư mục"):
        submissions.export_submission(unit_db, YEAR, tmp_path / "no-such-folder" / "a.zip")
    assert _count(unit_db, "submission_exports") == 0


def test_evidence_files_travel_when_asked(unit_db, tmp_path):
    assessment_id = assessment.assessment_for_year(unit_db, YEAR)
    proof = tmp_path / "Kế hoạch CCHC.pdf"
    proof.write_bytes(b"%PDF-1.4 ke hoach")
    assessment.add_evidence(unit_db, assessment_id, "1.1.1", file=proof, locator="Mục I, trang 2")
    result = submissions.export_submission(unit_db, YEAR, tmp_path / "p.zip", with_files=True)
    assert result.files_count == 1
    with zipfile.ZipFile(result.path) as archive:
        members = [n for n in archive.namelist() if n.startswith("evidence/")]
        assert len(members) == 1 and members[0].endswith(".pdf")
        assert archive.read(members[0]) == b"%PDF-1.4 ke hoach"
    plain = submissions.export_submission(unit_db, YEAR, tmp_path / "q.zip")
    assert plain.files_count == 0 and plain.version == result.version  # the files are not the content


# --- the collecting office ---------------------------------------------------------------------------------


def test_import_new_same_newer_and_older_versions(office, unit_db, tmp_path):
    v1 = submissions.export_submission(unit_db, YEAR, tmp_path / "v1.zip").path
    preview = submissions.preview_import(office, [v1])
    assert [p.status for p in preview] == ["new"] and _count(office) == 0  # a preview stores nothing
    assert preview[0].unit_name == "Ủy ban nhân dân xã Ba Tơ" and preview[0].maximum == 7000

    outcome = submissions.import_submissions(office, [v1])
    assert outcome.imported == 1 and _count(office) == 1
    assert [p.status for p in submissions.import_submissions(office, [v1]).previews] == ["same"]
    assert _count(office) == 1

    assessment_id = assessment.assessment_for_year(unit_db, YEAR)
    _toggle(unit_db, assessment_id, "1.1.3")
    v2 = submissions.export_submission(unit_db, YEAR, tmp_path / "v2.zip").path
    [replace] = submissions.preview_import(office, [v2])
    assert replace.status == "replace"
    assert "Thay phiên bản 1" in replace.change and "1.1.3" in replace.change
    assert submissions.import_submissions(office, [v2]).replaced == 1
    rows = submissions.list_submissions(office, YEAR)
    assert [(r.version, r.current) for r in rows] == [(2, True), (1, False)]  # the history stays

    [older] = submissions.preview_import(office, [v1])
    assert older.status == "rejected" and "Bản cũ hơn" in older.problems[0]


def test_duplicate_units_are_caught_across_databases_and_within_a_batch(office, tmp_path):
    first = _package(tmp_path, "Xã Ba Vì", source="pc-1")
    submissions.import_submissions(office, [first])
    other_pc = _package(
        tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path, "Xã Ba Vì", source="pc-2"
    )
    [dup] = submissions.preview_import(office, [other_pc])
    assert (
        dup.status == "rejected"
        and "Trùng đơn vị" in dup.problems[0]
        and "cơ sở dữ liệu khác" in dup.problems[0]
    )

    older = _package(tmp_path, "Xã Sơn Hà", version=1)
    newer = _package(tmp_path, "Xã Sơn Hà", version=2, stamp="2026-11-21T09:00:00", scores={"1.1.1": 50})
    results = {p.path.name: p for p in submissions.preview_import(office, [older, newer])}
    assert results[newer.name].status == "new"
    assert results[older.name].status == "rejected" and "nhập bản mới hơn" in results[older.name].problems[0]

    a = _package(
        tmp_path / "a" if (tmp_path / "a").mkdir() is None else tmp_path, "Xã Minh Long", source="pc-a"
    )
    b = _package(
        tmp_path / "b" if (tmp_path / "b").mkdir() is None else tmp_path, "Xã Minh Long", source="pc-b"
    )
    assert {p.status for p in submissions.preview_import(office, [a, b])} == {"rejected"}


def test_wrong_set_wrong_year_and_no_set(db, office, tmp_path):
    package = _package(tmp_path, "Xã Trà Bồng")
    [wrong_year] = submissions.preview_import(office, [package], year=YEAR - 1)
    assert "không phải năm 2025" in wrong_year.problems[0]

    other = tmp_path / "other.sqlite"
    other_db = open_and_migrate(other)
    changed = load_sample_set(YEAR)
    items = tuple(
        c if c.code != "1.1.4" else type(c)(c.code, c.title, 150, c.rule, c.survey) for c in changed.criteria
    )
    assessment.save_set(other_db, type(changed)(changed.name, YEAR, "xa", "", items))
    [wrong_set] = submissions.preview_import(other_db, [package])
    assert wrong_set.status == "rejected" and "bộ chỉ số khác" in wrong_set.problems[0]
    assert "1.1.4" in wrong_set.problems[0]
    other_db.close()

    empty = open_and_migrate(tmp_path / "empty.sqlite")
    [no_set] = submissions.preview_import(empty, [package])
    assert "chưa có bộ chỉ số" in no_set.problems[0]
    empty.close()


def test_scores_above_maximum_and_missing_items(office, tmp_path):
    good = _package(tmp_path, "Xã Tịnh Khê")
    over = _reseal(good, tmp_path / "over.zip", lambda d: d["scores"][0].update(score=99900))
    [bad] = submissions.preview_import(office, [over])
    assert bad.status == "rejected" and "vượt điểm tối đa" in bad.problems[0]

    partial = _reseal(good, tmp_path / "partial.zip", lambda d: d["scores"].pop())
    [warned] = submissions.preview_import(office, [partial])
    assert warned.status == "new" and warned.warnings and "Thiếu điểm 1 tiêu chí" in warned.warnings[0]
    assert warned.scored == warned.leaves - 1

    unknown = _reseal(
        good, tmp_path / "unknown.zip", lambda d: d["scores"].append({"code": "9.9", "score": 1})
    )
    [strange] = submissions.preview_import(office, [unknown])
    assert "9.9" in strange.problems[0]
    assert _count(office) == 0


# --- hostile files ---------------------------------------------------------------------------------------------


def _bomb(out: Path, member: str = exchange.ASSESSMENT) -> Path:
    """A 1 GB member that compresses to about a megabyte, with a manifest that lists it."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        manifest = {"format": exchange.FORMAT, "format_version": 1, "unit": {"name": "X"}, "year": YEAR,
                    "version": 1, "source_id": "s", "exported_at": "2026-11-20T09:00:00", "set": {"checksum": "0"},
                    "members": {exchange.ASSESSMENT: "0" * 64, exchange.CRITERIA: exchange.sha256_hex(b"{}")}}  # fmt: skip
        manifest["checksum"] = exchange.package_checksum(manifest["members"])
        archive.writestr(exchange.MANIFEST, json.dumps(manifest))
        archive.writestr(exchange.CRITERIA, b"{}")
        with archive.open(member, "w", force_zip64=True) as sink:
            block = b"\0" * (1 << 20)
            for _ in range(1024):
                sink.write(block)
    return out


def _hostile(tmp_path: Path, good: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a phrase its message must contain)."""
    raw = good.read_bytes()
    files: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes, phrase: str) -> None:
        path = tmp_path / f"{name}.zip"
        path.write_bytes(data)
        files[name] = (path, phrase)

    put("empty", b"", "không phải bài nộp")
    put("text", "Kính gửi Sở Nội vụ".encode(), "không phải bài nộp")
    put("truncated", raw[: len(raw) // 2], "bị cắt cụt")
    flipped = bytearray(raw)
    start = raw.index(b"assessment.json") + 40  # inside the first compressed member's data
    for i in range(start, start + 30):
        flipped[i] ^= 0xFF
    put("corrupted", bytes(flipped), "bị hỏng")
    files["tampered"] = (
        _rewrite(good, tmp_path / "tampered.zip",
                 lambda n, d: d.replace(b'"score":', b'"score":1') if n == exchange.ASSESSMENT else d),
        "checksum",
    )  # fmt: skip
    files["no manifest"] = (
        _rewrite(good, tmp_path / "nomanifest.zip", lambda n, d: None if n == exchange.MANIFEST else d),
        "thiếu manifest.json",
    )

    def checksum_only(name: str, data: bytes) -> bytes:
        if name != exchange.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["checksum"] = "0" * 64
        return json.dumps(manifest).encode()

    files["manifest checksum"] = (_rewrite(good, tmp_path / "mchk.zip", checksum_only), "checksum")
    for label, member in (("traversal", "../../evil.txt"), ("absolute", "/tmp/evil.txt"),
                          ("backslash", "evidence\\..\\..\\evil.txt"), ("evidence dots", "evidence/../../evil.txt")):  # fmt: skip
        path = tmp_path / f"{label.replace(' ', '-')}.zip"
        shutil.copy(good, path)
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr(member, b"pwned")
        files[label] = (path, "thành phần lạ")
    duplicate = tmp_path / "duplicate.zip"
    shutil.copy(good, duplicate)
    with pytest.warns(UserWarning), zipfile.ZipFile(duplicate, "a") as archive:
        archive.writestr(exchange.ASSESSMENT, b"{}")
    files["duplicate member"] = (duplicate, "hai lần")
    files["zip bomb"] = (_bomb(tmp_path / "bomb.zip"), "quá lớn")
    deep = _rewrite(good, tmp_path / "deep.zip",
                    lambda n, d: (b"[" * 200000 + b"]" * 200000) if n == exchange.MANIFEST else d)  # fmt: skip
    files["deep json"] = (deep, "JSON")
    files["bad utf-8"] = (
        _rewrite(good, tmp_path / "utf.zip", lambda n, d: b"\xff\xfe{" if n == exchange.MANIFEST else d),
        "JSON",
    )

    def newer_format(name: str, data: bytes) -> bytes:
        if name != exchange.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["format_version"] = 99
        return json.dumps(manifest).encode()

    files["newer format"] = (
        _rewrite(good, tmp_path / "newer.zip", newer_format),
        "phiên bản parclerk mới hơn",
    )
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    put("a word file", docx.getvalue(), "thành phần lạ")
    encrypted = bytearray(raw)
    encrypted[6] |= 0x1  # the first local header's "encrypted" flag
    central = raw.rfind(b"PK\x01\x02", 0, raw.index(b"PK\x05\x06"))
    first_central = raw.index(b"PK\x01\x02")
    encrypted[first_central + 8] |= 0x1
    assert central >= first_central
    put("encrypted", bytes(encrypted), "mật khẩu")
    return files


def test_hostile_files_get_a_clear_message_and_nothing_is_stored(office, tmp_path):
    good = _package(tmp_path, "Xã Ba Tơ")
    hostile = _hostile(tmp_path, good)
    before = sorted(p.name for p in tmp_path.parent.rglob("evil.txt"))
    paths = [path for path, _phrase in hostile.values()]
    outcome = submissions.import_submissions(office, paths)
    assert outcome.imported == 0 and _count(office) == 0 and _count(office, "collection_units") == 0
    for (name, (_path, phrase)), preview in zip(hostile.items(), outcome.previews, strict=True):
        assert preview.status == "rejected", name
        message = preview.problems[0]
        assert phrase.lower() in message.lower(), (name, message)
        assert preview.path.name in message or name in ("tampered",) or "Tệp" in message, (name, message)
    assert sorted(p.name for p in tmp_path.parent.rglob("evil.txt")) == before  # nothing extracted by name
    # the good package still goes in beside them
    mixed = submissions.import_submissions(office, [*paths[:3], good])
    assert mixed.imported == 1 and _count(office) == 1


@settings(max_examples=150)
@given(cuts=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_package_only_ever_raises_a_package_error(good_package: Path, tmp_path_factory, cuts):
    """Bytes changed anywhere in a real package: the reader either reads it (the change hit nothing that is
    checked, e.g. a timestamp in a zip header) or says why in Vietnamese; never another exception."""
    data = bytearray(good_package.read_bytes())
    for offset, value in cuts:
        data[offset % len(data)] = value
    path = tmp_path_factory.mktemp("fuzz") / "fuzzed.zip"
    path.write_bytes(bytes(data))
    try:
        exchange.read_package(path)
    except exchange.PackageError as exc:
        assert exc.message.startswith("Tệp “fuzzed.zip”")


@pytest.fixture(scope="module")
def good_package(tmp_path_factory) -> Path:
    return _package(tmp_path_factory.mktemp("good"), "Xã Ba Tơ")


def test_an_import_that_fails_midway_stores_nothing(office, tmp_path, monkeypatch):
    files = [_package(tmp_path, name) for name in ("Xã Ba Tơ", "Xã Ba Vì", "Xã Sơn Hà")]
    real = submissions._store
    calls = []

    def failing(db, preview, stamp):
        calls.append(preview.unit_name)
        if len(calls) == 3:
            raise RuntimeError("mất điện")
        return real(db, preview, stamp)

    monkeypatch.setattr(submissions, "_store", failing)
    with pytest.raises(RuntimeError):
        submissions.import_submissions(office, files)
    assert _count(office) == 0 and _count(office, "submission_scores") == 0


def test_many_packages_import_in_one_go(office, tmp_path):
    names = [f"Xã Thử {n}" for n in range(1, 41)]
    files = [_package(tmp_path, name) for name in names]
    outcome = submissions.import_submissions(office, files)
    assert outcome.imported == 40
    units = submissions.list_units(office, YEAR)
    assert len(units) == 40 and all(u.version == 1 for u in units)


def test_units_list_expected_ranked_and_removal(office, tmp_path):
    submissions.add_expected_units(
        office, YEAR, ["Ủy ban nhân dân xã Ba Tơ", "  ", "Ủy ban nhân dân xã Đình Cương"]
    )
    submissions.import_submissions(
        office, [_package(tmp_path, "Xã Ba Tơ"), _package(tmp_path, "Xã Lân Phong")]
    )
    units = {u.name: u for u in submissions.list_units(office, YEAR)}
    assert units["Ủy ban nhân dân xã Ba Tơ"].expected and units["Ủy ban nhân dân xã Ba Tơ"].version == 1
    assert units["Ủy ban nhân dân xã Đình Cương"].submission_id is None
    assert not units["Ủy ban nhân dân xã Lân Phong"].expected  # known from its package only
    submissions.set_ranked(office, units["Ủy ban nhân dân xã Ba Tơ"].id, False)
    assert not {u.name: u for u in submissions.list_units(office, YEAR)}["Ủy ban nhân dân xã Ba Tơ"].ranked
    assert submissions.copy_units_from(office, YEAR + 1, YEAR) == 2
    submissions.remove_submissions(office, units["Ủy ban nhân dân xã Lân Phong"].id)
    assert _count(office) == 1
    submissions.remove_unit(office, units["Ủy ban nhân dân xã Ba Tơ"].id)
    assert _count(office) == 0 and _count(office, "submission_scores") == 0


def test_the_cli_exports_previews_and_imports(unit_db, office, tmp_path, capsys):
    from parclerk.cli import main

    unit_path = Path(unit_db.execute("PRAGMA database_list").fetchone()[2])
    office_path = Path(office.execute("PRAGMA database_list").fetchone()[2])
    package = tmp_path / "ba-to.zip"
    assert (
        main(["submission", "export", "--db", str(unit_path), "--year", str(YEAR), "--out", str(package)])
        == 0
    )
    assert "phiên bản 1" in capsys.readouterr().out
    bad = tmp_path / "bad.zip"
    bad.write_bytes(package.read_bytes()[:200])
    code = main(["submission", "import", "--db", str(office_path), "--dry-run", str(package), str(bad)])
    out = capsys.readouterr().out
    assert (
        code == 1 and "[Nhập mới] ba-to.zip" in out and "[Không nhập] bad.zip" in out and "chưa lưu gì" in out
    )
    assert _count(office) == 0
    assert main(["submission", "import", "--db", str(office_path), str(package)]) == 0
    assert _count(office) == 1
    assert main(["submission", "list", "--db", str(office_path), "--year", str(YEAR)]) == 0
    assert "Ủy ban nhân dân xã Ba Tơ\tphiên bản 1" in capsys.readouterr().out
