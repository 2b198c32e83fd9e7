"""What the PyInstaller bundle leaves out, shared by build.spec and the bare-bundle benchmark
(benchmarks/bundle_startup.py), so both are trimmed alike.

Two lists:

- EXCLUDED_MODULES: Python modules PyInstaller must not analyse or collect (their extension modules and the
  libraries those link go with them).
- TRIM_PATTERNS: files dropped from the Analysis after the hooks ran (`a.binaries`, `a.datas`). PyInstaller's Qt
  hooks collect every plugin of each plugin type a Qt module may use, and every library those plugins link;
  a widgets-only app needs few of them. Patterns are fnmatch patterns over the file's destination in the
  bundle, lower-cased, with "/" separators; `*` also matches "/". Names differ by system: the Windows wheel
  keeps Qt in PySide6/ (Qt6Gui.dll, plugins/, translations/), the Linux one in PySide6/Qt/ (lib/libQt6Gui.so.6).

`trim` also drops the libraries only dropped files linked (see `_orphans`). No kept library or plugin links a
dropped one: checked for Windows on the import tables of the PySide6-Essentials 6.12 win_amd64 wheel, and for
Linux by scripts/build-bundle on every build (`ldd` over every file of the bundle).
"""

from __future__ import annotations

import fnmatch
import sys

EXCLUDED_MODULES = [
    # Tk: no Tk UI; Pillow's ImageTk would otherwise bring Tcl/Tk along.
    "tkinter",
    "_tkinter",
    "PIL.ImageTk",
    "PIL._imagingtk",
    # Qt modules parclerk does not import (it uses QtCore, QtGui, QtWidgets, QtPrintSupport; a test keeps
    # PySide6 inside parclerk/ui).
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtDBus",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    # Pillow only draws the PNG bar chart (parclerk/reports/chart.py); its AVIF and WebP codecs are
    # import-guarded (SUPPORTED = False without them). _avif alone is 7.9 MB in the Windows wheel.
    "PIL._avif",
    "PIL._webp",
    # Colour management (and lcms2) only serves Image.convert between RGB and LAB; ImageCms fails on use without it.
    "PIL._imagingcms",
    # lxml's hook collects every lxml submodule; nothing (python-docx, docxtpl, openpyxl, pypdf) uses objectify.
    "lxml.objectify",
    # Developer tools of the standard library, reached only through lxml.doctestcompare (collected by the same
    # hook, never imported): doctest, unittest, the debugger, pydoc and readline (Linux: libreadline, libtinfo).
    "doctest",
    "unittest",
    "pdb",
    "pydoc",
    "readline",
    # Neither TLS nor an event loop nor worker processes: the app never goes online (ssl is reached only through
    # urllib, http.client, asyncio, smtplib, which all import it inside try/except), jinja2 imports asyncio only
    # to render async templates, and the Runner uses threads. Linux: libssl too.
    "ssl",
    "_ssl",
    "asyncio",
    "multiprocessing",
    "concurrent.futures.process",
    # More of lxml than python-docx, docxtpl and openpyxl use (they use lxml.etree): HTML tools (diff: 0.9 MB),
    # Schematron, SAX.
    "lxml.html",
    "lxml.isoschematron",
    "lxml.sax",
]

if sys.platform.startswith("linux"):
    # Linux only (the smoke-test bundle, kept under 140 MiB): OpenSSL's hashes (libcrypto, 4.5 MiB). hashlib falls
    # back to the built-in sha256, sha1, md5, sha512 and blake2 that parclerk, pypdf and openpyxl use (nothing
    # uses pbkdf2 or scrypt). The Windows bundle keeps it: OpenSSL's SHA-256 is about 6x faster, which backups
    # of many originals feel.
    EXCLUDED_MODULES.append("_hashlib")

