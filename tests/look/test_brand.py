"""Brand files: separate from content, validated with positions, assets kept in their folder."""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from fixtures import pdf_pages_text, reader, write_handout
from handout_builder import build
from handout_builder.cli import main
from handout_builder.errors import HandoutError
from handout_builder.look.brand import load_brand


def test_default_brand_ships_in_the_package() -> None:
    loaded = load_brand()
    assert loaded.brand.organisation == "Your Clinic"
    assert loaded.logo is not None and loaded.logo.suffix == ".svg"


def write_brand(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_brand_with_png_logo_and_a4(tmp_path: Path) -> None:
    Image.new("RGB", (200, 100), (10, 120, 60)).save(tmp_path / "logo.png")
    write_brand(
        tmp_path,
        "organisation: Riverside Spine Clinic\nlogo: logo.png\npaper: a4\n"
        "contact: {phone: '555-0199', website: riverside.example}\n"
        "colours: {primary: '#0B5E3A'}\nfooter: Open 8am to 6pm\n",
    )
    path = write_handout(tmp_path)
    [result] = build([tmp_path], tmp_path / "out")
    assert result.status == "built", result.problems
    first = pdf_pages_text(result.output)[0]
    assert "Riverside Spine Clinic" in first and "555-0199" in first and "Open 8am" in first
    page = reader(result.output).pages[0]
    assert round(float(page.mediabox.width)) == 595
    assert "/XObject" in page["/Resources"]  # the logo
    assert reader(result.output).metadata.author == "Riverside Spine Clinic"
    assert path.exists()


def test_brand_flag_overrides_handouts_brand(tmp_path: Path) -> None:
    write_brand(tmp_path / "h", "organisation: Folder Brand\n")
    other = write_brand(tmp_path / "b", "organisation: Flag Brand\n")
    write_handout(tmp_path / "h")
    [result] = build([tmp_path / "h"], tmp_path / "out", brand_path=other)
    assert "Flag Brand" in pdf_pages_text(result.output)[0]


def test_bad_brand_gets_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_brand(
        tmp_path,
        "organisation: X\ncolours:\n  primary: blue\n  txt: '#000000'\n"
        "paper: legal\nlogo: ../outside.png\nbody_size: 9\n",
    )
    write_handout(tmp_path)
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 1
    assert result.stderr == ""  # problems in the brand are findings of the check: on stdout
    assert result.stdout.splitlines()[:4] == [
        "brand.yaml:3:12: colours.primary: expected a colour as #RRGGBB, e.g. '#1F4E79' "
        "(quote it: # starts a comment)",
        "brand.yaml:4:3: colours.txt: unknown field 'txt'; did you mean 'text'?",
        "brand.yaml:5:8: paper: expected one of: 'letter' or 'a4'",
        "brand.yaml:7:12: body_size: must be at least 12",
    ]


def test_brand_assets_may_not_leave_the_folder(tmp_path: Path) -> None:
    Image.new("RGB", (10, 10)).save(tmp_path / "outside.png")
    path = write_brand(tmp_path / "brand", "organisation: X\nlogo: ../outside.png\n")
    with pytest.raises(HandoutError) as info:
        load_brand(path)
    assert str(info.value).endswith(
        "brand.yaml:2:7: logo: '../outside.png' is outside the brand file's folder"
    )


def test_svg_logo_with_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><text>Hi</text></svg>'
    )
    path = write_brand(tmp_path, "organisation: X\nlogo: logo.svg\n")
    with pytest.raises(HandoutError, match="convert the text to paths"):
        load_brand(path)


def test_brand_text_the_fonts_cannot_draw_is_reported(tmp_path: Path) -> None:
    path = write_brand(tmp_path, "organisation: Clinic ሀ\n")  # Ethiopic: no font of ours has it
    with pytest.raises(HandoutError, match=r"brand.yaml:1:22: organisation: character 'ሀ'"):
        load_brand(path)


def test_an_edited_svg_logo_is_drawn_anew(tmp_path: Path) -> None:
    """The SVG logo is read once per process, and again when the file changes."""

    def logo(fill: str) -> None:
        (tmp_path / "logo.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            f'<rect width="10" height="10" fill="{fill}"/></svg>',
            encoding="utf-8",
        )

    def fill_colours(pdf_path: Path) -> set[str]:
        with pikepdf.open(pdf_path) as pdf:
            ops = pikepdf.parse_content_stream(pdf.pages[0])
            return {" ".join(str(o) for o in i.operands) for i in ops if str(i.operator) == "rg"}

    write_brand(tmp_path, "organisation: X\nlogo: logo.svg\n")
    write_handout(tmp_path)
    logo("#ff0000")
    [first] = build([tmp_path], tmp_path / "first")
    logo("#0000ff")
    os.utime(tmp_path / "logo.svg", ns=(1, 1))  # a different modification time for sure
    [second] = build([tmp_path], tmp_path / "second")
    assert first.status == "built" and second.status == "built"  # the brand changed
    assert "1 0 0" in fill_colours(first.output)
    assert "0 0 1" in fill_colours(second.output) and "1 0 0" not in fill_colours(second.output)
