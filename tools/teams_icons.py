#!/usr/bin/env python3
"""Generate the two icons a Microsoft Teams app package needs.

    assets/teams/color.png    192x192 RGB, opaque #4F46E5 background, white bell
    assets/teams/outline.png   32x32  RGBA, transparent background, white bell

Teams requires the outline icon to be white (#FFFFFF) on a transparent
background: every pixel here is (255, 255, 255, alpha), alpha being the
antialiased coverage of the glyph (0 outside it). The colour icon keeps its
bell inside the central 120x120 safe region.

Only the Python standard library is used (zlib + struct write the PNGs), and
the output is byte-for-byte deterministic, so `--check` can tell whether the
committed files are the ones this script makes.

Usage:
    python3 tools/teams_icons.py            # write into assets/teams/
    python3 tools/teams_icons.py --out DIR  # write into DIR
    python3 tools/teams_icons.py --check    # exit 1 if assets/teams/ differs
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path

BACKGROUND = (0x4F, 0x46, 0xE5)  # indigo
WHITE = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 8  # samples per pixel along each axis

# The bell, in glyph units: x in [-0.88, 0.88], y (downwards) in
# [-0.91, 0.78 + gap]. Parts: a knob, a domed body whose sides flare out
# towards the bottom, a rim with rounded ends, and a half-disc clapper
# hanging below the rim.
KNOB_Y, KNOB_R = -0.80, 0.11
DOME_Y, DOME_R = -0.25, 0.50
FLARE_END_Y, FLARE_EXTRA = 0.45, 0.30
RIM_TOP, RIM_BOTTOM, RIM_HALF_W, RIM_CORNER = 0.42, 0.58, 0.88, 0.08
CLAPPER_R = 0.20
GLYPH_TOP = KNOB_Y - KNOB_R


def glyph_bottom(gap: float) -> float:
    return RIM_BOTTOM + gap + CLAPPER_R


def inside_bell(x: float, y: float, gap: float) -> bool:
    """Is the point (x, y) in glyph units part of the bell?"""
    ax = abs(x)
    # knob on top
    if ax * ax + (y - KNOB_Y) ** 2 <= KNOB_R * KNOB_R:
        return True
    # dome: upper half of a circle
    if y <= DOME_Y:
        return ax * ax + (y - DOME_Y) ** 2 <= DOME_R * DOME_R
    # flaring sides
    if y <= FLARE_END_Y:
        t = (y - DOME_Y) / (FLARE_END_Y - DOME_Y)
        if ax <= DOME_R + FLARE_EXTRA * t * t:
            return True
    # rim: a bar with rounded corners
    if RIM_TOP <= y <= RIM_BOTTOM and ax <= RIM_HALF_W:
        cx = RIM_HALF_W - RIM_CORNER
        if ax <= cx:
            return True
        cy = min(max(y, RIM_TOP + RIM_CORNER), RIM_BOTTOM - RIM_CORNER)
        return (ax - cx) ** 2 + (y - cy) ** 2 <= RIM_CORNER * RIM_CORNER
    # clapper: lower half of a disc, `gap` below the rim
    top = RIM_BOTTOM + gap
    if y >= top:
        return ax * ax + (y - top) ** 2 <= CLAPPER_R * CLAPPER_R
    return False


def coverage(size: int, scale: float, gap: float) -> list[list[float]]:
    """Fraction of each pixel covered by the bell, centred in a size x size
    square, `scale` pixels per glyph unit."""
    centre_y = (GLYPH_TOP + glyph_bottom(gap)) / 2
    n = SUPERSAMPLE
    offsets = [(i + 0.5) / n for i in range(n)]
    half = size / 2
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            hits = 0
            for oy in offsets:
                gy = (py + oy - half) / scale + centre_y
                for ox in offsets:
                    gx = (px + ox - half) / scale
                    if inside_bell(gx, gy, gap):
                        hits += 1
            row.append(hits / (n * n))
        rows.append(row)
    return rows


def png(width: int, height: int, rows: list[bytes], colour_type: int) -> bytes:
    """A PNG, 8 bits per channel; colour_type 2 = RGB, 6 = RGBA."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 per row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def color_icon() -> bytes:
    size = 192
    # 56 px per unit: the bell is ~99 x 98 px, well inside the 120 x 120 safe area.
    cov = coverage(size, scale=56.0, gap=0.07)
    rows = []
    for line in cov:
        row = bytearray()
        for c in line:
            for bg, fg in zip(BACKGROUND, WHITE):
                row.append(round(bg + (fg - bg) * c))
        rows.append(bytes(row))
    return png(size, size, rows, colour_type=2)


def outline_icon() -> bytes:
    size = 32
    # 15 px per unit: ~26 x 26 px; the clapper gap is widened so it stays
    # visible at this size.
    cov = coverage(size, scale=15.0, gap=0.10)
    rows = []
    for line in cov:
        row = bytearray()
        for c in line:
            row += bytes(WHITE) + bytes([round(255 * c)])
        rows.append(bytes(row))
    return png(size, size, rows, colour_type=6)


def main() -> int:
    default_out = Path(__file__).resolve().parent.parent / "assets" / "teams"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_out, help="output directory")
    parser.add_argument(
        "--check", action="store_true", help="compare with the files in --out instead of writing"
    )
    args = parser.parse_args()

    icons = {"color.png": color_icon(), "outline.png": outline_icon()}
    if args.check:
        stale = [
            name
            for name, data in icons.items()
            if not (args.out / name).is_file() or (args.out / name).read_bytes() != data
        ]
        for name in stale:
            print(f"{args.out / name} is missing or differs from what {Path(__file__).name} makes")
        return 1 if stale else 0

    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in icons.items():
        (args.out / name).write_bytes(data)
        print(f"wrote {args.out / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
