"""The PDF that ReportLab wrote, as numbered objects to add to and write out compactly.

Takes the bytes of a PDF as ReportLab writes it, or as pikepdf saves it without object streams
(an imposed document, see ``impose``): a header, objects ``n 0 obj ... endobj`` numbered from 1
in order, one cross-reference table whose offsets say where each object starts, a trailer. Gives
``RawPdf``: each object's text, what the trailer points to, the pages and their annotations, a way
to add entries to a dictionary and to add objects, and ``write``, which writes the file again as
PDF 1.7 with every object that is not a stream packed into compressed object streams, a
cross-reference stream and an ID made from the content (so the same objects give the same bytes).

Nothing is parsed but the few dictionaries this needs; streams are copied as they were
compressed. This is the one pass after ReportLab that turns its PDF into a tagged one (see
``structure``), in place of opening and saving it with a general PDF library.
"""

from __future__ import annotations

import hashlib
import re
import zlib

_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_REF = re.compile(rb"/(Root|Info)\s+(\d+)\s+0\s+R")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_ANNOTS = re.compile(rb"/Annots\s*\[([^\]]*)\]")
_REFS = re.compile(rb"(\d+)\s+0\s+R")
_TYPE_PAGES = re.compile(rb"/Type\s*/Pages\b")
_ENTRY_STRING = rb"/%s\s*(\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<[0-9A-Fa-f\s]*>)"
_FLATE = rb"/Filter\s*(?:\[\s*)?/FlateDecode(?:\s*\])?\s*"
_SIMPLE_STREAM = re.compile(  # ReportLab writes /Filter first, pikepdf /Length
    rb"<<\s*(%s)?/Length\s+(\d+)\s*(%s)?>>\s*stream\r?\n" % (_FLATE, _FLATE)
)
OBJECTS_PER_STREAM = 100


