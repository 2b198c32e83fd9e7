"""vntext: folding for search, safe FTS5 queries, and sort keys in Vietnamese alphabet order.

The sort-order table pins domain-guide §7.3: alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
tone as the secondary key (none, huyền, hỏi, ngã, sắc, nặng), primary letters before tones.
"""

from __future__ import annotations

import random
import sqlite3
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parclerk import vntext
from parclerk.vntext import fold, fts_query, sort_key

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


# --- fold ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đặng Văn Minh", "dang van minh"),
        ("Đề án", "de an"),
        ("Đề án của Ủy ban", "de an cua uy ban"),
        ("QĐ", "qd"),
        ("qd", "qd"),
        ("Uỷ ban", "uy ban"),
        ("Ủy ban", "uy ban"),
        ("UBND TỈNH QUẢNG NGÃI", "ubnd tinh quang ngai"),
        ("107/UBND-NC", "107/ubnd-nc"),
        ("  nhiều   khoảng\ttrắng\n", "nhieu khoang trang"),
        ("Sở Nội vụ & UBND <huyện>", "so noi vu & ubnd <huyen>"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("a", "b"), [("QĐ", "qd"), ("Uỷ ban", "Ủy ban"), ("hoà", "hòa"), ("thuỷ", "thủy")])
def test_fold_makes_variants_equal(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("text", ["Đặng Văn Minh", "Ủy ban nhân dân xã Tịnh Ấn Tây", "Quyết định 15/QĐ-UBND"])
def test_fold_nfd_input(text):
    decomposed = NFD(text)
    assert decomposed != text  # really decomposed
    assert fold(decomposed) == fold(text)


def test_nfc_and_clean_line():
    assert vntext.nfc(NFD("Ủy ban")) == "Ủy ban"
    assert vntext.nfc("\ufeffa\x00b") == "ab"
    assert vntext.clean_line("  Ủy   ban\n nhân dân ") == "Ủy ban nhân dân"


# --- fts_query --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("", ""),
        ("   ", ""),
        ("dang van minh", '"dang" "van" "minh"*'),
        ("Đặng", '"dang"*'),
        ("107/UBND-NC", '"107/ubnd-nc"*'),
        ('"', '""""*'),
        ('Đề án "cải cách"', '"de" "an" """cai" "cach"""*'),
        ("AND", '"and"*'),
        ("x NOT y", '"x" "not" "y"*'),
        ("*", '"*"*'),
        ("NEAR(a b)", '"near(a" "b)"*'),
        ("a\x00b", '"a" "b"*'),
    ],
)
def test_fts_query_quotes_every_word(text, query):
    assert fts_query(text) == query


def _fts_table() -> sqlite3.Connection:
    """An FTS5 table tokenised like the register's, with folded rows."""
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE VIRTUAL TABLE t USING fts5(x, tokenize="unicode61 remove_diacritics 2")')
    rows = [
        "Công văn 107/UBND-NC về cải cách hành chính",
        "Quyết định 15/QĐ-UBND, người ký Đặng Văn Minh",
        "Đề án của Ủy ban nhân dân & Sở Nội vụ",
        'Thông báo "khẩn" NOT AND OR * NEAR',
    ]
    conn.executemany("INSERT INTO t (x) VALUES (?)", [(fold(row),) for row in rows])
    return conn


