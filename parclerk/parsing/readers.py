"""The one door from a directive file (or pasted text) to the text the parser reads.

`read_document(path)` reads .txt, .docx and .pdf files with a text layer; everything else, and every file it
cannot read (missing, locked, corrupt, encrypted, a scan with no text layer), raises a `ParclerkError` whose
Vietnamese message tells the clerk what happened and that the directive can still be registered by hand.
`read_text(text)` is the same door for pasted text. The result is always NFC (`vntext.nfc`), with \\n line ends,
paragraphs separated by a blank line, like the sample directives in ../shared/samples/.

.docx: the body is walked in document order, paragraphs and tables interleaved. A Decree 30 directive puts its
header in a borderless two-column table (issuing body, "Số: …", "V/v …" on the left; the national motto and the
place-and-date line on the right) and its "Nơi nhận" list and signature block in another; each row is written
cell by cell, the whole left cell, a blank line, then the whole right cell: a header laid out in rows
(issuer | motto; number | date; subject) reads issuer, motto, number, date, subject as in the samples, a
one-row header its left cell's blocks, then its right cell's. Word's automatic list numbers ("1.", "a)", "-") are not in the text of a
paragraph: they are recomputed from numbering.xml, best effort, because the parser finds tasks by them.
Left out on purpose: section headers and footers (page numbers), footnotes, comments, text boxes and shapes,
deleted tracked changes (inserted ones are kept), field codes (their shown result is kept).

Hostile files end in a message, not a hang: a .docx is checked before python-docx parses it (its unpacked size,
then `scan_package_xml`, shared with the Excel importer: no DTD, a bounded number of XML elements); a PDF is
read for at most MAX_PDF_PAGES pages and MAX_PDF_CONTENT_BYTES of page content.

.pdf: pypdf's text layer, page by page, with tabs and runs of spaces folded to one space. A PDF with pages but
(almost) no text is a scan: `ScannedDocumentError`. No OCR.

Pure library code: no Qt, no I/O beyond reading the one file. python-docx and pypdf are imported when needed.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from parclerk.errors import ParclerkError
from parclerk.vntext import nfc

log = logging.getLogger(__name__)

# A directive is a few hundred KB: a 2 GB file is a mistake, and is not read into memory to find out.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_DOCX_UNPACKED = 300 * 1024 * 1024  # the parts of a .docx once unzipped: a zip bomb stops here
# Files inside a .docx or .xlsx: a real one has a few dozen, a few hundred with pictures.
MAX_PACKAGE_PARTS = 10_000
# XML elements in all the parts of a .docx. python-docx keeps each as an lxml node: 5 million empty paragraphs
# (30 MB unzipped, 100 KB zipped) took 16 s and 840 MB. A 100-page directive has some 300,000.
MAX_DOCX_ELEMENTS = 2_000_000
MAX_PDF_PAGES = 200  # pages read from one PDF; the rest of a longer one is left out
# Decoded page content read from one PDF. pypdf reads 0.7-1.3 MB of it a second and a text page is 30-60 KB, so
# this is some 100 pages in 3-6 s, while a hostile 5 KB file of 200 pages sharing one 840 KB content stream took
# 190 s. The pages after the budget is spent are left out, like those after MAX_PDF_PAGES.
MAX_PDF_CONTENT_BYTES = 4 * 1024 * 1024
MIN_CHARS_PER_PAGE = 20  # fewer non-space characters per page on average: a scan without a text layer
MAX_TABLE_DEPTH = 5  # tables nested deeper than this inside .docx table cells are left out

_BY_HAND_TAIL = "vẫn có thể đăng ký văn bản bằng cách nhập tay các thông tin và đính kèm tệp gốc."
_BY_HAND = "Bạn " + _BY_HAND_TAIL


class ScannedDocumentError(ParclerkError):
    """A PDF whose pages are pictures only: there is no text to read without OCR."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "Tệp PDF này là bản quét, không có lớp chữ nên không đọc tự động được. "
            "Bạn vẫn có thể đăng ký văn bản bằng cách nhập tay các thông tin và đính kèm tệp gốc."
        )


def read_text(text: str) -> str:
    """Pasted text, as the parser wants it: NFC, \\n line ends, no surrounding white space."""
    return nfc(text).strip()


