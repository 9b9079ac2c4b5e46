"""Picture files (handout images and brand logos): opened and judged before any layout.

Takes the path of a PNG, JPEG or SVG file and the limits for its use (``CONTENT`` or ``LOGO``);
``image_problem`` gives one sentence saying what is wrong with it, or None when it will draw.
``svg_drawing`` gives the ReportLab drawing of an SVG that passed, for the layout stage.

What is checked, so that a build never fails on a picture that ``handout check`` passed:

- **Raster files** (PNG and JPEG only, whatever the suffix says) are opened with Pillow limited to
  those two decoders, their size in bytes and in pixels is checked from the header *before* any
  pixel is decoded (so a decompression bomb is refused without being unpacked), then decoded in
  full, so a damaged file is found now and not by the PDF writer.
- **SVG files** are parsed without network, DTD loading or entity expansion, and must be
  self-contained. The policy: an ``href`` (``xlink:href`` or plain, on any element) may only point
  into the same file (``#id``) or hold a PNG or JPEG as a ``data:`` URI, which is then checked like
  a raster file; ``url(...)`` in a style may only name ``#id``; no ``@import``, no
  ``<?xml-stylesheet?>``, no entity declarations. Anything else is refused, whether or not the
  file it names exists, so the result says nothing about files outside the folder. Text elements
  (``text``, ``tspan``, ``textPath``, in any namespace or prefix) are refused: their fonts could
  not be embedded. Finally the drawing is made, as the build will make it, and must have a size.

``svg_drawing`` hands svglib the file's bytes, never its path: with no path svglib cannot open
any other file, so even an SVG that skipped the check cannot reach outside its folder. A drawing
that still holds text (which svglib would set in an unembedded standard font) is refused there.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from PIL import Image as PILImage
from reportlab.graphics.shapes import Drawing, Group, String

RASTER_FORMATS = ("PNG", "JPEG")
SVG_SUFFIX = ".svg"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath", "tref", "altGlyph", "flowRoot"})
MAX_SVG_SHAPES = 50_000
"""Elements an SVG may draw once every ``<use>`` is expanded: a picture has hundreds; a chain of
uses that doubles at each step (an "SVG bomb") would have millions."""
_DATA_URI = re.compile(r"^data:image/(png|jpeg|jpg);base64,(.*)$", re.IGNORECASE | re.DOTALL)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """How large a picture may be for one use."""

    what: str  # "image" or "logo", for messages
    max_bytes: int
    max_pixels: int


CONTENT = Limits("image", max_bytes=20_000_000, max_pixels=25_000_000)
"""A handout's picture: a 6000 x 4000 photo fits; more would only make the PDF heavy."""
LOGO = Limits("logo", max_bytes=5_000_000, max_pixels=4_000_000)
"""A logo is printed about 2 cm high: 2000 x 2000 pixels is far more than print needs."""


def image_problem(path: Path, limits: Limits) -> str | None:
    """What is wrong with the picture at ``path`` (see the module docstring), or None."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return (
                f"{limits.what} file is too large ({size:,} bytes; the limit is "
                f"{limits.max_bytes:,})"
            )
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read {limits.what} file: {exc.strerror or exc}"
    if path.suffix.lower() == SVG_SUFFIX:
        return svg_problem(data, limits)
    return raster_problem(data, limits)


def raster_problem(data: bytes, limits: Limits) -> str | None:
    """What is wrong with PNG or JPEG bytes, or None (see the module docstring)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=RASTER_FORMATS) as img:
                width, height = img.size
                if width < 1 or height < 1:
                    return f"not a readable PNG or JPEG {limits.what} (it has no pixels)"
                if width * height > limits.max_pixels:
                    return _too_many_pixels(f"{width}x{height}", limits)
                img.load()  # decode every pixel now, so a damaged file is found at check time
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        # Pillow's own limit (far above ours) stops it before the size can be read from it
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return _too_many_pixels(f"{int(found.group(1)):,}" if found else "too many", limits)
    except PILImage.UnidentifiedImageError:
        return f"not a readable PNG or JPEG {limits.what} (the file is of another kind)"
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        return f"not a readable PNG or JPEG {limits.what} (the file is damaged or cut short)"
    return None


def _too_many_pixels(size: str, limits: Limits) -> str:
    return (
        f"{limits.what} is too large ({size} pixels; the limit is {limits.max_pixels:,} "
        "pixels): scale it down"
    )


