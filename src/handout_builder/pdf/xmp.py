"""XMP metadata for a tagged PDF: the document info repeated in XML, plus the PDF/UA-1 claim.

Takes the document information dictionary (title, author, subject, keywords, creator, producer,
dates as PDF date strings) and the language; gives the bytes of an XMP packet whose values match
the dictionary exactly (PDF/UA-1 asks for ``dc:title`` and ``pdfuaid:part``).
"""

from __future__ import annotations

import re
from typing import Protocol

from handout_builder.inline import escape

_PDF_DATE = re.compile(
    r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:(Z)|([+-])(\d\d)'?(\d\d)?'?)?"
)


def xmp_date(pdf_date: str) -> str:
    """A PDF date (``D:20260101000000+00'00'``) as an XMP date (``2026-01-01T00:00:00+00:00``)."""
    m = _PDF_DATE.match(pdf_date)
    if not m:
        raise ValueError(f"not a PDF date: {pdf_date!r}")
    year, month, day, hour, minute, second, zulu, sign, tz_h, tz_m = m.groups()
    out = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        out += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zulu:
            out += "Z"
        elif sign:
            out += f"{sign}{tz_h}:{tz_m or '00'}"
    return out


class DocumentInfo(Protocol):
    """What ``xmp_packet`` reads a document information dictionary through: a pikepdf
    ``Dictionary`` and a plain mapping both have it."""

    def get(self, key: str, /) -> object: ...


def xmp_packet(info: DocumentInfo, language: str = "") -> bytes:
    """The XMP packet for a document information dictionary (keys like ``/Title``)."""

    def get(key: str) -> str:
        value = info.get(key)
        return str(value) if value is not None else ""

    def alt(tag: str, value: str) -> str:
        if not value:
            return ""
        return (
            f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li>'
            f"</rdf:Alt></{tag}>"
        )

    def simple(tag: str, value: str) -> str:
        return f"<{tag}>{escape(value)}</{tag}>" if value else ""

    author, created, modified = get("/Author"), get("/CreationDate"), get("/ModDate")
    fields = [
        "<dc:format>application/pdf</dc:format>",
        alt("dc:title", get("/Title")),
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        if author
        else "",
        alt("dc:description", get("/Subject")),
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        if language
        else "",
        simple("pdf:Keywords", get("/Keywords")),
        simple("pdf:Producer", get("/Producer")),
        simple("xmp:CreatorTool", get("/Creator")),
        simple("xmp:CreateDate", xmp_date(created) if created else ""),
        simple("xmp:ModifyDate", xmp_date(modified) if modified else ""),
        simple("xmp:MetadataDate", xmp_date(modified) if modified else ""),
        "<pdfuaid:part>1</pdfuaid:part>",
    ]
    body = "\n    ".join(f for f in fields if f)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about=""
        xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
        xmlns:xmp="http://ns.adobe.com/xap/1.0/"
        xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
    {body}
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")
