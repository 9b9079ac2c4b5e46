"""The fonts of a PDF as PDF/UA-1 and ISO 32000-1 want them: Unicode maps that give every
character its text, and a distinct name for every font subset.

Takes an open ``pikepdf.Pdf``; changes it in place:

- ``clean_unicode_maps``: each font's ``ToUnicode`` CMap without the entries that map a code to
  U+0000, U+FEFF or U+FFFE (PDF/UA-1 7.21.7 forbids them; ReportLab writes U+0000 for every
  code of a subset that no character took, and for code 0, ``.notdef``, which a page never
  shows: missing characters are reported before a build). The entries are rewritten in blocks
  of at most 100, as the CMap format asks; every other entry is kept as it was.
- ``unique_subset_tags``: fonts that are different subsets but share a name (``AAAAAA+Font``:
  each ReportLab document names its subsets from ``AAAAAA`` on, so joined documents repeat
  them) get a tag of their own, six capital letters made from the subset's font program, as
  ISO 32000-1 §9.6.4 asks. The first font of each name keeps it. The same fonts always get the
  same tags, so joined PDFs stay byte-identical.

And, for the checker (``pdfua``), on any PDF: ``forbidden_entries`` counts a CMap's entries to
those three characters (``bfchar`` and ``bfrange`` alike), ``shared_subset_names`` finds subset
names that more than one font has.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where they are used: building a handout needs only clean_cmap
    import pikepdf

FORBIDDEN = frozenset("\u0000\ufeff\ufffe")
"""Characters a ToUnicode entry may not map to (PDF/UA-1 7.21.7)."""
MAX_ENTRIES = 100  # per beginbfchar block (Adobe Technical Note 5411, the ToUnicode format)

_BFCHAR = re.compile(rb"\d+\s+beginbfchar\s(.*?)endbfchar\s?", re.DOTALL)
_BFCHAR_BODY = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_PAIR = re.compile(rb"<([0-9A-Fa-f\s]*)>\s*<([0-9A-Fa-f\s]*)>")
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
_RANGE = re.compile(rb"<([0-9A-Fa-f\s]*)>\s*<([0-9A-Fa-f\s]*)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_SUBSET = re.compile(r"^/?([A-Z]{6})\+(.+)$")


def fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every font dictionary the pages use (their resources and their forms'), each once, in
    page order."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for _, font in page_fonts(page.obj):
            key = font.objgen
            if key == (0, 0) or key not in seen:
                seen.add(key)
                yield font


def page_fonts(holder: pikepdf.Object, depth: int = 0) -> Iterator[tuple[str, pikepdf.Object]]:
    """(resource name, font dictionary) for every font of a page or form and of the forms it
    draws."""
    resources = holder.get("/Resources")
    if resources is None or depth > 8:
        return
    yield from (resources.get("/Font") or {}).items()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from page_fonts(xobject, depth + 1)


def unicode_text(hex_digits: bytes) -> str:
    """The text a ToUnicode destination (UTF-16BE in hex, spaces allowed) stands for; '' for
    digits that are not UTF-16."""
    try:
        raw = bytes.fromhex(b"".join(hex_digits.split()).decode("ascii"))
    except ValueError:
        return ""
    return raw.decode("utf-16-be", errors="surrogatepass")


def clean_unicode_maps(pdf: pikepdf.Pdf) -> None:
    """Drop the forbidden entries from every font's ToUnicode CMap (see the module docstring)."""
    import pikepdf

    done: set[tuple[int, int]] = set()
    for font in fonts(pdf):
        cmap = font.get("/ToUnicode")
        if not isinstance(cmap, pikepdf.Stream) or cmap.objgen in done:
            continue
        done.add(cmap.objgen)
        data = cmap.read_bytes()
        cleaned = clean_cmap(data)
        if cleaned != data:
            cmap.write(cleaned)  # compressed again when the PDF is saved


def clean_cmap(data: bytes) -> bytes:
    """A ToUnicode CMap without entries that map to forbidden characters, and with every
    destination written as UTF-16."""

    def block(match: re.Match[bytes]) -> bytes:
        pairs = [
            (src, _utf16(dst)) for src, dst in _PAIR.findall(match.group(1)) if not _forbidden(dst)
        ]
        out = b""
        for start in range(0, len(pairs), MAX_ENTRIES):
            chunk = pairs[start : start + MAX_ENTRIES]
            lines = b"".join(b"<%s> <%s>\n" % pair for pair in chunk)
            out += b"%d beginbfchar\n%sendbfchar\n" % (len(chunk), lines)
        return out

    return _BFCHAR.sub(block, data)


_FORBIDDEN_UNITS = frozenset({b"0000", b"FEFF", b"FFFE"})


def _utf16(dst: bytes) -> bytes:
    """A destination as UTF-16BE hex. ReportLab writes a character beyond U+FFFF (an emoji, a
    rare CJK ideograph) as its code point, ``<1F600>``, which readers take as UTF-16 and misread
    (U+1F60 and a stray digit); it must be the surrogate pair, ``<D83DDE00>``."""
    digits = b"".join(dst.split())
    if len(digits) % 4 == 0:
        return dst
    point = int(digits, 16)
    if point > 0x10FFFF:
        return dst
    return chr(point).encode("utf-16-be", errors="surrogatepass").hex().upper().encode()