TRIM_PATTERNS = [
    # Qt's .qm translations: Qt has none in Vietnamese, and the app loads no .qm file (parclerk/ui/qt_strings.py
    # translates the few Qt strings a clerk sees); English is Qt's source language and needs no file.
    "pyside6/*translations/*.qm",
    # Software OpenGL (Windows, 20 MB): a fallback for OpenGL and Qt Quick content on machines without a GPU
    # driver. Widgets paint with the raster engine and never load it.
    "pyside6/opengl32sw.dll",
    # ICU data for Qt PDF and WebEngine (Windows wheel, 10 MB), collected only with them; QtCore uses the ICU
    # built into Windows 10 (icuuc.dll).
    "pyside6/*icudtl.dat",
    # QML, Qt Quick and the virtual keyboard: the app is widgets-only.
    "pyside6/*qt6qml*",
    "pyside6/*qt6quick*",
    "pyside6/*qt6virtualkeyboard*",
    "pyside6/*qml/*",
    "pyside6/*plugins/qmltooling/*",
    "pyside6/*plugins/platforminputcontexts/*virtualkeyboard*",
    # Qt PDF (pulled in by the imageformats/qpdf plugin): the app writes PDF with QPrinter (QtPrintSupport)
    # and reads PDF text with pypdf.
    "pyside6/*qt6pdf*",
    "pyside6/*plugins/imageformats/*qpdf*",
    # Networking: QtNetwork is not imported; in the bundle only the TUIO touch plugin (generic/) and the VNC
    # platform plugin link it. tls/ and networkinformation/ are QtNetwork's own plugins.
    "pyside6/*qt6network*",
    "pyside6/*plugins/tls/*",
    "pyside6/*plugins/networkinformation/*",
    "pyside6/*plugins/generic/*",
    # Image formats Qt never reads here: the app shows PNG (built into QtGui), the SVG calendar icon
    # (imageformats/qsvg, iconengines/qsvgicon) and the .ico app icon (imageformats/qico), kept. Scans and
    # photos are opened in the system viewer, not in Qt. Without qjpeg, QPrinter's PDF stores pictures
    # losslessly (Flate), which it does anyway for the PNG chart.
    "pyside6/*plugins/imageformats/*qgif*",
    "pyside6/*plugins/imageformats/*qjpeg*",
    "pyside6/*plugins/imageformats/*qtiff*",
    "pyside6/*plugins/imageformats/*qwebp*",
    "pyside6/*plugins/imageformats/*qicns*",
    "pyside6/*plugins/imageformats/*qtga*",
    "pyside6/*plugins/imageformats/*qwbmp*",
    # Platform plugins: qwindows (Windows), xcb (Linux) and offscreen (smoke tests, benchmarks) stay. The others
    # are for embedded devices (eglfs, linuxfb, vnc, vkkhrdisplay), tests (minimal) or experimental (direct2d).
    "pyside6/*plugins/platforms/*qminimal*",
    "pyside6/*plugins/platforms/*qdirect2d*",
    "pyside6/*plugins/platforms/*qeglfs*",
    "pyside6/*plugins/platforms/*qlinuxfb*",
    "pyside6/*plugins/platforms/*qvnc*",
    "pyside6/*plugins/platforms/*qvkkhrdisplay*",
    "pyside6/*plugins/egldeviceintegrations/*",
    "pyside6/*qt6eglfs*",
    # Linux only (the Linux bundle is a smoke test; the product is the Windows bundle). Wayland: Qt falls back to
    # xcb (XWayland). The GTK3 theme plugin drags GTK, cairo and pango in from the build machine.
    "pyside6/*plugins/wayland-*",
    "pyside6/*plugins/platforms/*qwayland*",
    "pyside6/*qt6waylandclient*",
    "pyside6/*qt6wlshellintegration*",
    "pyside6/*plugins/platformthemes/*qgtk3*",
    # Linux only: the CUPS print plugin brings libcups, GnuTLS, Kerberos and p11-kit (8.6 MiB) from the build
    # machine; without it Qt on Linux prints to PDF only. Windows printing is built into Qt6PrintSupport.dll.
    "pyside6/*plugins/printsupport/*cups*",
]


def dropped(dest_name: str) -> bool:
    """True when the file with this destination in the bundle matches a TRIM_PATTERNS entry."""
    name = dest_name.replace("\\", "/").lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in TRIM_PATTERNS)


def _base(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1].lower()


def _orphans(binaries, drop: set[str]) -> set[str]:
    """The libraries PyInstaller collected only because a dropped file links them (the GTK theme plugin's GTK,
    the VNC plugin's QtNetwork …): reachable from a dropped file and linked by nothing that stays. PyInstaller's
    dependency analysis runs inside Analysis, so dropping a plugin afterwards leaves its libraries behind."""
    from PyInstaller.depend.bindepend import get_imports

    imports = {dest: {_base(name) for name, _path in get_imports(src)} for dest, src, _kind in binaries}
    by_base: dict[str, set[str]] = {}
    for dest in imports:
        by_base.setdefault(_base(dest), set()).add(dest)
    reachable, todo = set(), list(drop & imports.keys())
    while todo:
        for base in imports[todo.pop()]:
            for dest in by_base.get(base, ()):
                if dest not in reachable and dest not in drop:
                    reachable.add(dest)
                    todo.append(dest)
    removed = set(drop)
    changed = True
    while changed:
        changed = False
        for dest in sorted(reachable - removed):
            base = _base(dest)
            if not any(
                base in libs for other, libs in imports.items() if other not in removed and other != dest
            ):
                removed.add(dest)
                changed = True
    return removed - drop


def trim(binaries, datas):
    """a.binaries and a.datas without the files TRIM_PATTERNS names, the libraries only those needed, and the
    symbolic links to either. Returns (binaries, datas, removed destination names)."""
    drop = {dest for dest, _src, _kind in [*binaries, *datas] if dropped(dest)}
    drop |= _orphans(binaries, drop)
    links = {dest for dest, target, kind in datas if kind == "SYMLINK" and target in drop}
    drop |= links
    return (
        [entry for entry in binaries if entry[0] not in drop],
        [entry for entry in datas if entry[0] not in drop],
        sorted(drop),
    )