def _match(conn: sqlite3.Connection, text: str) -> list[int]:
    query = fts_query(text)
    if not query:
        return [row[0] for row in conn.execute("SELECT rowid FROM t ORDER BY rowid")]
    return [row[0] for row in conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", [query])]


@pytest.mark.parametrize(
    ("text", "rowids"),
    [
        ("107/UBND-NC", [1]),
        ("107/ubnd-nc", [1]),
        ("cai cach", [1]),
        ("dang van minh", [2]),
        ("Đặng", [2]),
        ("QĐ", [2]),
        ("qd", [2]),
        ("de an", [3]),
        ("uy ban", [3]),
        ("Uỷ ban", [3]),
        ("NOT", [4]),
        ("AND", [4]),
        ('"khẩn"', [4]),
        ("cải cá", [1]),  # the last word is a prefix
        ("", [1, 2, 3, 4]),
    ],
)
def test_fts_query_finds_folded_text(text, rowids):
    conn = _fts_table()
    try:
        assert _match(conn, text) == rowids
    finally:
        conn.close()


@pytest.mark.parametrize(
    "text", ['"', '""', "*", "-", "^", "AND", "OR", "NOT", "NEAR", "a OR", "(", ")", ":", "\x00"]
)
def test_fts_query_operators_are_plain_words(text):
    conn = _fts_table()
    try:
        _match(conn, text)  # must not raise
    finally:
        conn.close()


# --- sort_key: the pinned Vietnamese order ---------------------------------------------------------------------

ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
TONES = ["ma", "mà", "mả", "mã", "má", "mạ"]  # none, huyền, hỏi, ngã, sắc, nặng

ORDERED_PAIRS = [
    # the alphabet, letter by letter
    *zip(ALPHABET, ALPHABET[1:], strict=False),
    # the examples agreed with the domain guide
    ("an", "ăn"),
    ("ăn", "ân"),
    ("ân", "bà"),
    ("da", "đa"),
    ("đa", "e"),
    ("Dũng", "Đặng"),
    ("o", "ô"),
    ("ô", "ơ"),
    ("ơ", "p"),
    ("u", "ư"),
    ("ư", "v"),
    ("e", "ê"),
    ("ê", "g"),
    # tone is the secondary key
    *zip(TONES, TONES[1:], strict=False),
    ("hoa", "hòa"),
    ("Hòa Bình", "Hoá Bình"),
    ("Bà Rịa-Vùng Tàu", "Bà Rịa-Vũng Tàu"),  # the tone of each syllable, also across a hyphen
    ("Rịa-Vùng", "Rịa-Vũng"),
    # primary letters win over tones
    ("má a", "ma b"),
    ("mạ", "mb"),
    ("ạ", "b"),
    ("Ủy ban", "Văn phòng"),
    # case does not matter
    ("An", "ăn"),
    ("ma", "MÀ"),
    ("MÁ A", "ma b"),
    # a prefix sorts first
    ("ban", "ban hành"),
    ("Ban", "ban hành"),
    ("mà", "ma a"),
    ("UBND", "UBND tỉnh"),
    ("Quyết định", "Quyết định số 15"),
    # digits before letters
    ("1", "a"),
    ("9", "a"),
    ("2025", "Anh"),
    ("Tổ 1", "Tổ a"),
    ("15/QĐ-UBND", "Công văn"),
]


@pytest.mark.parametrize(("smaller", "larger"), ORDERED_PAIRS, ids=[f"{a}<{b}" for a, b in ORDERED_PAIRS])
def test_sort_order(smaller, larger):
    assert sort_key(smaller) < sort_key(larger)


EQUAL_PAIRS = [
    ("Uỷ ban", "Ủy ban"),
    ("hoà", "hòa"),
    ("thuỷ", "thủy"),
    ("Ma", "ma"),
    ("MÀ", "mà"),
    ("ĐẶNG VĂN MINH", "Đặng Văn Minh"),
    ("Ủy   ban", "Ủy ban"),
    ("UBND tỉnh Hoà-Bình", "UBND tỉnh Hòa-Bình"),
    (NFD("Đặng Văn Minh"), "Đặng Văn Minh"),
]


@pytest.mark.parametrize(("a", "b"), EQUAL_PAIRS, ids=[f"{a}={b}" for a, b in EQUAL_PAIRS])
def test_sort_key_equal(a, b):
    assert sort_key(a) == sort_key(b)


def test_sorting_a_shuffled_list():
    expected = [
        "1 Tổ dân phố",
        "An",
        "Ăn",
        "Ân",
        "Bà",
        "Bình",
        "Dũng",
        "Đà Nẵng",
        "Đặng Văn Minh",
        "Đề án",
        "Ê",
        "Giang",
        "Hòa",
        "Hoà Bình",
        "Ma",
        "Mà",
        "Mả",
        "Mã",
        "Má",
        "Mạ",
        "Oanh",
        "Ông",
        "Ơn",
        "Phúc",
        "Ủy ban nhân dân",
        "Ưng",
        "Văn phòng",
        "Xuân",
        "Yến",
    ]
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == expected


def test_sort_key_sorts_the_same_in_sqlite():
    """The key is meant for SQLite's default BINARY collation: ORDER BY must agree with Python."""
    words = ["Đặng", "Dũng", "ăn", "an", "Ân", "mạ", "má", "ma", "Uỷ ban", "Ưng", "2025", "ban hành", "ban"]
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE t (word TEXT, k TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(w, sort_key(w)) for w in words])
        in_sqlite = [row[0] for row in conn.execute("SELECT word FROM t ORDER BY k, word")]
    finally:
        conn.close()
    assert in_sqlite == sorted(words, key=lambda w: (sort_key(w), w))


@pytest.mark.parametrize("empty", ["", None])
def test_sort_key_empty(empty):
    assert sort_key(empty) == ""


# --- properties -------------------------------------------------------------------------------------------------

# Text that looks like what a clerk types, plus anything at all.
VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY0123456789 /-.,&\"'*()")
        + list("àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
        + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    ),
    max_size=40,
)
ANY_TEXT = st.one_of(VIETNAMESE, st.text())


@given(ANY_TEXT)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(ANY_TEXT)
def test_fold_has_no_marks_and_no_d_stroke(text):
    folded = fold(text)
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "đ" not in folded and "Đ" not in folded


@given(ANY_TEXT)
def test_fold_ignores_normalisation_form(text):
    assert fold(NFD(text)) == fold(unicodedata.normalize("NFC", text))


@given(ANY_TEXT)
def test_sort_key_never_raises(text):
    assert isinstance(sort_key(text), str)


@given(VIETNAMESE)
def test_sort_key_ignores_normalisation_form(text):
    assert sort_key(NFD(text)) == sort_key(unicodedata.normalize("NFC", text))


def _without_tones(text: str) -> str:
    """The text with its five tone marks removed, vowel marks and đ kept: the primary letters."""
    kept = (ch for ch in NFD(text) if ch not in "\u0300\u0301\u0303\u0309\u0323")
    return unicodedata.normalize("NFC", "".join(kept))


@given(VIETNAMESE, VIETNAMESE)
@example("0", "\u0300 1")  # a stray tone mark with no letter once gave its word a leading space
def test_sort_key_primary_letters_win(a, b):
    """When the letters without tones differ, the tones never change the order."""
    primary_a, primary_b = sort_key(_without_tones(a)), sort_key(_without_tones(b))
    if primary_a != primary_b:
        assert (sort_key(a) < sort_key(b)) == (primary_a < primary_b)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_fts_query_never_breaks_match(text):
    conn = _fts_table()
    try:
        query = fts_query(text)
        if query:
            conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [query]).fetchall()
    finally:
        conn.close()


def test_nfc_cleans_pasted_text():
    from parclerk.vntext import nfc

    pasted = "Ủy ban\r\nnhân dân\x0bxã\x00 Ba\ufeff Tơ\x07!\tx"
    assert nfc(pasted) == "Ủy ban\nnhân dân\nxã Ba Tơ !\tx"
    assert nfc("Uy\u0309 ban") == "Uỷ ban"  # decomposed input is recomposed
