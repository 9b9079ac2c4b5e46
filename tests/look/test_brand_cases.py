"""Brand files that must be refused: each bad brand in cases/ beside the exact messages expected,
as ``handout check --brand`` prints them (and ``handout build`` would refuse them too).

Run ``pytest --update-golden`` to rewrite the .expected files from actual output (then read the
diff before committing). Pictures too large to keep in the repository are made by the tests.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from fixtures import run_cli, write_handout

CASES = Path(__file__).parent / "cases"
INPUTS = sorted(CASES.glob("*.brand.yaml"))


def check_brand(brand: Path, handouts: Path, cwd: Path) -> tuple[int, list[str]]:
    """``handout check --brand``: its exit code and the problems it found in the brand file."""
    result = run_cli("check", "--brand", brand, handouts, cwd=cwd)
    assert "Traceback" not in result.output
    return result.exit_code, brand_lines(result.output, brand)


def brand_lines(output: str, brand: Path) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{brand}:")]


def test_there_are_brand_cases() -> None:
    assert len(INPUTS) >= 4


@pytest.mark.parametrize("case", INPUTS, ids=[p.name.removesuffix(".brand.yaml") for p in INPUTS])
def test_brand_case(case: Path, tmp_path: Path, update_golden: bool) -> None:
    write_handout(tmp_path / "h")
    code, messages = check_brand(Path("cases") / case.name, tmp_path / "h", CASES.parent)
    assert code == 1
    expected = case.with_name(case.name.removesuffix(".brand.yaml") + ".expected")
    if update_golden:
        expected.write_text("\n".join(messages) + "\n", encoding="utf-8")
    assert messages == expected.read_text(encoding="utf-8").splitlines()
    for message in messages:
        assert message.startswith(f"cases/{case.name}:")


def bomb_png(path: Path, width: int, height: int) -> None:
    """A valid PNG of ``width`` x ``height`` black pixels, written without ever holding them:
    a few hundred kilobytes that unpack to hundreds of megabytes (a decompression bomb)."""
    row = b"\x00" * (1 + width * 3)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_logo_is_refused_by_check_and_build(tmp_path: Path) -> None:
    bomb_png(tmp_path / "logo.png", 12_000, 12_000)
    (tmp_path / "brand.yaml").write_text("organisation: X\nlogo: logo.png\n", encoding="utf-8")
    write_handout(tmp_path / "h")
    expected = [
        "brand.yaml:2:7: logo: logo is too large (144,000,000 pixels; the limit is 4,000,000 "
        "pixels): scale it down"
    ]
    assert check_brand(Path("brand.yaml"), Path("h"), tmp_path) == (1, expected)
    built = run_cli("build", "--brand", "brand.yaml", "h", "-o", "out", cwd=tmp_path)
    assert built.exit_code == 1 and brand_lines(built.output, Path("brand.yaml")) == expected
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_logo_over_the_limit_names_its_size(tmp_path: Path) -> None:
    bomb_png(tmp_path / "logo.png", 2500, 2000)
    (tmp_path / "brand.yaml").write_text("organisation: X\nlogo: logo.png\n", encoding="utf-8")
    write_handout(tmp_path / "h")
    assert check_brand(Path("brand.yaml"), Path("h"), tmp_path) == (
        1,
        [
            "brand.yaml:2:7: logo: logo is too large (2500x2000 pixels; the limit is 4,000,000 "
            "pixels): scale it down"
        ],
    )


def test_a_logo_file_too_large_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.jpg").write_bytes(b"\xff\xd8" + b"\x00" * 5_000_001)
    (tmp_path / "brand.yaml").write_text("organisation: X\nlogo: logo.jpg\n", encoding="utf-8")
    write_handout(tmp_path / "h")
    assert check_brand(Path("brand.yaml"), Path("h"), tmp_path) == (
        1,
        ["brand.yaml:2:7: logo: logo file is too large (5,000,003 bytes; the limit is 5,000,000)"],
    )