def svg_problem(data: bytes, limits: Limits) -> str | None:
    """What is wrong with an SVG file's bytes, or None (see the module docstring)."""
    root = _parse(data)
    if isinstance(root, str):
        return f"not a readable SVG {limits.what} ({root})"
    if etree.QName(root).localname != "svg":
        return f"not an SVG {limits.what} (its outer element is not <svg>)"
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        return f"SVG {limits.what}s may not declare entities (<!ENTITY ...>)"
    before = list(root.itersiblings(preceding=True))  # what stands before <svg>
    for node in [*before, *root.iter()]:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            return f"SVG {limits.what}s may not load a style sheet (<?xml-stylesheet?>)"
        if not isinstance(node.tag, str):
            continue  # a comment or processing instruction
        name = etree.QName(node).localname
        if name in TEXT_ELEMENTS:
            return (
                f"SVG {limits.what}s may not contain text (<{name}>): its font cannot be "
                "embedded; convert the text to paths (outlines) in your drawing program"
            )
        if name == "style" and "@import" in (node.text or ""):
            return f"SVG {limits.what}s may not import style sheets (@import)"
        for attribute, value in node.attrib.items():
            problem = _reference_problem(etree.QName(attribute).localname, value, limits)
            if problem:
                return problem
        if name == "style":
            problem = _css_problem(node.text or "", limits)
            if problem:
                return problem
    if _expanded_size(root) > MAX_SVG_SHAPES:
        return (
            f"SVG {limits.what} is too complex: with its <use> copies it has over "
            f"{MAX_SVG_SHAPES:,} elements"
        )
    try:
        drawing = svg_drawing(data)
    except SvgError as exc:
        return f"not a usable SVG {limits.what} ({exc})"
    if not drawing.width or not drawing.height:
        return f"SVG {limits.what} has no size: give the <svg> element a width and height"
    return None


class SvgError(ValueError):
    """An SVG that cannot be drawn as it stands; the message says why, in a few words."""


def svg_drawing(data: bytes) -> Drawing:
    """The ReportLab drawing of SVG bytes; svglib gets no path, so it opens no other file."""
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(io.BytesIO(data))
    except Exception as exc:  # svglib raises many kinds on odd input
        raise SvgError(f"svglib could not read it: {type(exc).__name__}") from None
    if drawing is None:
        raise SvgError("it is not well-formed XML")
    if _has_text(drawing):
        raise SvgError("it holds text, whose font cannot be embedded")
    return drawing


def _parse(data: bytes) -> Any:
    """The root element of SVG bytes, or a few words saying why there is none."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", 0) or 0
        return f"not well-formed XML at line {line}" if line else "not well-formed XML"
    except ValueError:
        return "not XML text"


def _reference_problem(attribute: str, value: str, limits: Limits) -> str | None:
    """Why an attribute's reference is refused (see the module docstring), or None."""
    value = value.strip()
    if attribute == "href":
        if value.startswith("#") or not value:
            return None
        found = _DATA_URI.match(value)
        if found:
            return _embedded_raster_problem(found.group(2), limits)
        if value.lower().startswith("data:"):
            return (
                f"SVG {limits.what}s may embed only PNG or JPEG pictures "
                "(data:image/png;base64,... or data:image/jpeg;base64,...)"
            )
        return _outside(value, limits)
    return _css_problem(value, limits)


def _css_problem(text: str, limits: Limits) -> str | None:
    for match in _CSS_URL.finditer(text):
        target = match.group(2).strip()
        if not target.startswith("#"):
            return _outside(target, limits)
    return None


def _outside(target: str, limits: Limits) -> str:
    shown = target if len(target) <= 60 else target[:57] + "..."
    return (
        f"SVG {limits.what}s must be self-contained, but this one refers to '{shown}'; "
        "only references inside the file (#id) and embedded PNG or JPEG pictures are allowed"
    )


def _embedded_raster_problem(encoded: str, limits: Limits) -> str | None:
    try:
        raw = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        return f"an embedded picture in this SVG {limits.what} is not valid base64 data"
    problem = raster_problem(raw, limits)
    return f"an embedded picture in this SVG {limits.what}: {problem}" if problem else None


def _expanded_size(root: Any) -> int:
    """How many elements the drawing has once each ``<use>`` is replaced by what it names
    (counting stops soon after the limit; a ``<use>`` that names its own ancestor counts once)."""
    elements = [node for node in root.iter() if isinstance(node.tag, str)]  # kept alive, so
    by_id = {node.get("id"): node for node in elements}  # each keeps its id() while counting
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            return 1
        visiting.add(key)
        total = 1
        for kid in node:
            if isinstance(kid.tag, str):
                total += size(kid)
                if total > MAX_SVG_SHAPES:
                    break
        if etree.QName(node).localname == "use":
            href = next((v for k, v in node.attrib.items() if k.endswith("href")), "")
            target = by_id.get(href.strip()[1:]) if href.strip().startswith("#") else None
            if target is not None:
                total += size(target)
        visiting.discard(key)
        sizes[key] = total = min(total, MAX_SVG_SHAPES + 1)
        return total

    return size(root)


def _has_text(node: Any) -> bool:
    if isinstance(node, String):
        return True
    if isinstance(node, Group):  # a Drawing is a Group too
        return any(_has_text(kid) for kid in node.contents)
    return False