def read_document(path: Path) -> str:
    """The text of a directive file (.txt, .docx, or .pdf with a text layer), NFC, for the parser.

    Raises ParclerkError (Vietnamese) for any other format and for any file it cannot read;
    ScannedDocumentError for a PDF that is a scan.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        kind = f"tệp {suffix}" if suffix else f"tệp “{path.name}” (không có phần mở rộng)"
        raise ParclerkError(
            f"Chưa đọc được {kind}. parclerk đọc được .txt, .docx và .pdf có lớp chữ; "
            "với tệp khác, hãy dán nội dung hoặc nhập tay các thông tin."
        )
    _check_file(path)
    text = nfc(reader(path))
    if not text.strip():
        hint = (
            " Có thể nội dung là ảnh chụp hoặc nằm trong khung văn bản (text box)."
            if suffix == ".docx"
            else ""
        )
        raise ParclerkError(f"Tệp “{path.name}” không có chữ nào để đọc.{hint} {_BY_HAND}")
    return text


# --- files -----------------------------------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    """The file is there, is a file, and is small enough to read into memory."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ParclerkError(
            f"Không tìm thấy tệp “{path.name}”. Hãy kiểm tra tệp còn ở chỗ cũ (hoặc ổ USB còn cắm) rồi thử lại."
        ) from None
    except OSError as exc:
        raise _os_error(path, exc) from exc
    if path.is_dir():
        raise ParclerkError(f"“{path.name}” là một thư mục, không phải tệp văn bản.")
    if info.st_size > MAX_FILE_BYTES:
        raise ParclerkError(
            f"Tệp “{path.name}” quá lớn ({info.st_size / 1024 / 1024:,.0f} MB): parclerk chỉ đọc tự động tệp "
            f"đến {MAX_FILE_BYTES // 1024 // 1024} MB. {_BY_HAND}"
        )