def malformed_entries(data: bytes) -> int:
    """How many ``bfchar`` destinations of a ToUnicode CMap are not whole UTF-16 units."""
    return sum(
        len(b"".join(dst.split())) % 4 != 0
        for block in _BFCHAR_BODY.findall(data)
        for _, dst in _PAIR.findall(block)
    )


def _forbidden(dst: bytes) -> bool:
    """Whether a ToUnicode destination's text holds a forbidden character (one UTF-16 unit, the
    usual case, is looked up as it is written)."""
    if len(dst) == 4:
        return dst.upper() in _FORBIDDEN_UNITS
    return bool(FORBIDDEN.intersection(unicode_text(dst)))


def forbidden_entries(data: bytes) -> int:
    """How many codes a ToUnicode CMap maps to text with U+0000, U+FEFF or U+FFFE in it."""
    texts: list[str] = []
    count = 0
    for block in _BFCHAR_BODY.findall(data):
        count += sum(_forbidden(dst) for _, dst in _PAIR.findall(block))
    for block in _BFRANGE.findall(data):
        for low, high, dst in _RANGE.findall(block):
            if dst.startswith(b"["):  # one destination per code
                texts += [unicode_text(d) for d in _HEX.findall(dst)]
                continue
            first = unicode_text(dst[1:-1])  # the last character counts up through the range
            span = int(b"".join(high.split()) or b"0", 16) - int(b"".join(low.split()) or b"0", 16)
            if first:
                last = min(ord(first[-1]) + max(span, 0), 0x10FFFF)
                texts += [first[:-1] + chr(c) for c in range(ord(first[-1]), last + 1)]
    return count + sum(bool(FORBIDDEN.intersection(text)) for text in texts)


def shared_subset_names(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Subset names (``ABCDEF+Font``) that more than one font of the pages has, and how many."""
    owners: dict[str, set[tuple[int, int]]] = {}
    for font in fonts(pdf):
        name = _subset_name(font)
        if name:
            owners.setdefault(name, set()).add(font.objgen)
    return {name: len(objs) for name, objs in owners.items() if len(objs) > 1}


def unique_subset_tags(pdf: pikepdf.Pdf) -> None:
    """Give each font subset that shares its name with an earlier, different one a tag of its
    own (see the module docstring)."""
    subsets = [(font, _subset_name(font)) for font in fonts(pdf)]
    taken = {name for _, name in subsets if name}
    owner: dict[str, tuple[int, int]] = {}
    for font, name in subsets:
        if not name:
            continue
        if owner.setdefault(name, font.objgen) == font.objgen:
            continue
        old, base = name.split("+", 1)
        for attempt in range(1000):
            tag = _tag(font, attempt)
            renamed = f"{tag}+{base}"
            if renamed not in taken:
                break
        else:  # 26**6 tags: a thousand taken ones cannot happen
            raise RuntimeError(f"no free subset tag for {base}")
        taken.add(renamed)
        owner[renamed] = font.objgen
        _retag(font, old, tag)


def _subset_name(font: pikepdf.Object) -> str:
    """The font's name if it is a subset's (``ABCDEF+Name``), else ''."""
    name = str(font.get("/BaseFont", ""))
    return name[1:] if _SUBSET.match(name) else ""


def _described(font: pikepdf.Object) -> pikepdf.Object:
    """The font dictionary that holds the font descriptor (a Type0 font's descendant)."""
    if font.get("/Subtype") == "/Type0":
        return font.DescendantFonts[0]
    return font


def _tag(font: pikepdf.Object, attempt: int) -> str:
    """Six capital letters made from the font's program (and the attempt, on a collision)."""
    descriptor = _described(font).get("/FontDescriptor")
    program = b""
    if descriptor is not None:
        for key in ("/FontFile2", "/FontFile3", "/FontFile"):
            if key in descriptor:
                program = descriptor[key].read_raw_bytes()
                break
    digest = hashlib.sha256(
        program + str(font.get("/BaseFont")).encode() + attempt.to_bytes(2, "big")
    )
    number = int.from_bytes(digest.digest()[:8], "big")
    letters = ""
    for _ in range(6):
        number, index = divmod(number, 26)
        letters += string.ascii_uppercase[index]
    return letters


def _retag(font: pikepdf.Object, old: str, new: str) -> None:
    """Replace the subset tag ``old`` with ``new`` wherever the font names itself: its
    ``BaseFont``, a Type0 font's descendant's, and the font descriptor's ``FontName``."""
    described = _described(font)
    descriptor = described.get("/FontDescriptor")
    named = [(font, "/BaseFont"), (described, "/BaseFont"), (descriptor, "/FontName")]
    for holder, key in named:
        value = str(holder.get(key, "")) if holder is not None else ""
        if holder is not None and value.startswith(f"/{old}+"):
            from pikepdf import Name

            holder[key] = Name(f"/{new}+" + value[len(old) + 2 :])
