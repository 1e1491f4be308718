"""Where a Unicode TrueType font is, for PDF output beyond Latin-1.

DejaVu ships with Debian's ``fonts-dejavu-core`` (installed with the system packages);
Liberation and Noto are common alternatives. Nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
_FAMILIES = (
    (
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique.ttf",
    ),
)


@dataclass(frozen=True, slots=True)
class FontFiles:
    """Regular, bold, italic and bold-italic files of one family."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


def find_unicode_font(dirs: tuple[Path, ...] = _FONT_DIRS) -> FontFiles | None:
    """The first installed Unicode family with all four styles, or None."""
    for directory in dirs:
        for names in _FAMILIES:
            paths = [directory / name for name in names]
            if all(p.is_file() for p in paths):
                return FontFiles(*paths)
    return None