class RawPdf:
    """ReportLab's PDF as numbered objects (see the module docstring)."""

    def __init__(self, data: bytes) -> None:
        found = _STARTXREF.search(data[-64:])
        if found is None:
            raise ValueError("not a PDF written by ReportLab: no startxref")
        xref = int(found.group(1))
        head, _, rest = data[xref:].partition(b"\ntrailer")
        offsets = [int(m.group(1)) for m in _XREF_ENTRY.finditer(head) if m.group(3) == b"n"]
        self.version = b"1.7"
        self.objects: dict[int, bytes] = {}
        ends = [*offsets[1:], xref]
        for number, (start, end) in enumerate(zip(offsets, ends, strict=True), 1):
            chunk = data[start:end]
            opening = b"%d 0 obj\n" % number
            if not chunk.startswith(opening):
                raise ValueError(f"object {number} is not where the cross-reference table says")
            self.objects[number] = chunk[len(opening) : chunk.rindex(b"endobj")].rstrip(b"\n")
        self._next = max(self.objects, default=0) + 1
        refs = {m.group(1): int(m.group(2)) for m in _REF.finditer(rest)}
        self.root, self.info = refs[b"Root"], refs.get(b"Info")

    # --- reading ---------------------------------------------------------------------------

    def pages(self) -> list[int]:
        """The object numbers of the pages, in order (ReportLab keeps them in one /Pages)."""
        for body in self.objects.values():
            if body.startswith(b"<<") and _TYPE_PAGES.search(body):
                kids = _KIDS.search(body)
                if kids is not None:
                    return [int(n) for n in _REFS.findall(kids.group(1))]
        raise ValueError("no page tree")

    def annotations(self, page: int) -> list[int]:
        """The object numbers of a page's annotations, in the order they were made."""
        found = _ANNOTS.search(self.objects[page])
        return [int(n) for n in _REFS.findall(found.group(1))] if found else []

    def references(self, key: str) -> set[int]:
        """The objects that dictionaries (not streams) point to under ``key``."""
        pattern = re.compile(rb"/%s\s+(\d+)\s+0\s+R" % key.encode())
        return {
            int(found)
            for body in self.objects.values()
            if not body.endswith(b"endstream")
            for found in pattern.findall(body)
        }

    def stream_data(self, number: int) -> bytes | None:
        """The data of a stream compressed with Flate (or not compressed), or None for a stream
        with other filters or entries."""
        found = _SIMPLE_STREAM.match(self.objects[number])
        if found is None:
            return None
        start = found.end()
        data = self.objects[number][start : start + int(found.group(2))]
        return zlib.decompress(data) if found.group(1) or found.group(3) else data

    def set_stream(self, number: int, data: bytes) -> None:
        """Replace a stream's data (compressed)."""
        packed = zlib.compress(data)
        self.objects[number] = b"<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
            len(packed),
            packed,
        )

    def string(self, number: int, key: str) -> bytes | None:
        """The text of a string entry (``(...)`` or ``<...>``) of a dictionary, as written."""
        found = re.search(_ENTRY_STRING % key.encode(), self.objects[number])
        return found.group(1) if found else None

    # --- changing --------------------------------------------------------------------------

    def add_entries(self, number: int, entries: bytes) -> None:
        """Add ``/Key value`` entries to a dictionary object (not a stream)."""
        body = self.objects[number].rstrip()
        if not body.endswith(b">>") or b"stream" in body[-20:]:
            raise ValueError(f"object {number} is not a dictionary")
        self.objects[number] = body[:-2].rstrip() + b" " + entries + b"\n>>"

    def add(self, body: bytes) -> int:
        """A new object; its number."""
        number, self._next = self._next, self._next + 1
        self.objects[number] = body
        return number

    def reserve(self) -> int:
        """A number for an object whose text is set later (one that others point to first)."""
        return self.add(b"null")

    # --- writing ---------------------------------------------------------------------------

    def write(self) -> bytes:
        """The PDF: streams as they are, every other object in object streams, then a
        cross-reference stream (see the module docstring)."""
        out = bytearray(b"%PDF-" + self.version + b"\n%\xe2\xe3\xcf\xd3\n")
        where: dict[int, tuple[int, int, int]] = {}  # number -> (type, field 2, field 3)
        packed: list[int] = []
        for number in sorted(self.objects):
            body = self.objects[number]
            if body.endswith(b"endstream"):
                where[number] = (1, len(out), 0)
                out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
            else:
                packed.append(number)
        following = max(self.objects) + 1
        for first in range(0, len(packed), OBJECTS_PER_STREAM):
            group = packed[first : first + OBJECTS_PER_STREAM]
            stream_number, following = following, following + 1
            header, bodies, at = [], [], 0
            for index, number in enumerate(group):
                header.append(b"%d %d" % (number, at))
                bodies.append(self.objects[number])
                at += len(self.objects[number]) + 1
                where[number] = (2, stream_number, index)
            index_text = b" ".join(header) + b"\n"
            data = zlib.compress(index_text + b"\n".join(bodies) + b"\n")
            where[stream_number] = (1, len(out), 0)
            out += (
                b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
                b"\nstream\n%s\nendstream\nendobj\n"
                % (stream_number, len(group), len(index_text), len(data), data)
            )
        xref_number = following
        where[xref_number] = (1, len(out), 0)
        size = xref_number + 1
        rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")  # object 0: free
        for number in range(1, size):
            kind, second, third = where.get(number, (0, 0, 0))
            rows += bytes((kind,)) + second.to_bytes(4, "big") + third.to_bytes(2, "big")
        identity = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
        info = b" /Info %d 0 R" % self.info if self.info else b""
        data = zlib.compress(bytes(rows))
        out += (
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R%s"
            b" /ID [ <%s> <%s> ] /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\n"
            b"endobj\nstartxref\n%d\n%%%%EOF\n"
            % (xref_number, size, self.root, info, identity, identity, len(data), data,
               where[xref_number][1])
        )  # fmt: skip
        return bytes(out)


def pdf_text(token: bytes) -> str:
    """The text of a PDF string as written (``(...)`` with escapes, or ``<hex>``): UTF-16 when
    it starts with a byte order mark, else PDFDocEncoding (Latin-1 for the text written here)."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(token[1:-1].decode("ascii"))
    else:
        raw = _unescape(token[1:-1])
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    return raw.decode("latin-1")


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.DOTALL)


def _unescape(text: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes((int(code, 8) & 0xFF,))
        if code in (b"\n", b"\r", b"\r\n"):
            return b""  # a line continuation
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, text)


def pdf_string(text: str) -> bytes:
    """``text`` as a PDF text string: literal when it is ASCII, else UTF-16 with a byte order
    mark, in hex."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.replace("\r", "\\r").encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"
