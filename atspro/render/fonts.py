"""Where a Unicode TrueType font is, for PDF output beyond Latin-1.

DejaVu ships with Debian's ``fonts-dejavu-core`` (installed with the system packages), which
has no italic files (``fonts-dejavu-extra`` adds them); Liberation and Noto are common
alternatives. Nothing is downloaded.
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
    """The first installed Unicode family with regular and bold, or None; its upright files
    stand in for missing italic ones (plain dates beat Latin-1 names)."""
    for directory in dirs:
        for names in _FAMILIES:
            regular, bold, italic, bold_italic = (directory / name for name in names)
            if regular.is_file() and bold.is_file():
                return FontFiles(
                    regular,
                    bold,
                    italic if italic.is_file() else regular,
                    bold_italic if bold_italic.is_file() else bold,
                )
    return None