def _os_error(path: Path, exc: OSError) -> ParclerkError:
    if isinstance(exc, PermissionError):
        return ParclerkError(
            f"Không mở được tệp “{path.name}”: không có quyền đọc, hoặc tệp đang bị chương trình khác khóa. "
            "Hãy đóng chương trình đó (Word, trình đọc PDF…) rồi thử lại."
        )
    if isinstance(exc, FileNotFoundError):
        return ParclerkError(f"Không tìm thấy tệp “{path.name}”.")
    return ParclerkError(
        f"Không đọc được tệp “{path.name}” (lỗi ổ đĩa hoặc đường dẫn: {exc.strerror or exc})."
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _os_error(path, exc) from exc


def _corrupt(path: Path, kind: str) -> ParclerkError:
    return ParclerkError(
        f"Tệp “{path.name}” bị hỏng hoặc không phải tệp {kind} thật nên không đọc được. Hãy thử mở tệp bằng "
        f"{'Word' if kind == 'Word (.docx)' else 'trình đọc PDF'}; bạn {_BY_HAND_TAIL}"
    )


# --- .txt ------------------------------------------------------------------------------------------------------

# Control characters that do not occur in text (tab, line ends, form feed and Word's \v are fine).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _read_txt(path: Path) -> str:
    text = decode_text(_read_bytes(path))
    if text is None:
        raise ParclerkError(
            f"Không nhận ra bảng mã của tệp “{path.name}”, hoặc đây không phải tệp văn bản. Hãy lưu lại tệp "
            "dạng văn bản UTF-8 (trong Notepad: Lưu thành… → Mã hóa: UTF-8), hoặc dán nội dung vào ô văn bản."
        )
    return text


def decode_text(data: bytes) -> str | None:
    """Bytes of a text file -> str, or None if no encoding fits cleanly.

    UTF-8 (with or without BOM); UTF-16 with a BOM (Notepad's "Unicode"); UTF-16 without a BOM, when the NUL
    bytes say so; then cp1258, the Vietnamese Windows code page, whose tone marks are combining characters
    (NFC makes them precomposed again). TCVN3 (.VnTime) files decode as cp1258 into the wrong letters: that
    cannot be told apart from the bytes alone without a dictionary, and such files are rare since 2001.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", *_utf16_guess(data), "cp1258")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _NOT_TEXT.search(text):
            return text
    return None


def _utf16_guess(data: bytes) -> tuple[str, ...]:
    """UTF-16 without a BOM: Vietnamese text there has a NUL in most even (BE) or odd (LE) bytes."""
    if len(data) < 2 or len(data) % 2 or b"\x00" not in data:
        return ()
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > half * 0.3 and even == 0:
        return ("utf-16-le",)
    if even > half * 0.3 and odd == 0:
        return ("utf-16-be",)
    return ()


# --- .docx -----------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, TBL, TR, TC, SDT, SDT_CONTENT = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _PTAB, _BR, _CR = (_W + t for t in ("t", "tab", "ptab", "br", "cr"))
_NO_BREAK_HYPHEN, _SOFT_HYPHEN = _W + "noBreakHyphen", _W + "softHyphen"
# Containers whose children are blocks (paragraphs, tables) or rows/cells, walked through transparently.
_BLOCK_WRAPPERS = {SDT, _W + "customXml", _W + "ins", _W + "moveTo"}
# Inside a paragraph: properties (pPr holds tab stops named w:tab), deleted text, text boxes and shapes
# (skipped: a text box's place in the reading order is unknown), footnote and comment marks.
_INLINE_SKIP = {
    _W + "pPr",
    _W + "sdtPr",
    _W + "sdtEndPr",
    _W + "rPr",
    _W + "del",
    _W + "moveFrom",
    _W + "drawing",
    _W + "pict",
    _W + "object",
    _MC + "AlternateContent",
    _W + "instrText",
    _W + "delText",
    _W + "footnoteReference",
    _W + "endnoteReference",
    _W + "commentReference",
}


def _read_docx(path: Path) -> str:
    import docx  # python-docx: loaded only when a .docx is read

    data = _read_bytes(path)  # file-system errors here; past this point any failure is the file's content
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
            if unpacked > MAX_DOCX_UNPACKED:
                raise ParclerkError(
                    f"Tệp “{path.name}” quá lớn khi giải nén ({unpacked / 1024 / 1024:,.0f} MB) nên parclerk "
                    f"không đọc tự động. {_BY_HAND}"
                )
            scan_package_xml(package, max_elements=MAX_DOCX_ELEMENTS)
    except ParclerkError:
        raise
    except PackageLimit as limit:
        log.info("%s refused: %s", path, limit.reason)
        if limit.reason == "dtd":
            raise ParclerkError(
                f"Tệp “{path.name}” có khai báo DTD (tệp Word thật không có phần này) nên parclerk không đọc, để "
                f"an toàn. {_BY_HAND}"
            ) from None
        if limit.reason in ("elements", "parts"):
            raise ParclerkError(
                f"Tệp “{path.name}” quá lớn hoặc quá phức tạp (quá nhiều thành phần) nên parclerk không đọc tự động. "
                f"{_BY_HAND}"
            ) from None
        raise _corrupt(path, "Word (.docx)") from None
    except Exception as exc:  # BadZipFile (a bad CRC too), and worse on damaged central directories
        log.info("%s is not a zip: %r", path, exc)
        raise _corrupt(path, "Word (.docx)") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = docx.Document(io.BytesIO(data))
            numbering = _Numbering(document)
            blocks: list[str] = []
            _walk_blocks(document.element.body, blocks, numbering, depth=0)
    except MemoryError:
        raise
    except Exception as exc:  # not a zip, no word/document.xml, bad XML ...: python-docx has no error type
        log.info("cannot read %s as .docx: %r", path, exc)
        raise _corrupt(path, "Word (.docx)") from exc
    return "\n\n".join(blocks)


class PackageLimit(Exception):
    """Why `scan_package_xml` refused an Office package: "parts", "dtd", "elements", "row" or "encoding"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def scan_package_xml(
    package: zipfile.ZipFile, *, max_elements: int, max_row_cells: int | None = None
) -> None:
    """Stream every part of an Office package (.docx, .xlsx) through expat, keeping nothing, before the real
    reader parses it; raise PackageLimit for what would make that reader use unbounded time or memory:

    - "parts": more than MAX_PACKAGE_PARTS files in the zip;
    - "dtd": a document type declaration (entity expansion, external entities); Word and Excel never write one;
    - "elements": more than `max_elements` elements in all parts together;
    - "row": a spreadsheet row with more than `max_row_cells` cells;
    - "encoding": a part in UTF-32 or a multi-byte encoding (Shift_JIS, GB18030 ...), which lxml reads and
      expat cannot: its elements would escape the count. Word and Excel write UTF-8 (or UTF-16).

    A part that is not well-formed XML (a picture, a broken part) is left to the real reader. zipfile's own
    errors (a bad CRC: a part bigger than its declared size stops there) go to the caller.
    """
    from xml.parsers import expat

    elements = row_cells = 0

    def start(name: str, _attributes: Any) -> None:
        nonlocal elements, row_cells
        elements += 1
        if elements > max_elements:
            raise PackageLimit("elements")
        if max_row_cells is not None:
            local = name.rpartition(" ")[2]
            if local == "row":
                row_cells = 0
            elif local == "c":
                row_cells += 1
                if row_cells > max_row_cells:
                    raise PackageLimit("row")

    def doctype(*_args: Any) -> None:
        raise PackageLimit("dtd")

    members = package.infolist()
    if len(members) > MAX_PACKAGE_PARTS:
        raise PackageLimit("parts")
    for member in members:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = doctype
        row_cells = 0
        with package.open(member) as part:
            chunk = part.read(1 << 16)
            if _utf32(chunk[:8]):
                raise PackageLimit("encoding")
            try:
                while chunk:
                    parser.Parse(chunk, False)
                    chunk = part.read(1 << 16)
                parser.Parse(b"", True)
            except expat.ExpatError:
                continue  # not XML, or broken XML
            except (ValueError, LookupError):  # "multi-byte encodings are not supported", "unknown encoding"
                raise PackageLimit("encoding") from None


def _utf32(head: bytes) -> bool:
    """The start of an XML part in UTF-32: a BOM, or "<" as four bytes."""
    return (
        head[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")
        or (head[:4] == b"\x00\x00\x00<" and head[4:7] == b"\x00\x00\x00")
        or (head[:4] == b"<\x00\x00\x00" and head[5:8] == b"\x00\x00\x00")
    )


def _walk_blocks(container: Any, out: list[str], numbering: _Numbering, depth: int) -> None:
    """Paragraphs and tables of a body, cell or content control, in document order."""
    for child in container:
        tag = child.tag
        if tag == P:
            text = _paragraph_text(child, numbering)
            if text:
                out.append(text)
        elif tag == TBL:
            _walk_table(child, out, numbering, depth + 1)
        elif tag in _BLOCK_WRAPPERS:
            _walk_blocks(child.find(SDT_CONTENT) if tag == SDT else child, out, numbering, depth)
        # sectPr, bookmarks, and the like carry no text


def _walk_table(tbl: Any, out: list[str], numbering: _Numbering, depth: int) -> None:
    """Row by row; in a row, cell by cell, each cell's whole content.

    The w:tc elements are walked, not python-docx's `row.cells`: that gives a merged cell once per grid column
    and row it spans (the same cell again), while a cell spanning columns (gridSpan) is one w:tc, and the
    continuation cells of a vertical merge (vMerge) are empty w:tc, so each cell's text comes out once.
    """
    if depth > MAX_TABLE_DEPTH:
        log.info("table nested %d deep left out", depth)
        return
    for row in _children(tbl, TR):
        for cell in _children(row, TC):
            _walk_blocks(cell, out, numbering, depth)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """The children of `element` with `tag`, looking through content controls and custom XML wrappers."""
    if element is None:
        return
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child.find(SDT_CONTENT) if child.tag == SDT else child, tag)


def _paragraph_text(p: Any, numbering: _Numbering) -> str:
    parts: list[str] = []
    _inline_text(p, parts)
    text = "".join(parts)
    prefix = numbering.label(p)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    if prefix and text:
        text = f"{prefix} {text}"
    return text


def _inline_text(element: Any, out: list[str]) -> None:
    """Text of runs, hyperlinks, inserted text, smart tags, fields … in document order."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _INLINE_SKIP:  # comments, processing instructions
            continue
        if tag == _T:
            out.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            out.append("\t")
        elif tag in (_BR, _CR):
            out.append("\n")  # a line break; page and column breaks also end a line
        elif tag == _NO_BREAK_HYPHEN:
            out.append("-")
        elif tag in (_SOFT_HYPHEN, P, TBL):  # paragraphs inside a paragraph: only in (skipped) text boxes
            continue
        else:
            _inline_text(child, out)


class _Numbering:
    """Word's automatic list labels ("1.", "a)", "-"), recomputed from numbering.xml and the styles.

    Best effort: counters per list (numId) and level, deeper levels restart when a shallower one counts on;
    formats decimal, letters, roman and bullets (drawn as "-", as Vietnamese documents write them by hand).
    Anything unexpected gives no label rather than an error.
    """

    def __init__(self, document: Any):
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self._style_num: dict[str, tuple[str | None, int | None]] = {}  # styleId -> (numId, ilvl)
        self._counters: dict[str, dict[int, int]] = {}
        try:
            self._load(document)
        except Exception as exc:  # a broken numbering part: read the text without list labels
            log.info("numbering ignored: %r", exc)
            self._levels.clear()

    def _load(self, document: Any) -> None:
        part = document.part
        numbering = None
        for rel in part.rels.values():  # not part.numbering_part: that creates a numbering part if none
            if rel.reltype.endswith("/numbering") and not rel.is_external:
                numbering = rel.target_part.element
        if numbering is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in numbering.findall(_W + "abstractNum"):
            abstract[_attr(node, "abstractNumId") or ""] = {
                int(_attr(lvl, "ilvl") or 0): _level(lvl) for lvl in node.findall(_W + "lvl")
            }
        for num in numbering.findall(_W + "num"):
            levels = dict(abstract.get(_attr(num.find(_W + "abstractNumId"), "val") or "", {}))
            for override in num.findall(_W + "lvlOverride"):
                ilvl = int(_attr(override, "ilvl") or 0)
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = _attr(override.find(_W + "startOverride"), "val")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (int(start), *levels[ilvl][1:])
            self._levels[_attr(num, "numId") or ""] = levels
        styles = document.styles.element
        if styles is not None:
            based_on: dict[str, str] = {}
            for style in styles.findall(_W + "style"):
                style_id = _attr(style, "styleId") or ""
                based_on[style_id] = _attr(style.find(_W + "basedOn"), "val") or ""
                self._style_num[style_id] = _num_pr(style.find(_W + "pPr"))
            for style_id in list(self._style_num):  # inherit numbering through basedOn, a few levels deep
                current, steps = style_id, 0
                while (
                    self._style_num.get(current, (None, None))[0] is None
                    and based_on.get(current)
                    and steps < 10
                ):
                    current, steps = based_on[current], steps + 1
                num_id, ilvl = self._style_num.get(current, (None, None))
                own_ilvl = self._style_num[style_id][1]
                self._style_num[style_id] = (num_id, own_ilvl if own_ilvl is not None else ilvl)

    def label(self, p: Any) -> str:
        if not self._levels:
            return ""
        try:
            return self._label(p)
        except Exception as exc:  # odd numbering data: no label, never an error
            log.info("list label skipped: %r", exc)
            return ""

    def _label(self, p: Any) -> str:
        ppr = p.find(_W + "pPr")
        num_id, ilvl = _num_pr(ppr)
        style_id = _attr(ppr.find(_W + "pStyle"), "val") if ppr is not None else None
        if style_id and (num_id is None or ilvl is None):
            style_num, style_ilvl = self._style_num.get(style_id, (None, None))
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self._levels:
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        levels = self._levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        _start, fmt, template = levels[ilvl]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return template.strip()

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            start, level_fmt, _ = levels.get(level, (1, "decimal", ""))
            return _format_number(counters.get(level, start), level_fmt)

        return re.sub(r"%([1-9])", number, template).strip()


def _level(lvl: Any) -> tuple[int, str, str]:
    start = _attr(lvl.find(_W + "start"), "val")
    return (
        int(start) if start and start.lstrip("-").isdigit() else 1,
        _attr(lvl.find(_W + "numFmt"), "val") or "decimal",
        _attr(lvl.find(_W + "lvlText"), "val") or "",
    )


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    num_pr = ppr.find(_W + "numPr") if ppr is not None else None
    if num_pr is None:
        return None, None
    ilvl = _attr(num_pr.find(_W + "ilvl"), "val")
    return _attr(num_pr.find(_W + "numId"), "val"), int(ilvl) if ilvl and ilvl.isdigit() else None


def _attr(element: Any, name: str) -> str | None:
    return None if element is None else element.get(_W + name)


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letters = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        roman = ""
        for value, digits in _ROMAN:
            count, n = divmod(n, value)
            roman += digits * count
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


# --- .pdf ------------------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader  # loaded only when a PDF is read
    from pypdf.errors import DependencyError

    data = _read_bytes(path)  # file-system errors here (the size is checked); the rest is the file's content
    with warnings.catch_warnings():  # pypdf warns about every oddity of a broken file
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _decrypt(reader, path, DependencyError)
            page_count = len(reader.pages)
        except (ParclerkError, MemoryError):
            raise
        except Exception as exc:  # PdfReadError, PdfStreamError, ValueError, KeyError ... from a broken file
            log.info("cannot read %s as PDF: %r", path, exc)
            raise _corrupt(path, "PDF") from exc
        if page_count == 0:
            raise ParclerkError(f"Tệp PDF “{path.name}” không có trang nào, hoặc bị hỏng. {_BY_HAND}")
        if page_count > MAX_PDF_PAGES:
            log.info("%s has %d pages; reading the first %d", path, page_count, MAX_PDF_PAGES)
        pages: list[str] = []
        failed = 0
        budget = MAX_PDF_CONTENT_BYTES
        for index in range(min(page_count, MAX_PDF_PAGES)):
            try:
                page = reader.pages[index]
                contents = page.get_contents()
                size = 0 if contents is None else len(contents.get_data())
                if size > budget:
                    log.info("%s: page %d has %d bytes of content left; reading stops", path, index + 1, size)
                    break
                budget -= size
                pages.append(_clean_pdf_page(page.extract_text() or ""))
            except MemoryError:
                raise
            except Exception as exc:  # one broken page: read the others
                log.info("page %d of %s unreadable: %r", index + 1, path, exc)
                failed += 1
                pages.append("")
        read = len(pages)
        if read == 0:
            raise ParclerkError(
                f"Trang đầu của tệp PDF “{path.name}” quá lớn hoặc quá phức tạp nên parclerk không đọc tự động. "
                f"{_BY_HAND}"
            )
        if failed == read:
            raise _corrupt(path, "PDF")
        letters = sum(len(page) - page.count(" ") - page.count("\n") for page in pages)
        if letters < MIN_CHARS_PER_PAGE * read:
            # A scan is pictures of pages. No text and no picture either: a damaged file (or a blank one).
            if any(_has_image(reader.pages[index]) for index in range(read)):
                raise ScannedDocumentError()
            raise ParclerkError(
                f"Không tìm thấy chữ nào trong tệp PDF “{path.name}”: tệp có thể bị hỏng hoặc chỉ có trang trắng. "
                f"Hãy thử mở tệp bằng trình đọc PDF; bạn {_BY_HAND_TAIL}"
            )
    return "\n\n".join(page for page in pages if page)


# An inline image: "BI", then "ID" later on. Two searches, not rb"(?:^|\s)BI\s.*?\sID\s": that lazy regex
# rescanned the rest of the stream from every "BI" (40,000 of them, 120 KB, took 20 s).
_INLINE_BEGIN = re.compile(rb"(?:^|\s)BI\s")
_INLINE_DATA = re.compile(rb"\sID\s")


def _has_image(page: Any) -> bool:
    """The page draws a picture: an image XObject, directly or in a form XObject, or an inline image (BI)."""
    try:
        if _resources_have_image(page.get("/Resources"), depth=0):
            return True
        contents = page.get_contents()
        if contents is None:
            return False
        data = contents.get_data()
        begin = _INLINE_BEGIN.search(data)  # the first "BI" leaves the most room for an "ID" after it
        return begin is not None and _INLINE_DATA.search(data, begin.end()) is not None
    except Exception as exc:  # a damaged page: not a scan we can vouch for
        log.info("cannot look for images: %r", exc)
        return False


def _resources_have_image(resources: Any, depth: int) -> bool:
    if resources is None or depth > 3:
        return False
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return False
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _resources_have_image(xobject.get("/Resources"), depth + 1):
            return True
    return False


def _decrypt(reader: Any, path: Path, dependency_error: type[Exception]) -> None:
    """Open an encrypted PDF that needs no password to read (only an owner password restricting printing or
    copying: common on published documents); refuse one that needs a password."""
    try:
        opened = reader.decrypt("")
    except dependency_error as exc:  # AES needs the optional 'cryptography' package
        log.info("cannot decrypt %s: %r", path, exc)
        raise ParclerkError(
            f"Tệp PDF “{path.name}” được mã hóa theo cách parclerk chưa giải được nên không đọc tự động được. "
            f"{_BY_HAND}"
        ) from exc
    if not opened:
        raise ParclerkError(
            f"Tệp PDF “{path.name}” được đặt mật khẩu nên không đọc tự động được. Hãy xin bản không đặt mật khẩu "
            f"từ nơi gửi; bạn {_BY_HAND_TAIL}"
        )


def _clean_pdf_page(text: str) -> str:
    """pypdf's text of one page: tabs and runs of spaces between words folded to one space, line ends kept,
    trailing spaces and the blank lines at both ends of the page dropped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip("\n")


_READERS: dict[str, Callable[[Path], str]] = {".txt": _read_txt, ".docx": _read_docx, ".pdf": _read_pdf}
