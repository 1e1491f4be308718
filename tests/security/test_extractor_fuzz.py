"""Hypothesis fuzz of the document extractors (issue 15): hostile bytes in, typed errors out.

Every supported format starts from a small valid seed built here (DOCX by python-docx, PDF by
fpdf2, an ODT zip, RTF, HTML, Markdown, plain text); the fuzzer flips bits, truncates, inserts
and deletes bytes, and for ZIP formats also swaps, drops and corrupts entries inside an archive
that is still well formed, so the XML parsers are reached. Whatever comes in,
``extract_document`` returns a document or raises ``DocumentError``; any other exception, or
an extraction that runs past the test's timeout, is a bug. 40 examples per format by default;
``ATSPRO_FUZZ_EXAMPLES`` sets how many (and makes the run random instead of derandomised).
"""

from __future__ import annotations

import functools
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atspro.errors import DocumentError
from atspro.extraction import ExtractedDocument, ExtractionLimits, extract_document

FUZZ_EXAMPLES = int(os.environ.get("ATSPRO_FUZZ_EXAMPLES", "40"))
FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    derandomize="ATSPRO_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LIMITS = ExtractionLimits()
LINES = [
    "Jane Doe",
    "jane@example.com | +1 555 0100",
    "Experience",
    "Senior Engineer, Acme Corp, 2019 - 2024",
    "Built Python services and PostgreSQL schemas.",
    "Skills: Python, SQL, Kubernetes",
]


def build_docx() -> bytes:
    document = docx.Document()
    document.add_heading(LINES[0], level=1)
    for line in LINES[1:]:
        paragraph = document.add_paragraph()
        paragraph.add_run(line).bold = line == "Experience"
    document.add_paragraph("Go", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "2019", "Acme"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(text=LINES[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line in LINES[1:]:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
    ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
    ' office:version="1.2"><office:automatic-styles>'
    '<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/>'
    "</style:style></office:automatic-styles><office:body><office:text>"
    f'<text:h text:outline-level="1">{LINES[0]}</text:h>'
    + "".join(f"<text:p>{line}</text:p>" for line in LINES[1:3])
    + f'<text:p><text:span text:style-name="B">{LINES[3]}</text:span></text:p>'
    + f"<text:list><text:list-item><text:p>{LINES[4]}</text:p></text:list-item></text:list>"
    + f"<text:p>{LINES[5]}</text:p></office:text></office:body></office:document-content>"
)


def build_odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODT_CONTENT, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "styles.xml",
            '<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' office:version="1.2"/>',
            zipfile.ZIP_DEFLATED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.text"/></manifest:manifest>',
            zipfile.ZIP_DEFLATED,
        )
    return out.getvalue()


def build_rtf() -> bytes:
    body = "".join(f"\\pard {line}\\par\n" for line in LINES)
    return (
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\\f0\\fs20\n{\\b " + body + "}"
        "Caf\\'e9 \\u233? r\\u233sum\\u233?\\par}"
    ).encode("ascii")


def build_html() -> bytes:
    items = "".join(f"<li>{line}</li>" for line in LINES[4:])
    return (
        f"<!DOCTYPE html><html><head><title>{LINES[0]}</title><style>p{{}}</style></head><body>"
        f"<h1>{LINES[0]}</h1><p>{LINES[1]}</p><h2>{LINES[2]}</h2><p><b>{LINES[3]}</b></p>"
        f"<ul>{items}</ul><table><tr><td>2019</td><td>Acme</td></tr></table></body></html>"
    ).encode()


def build_markdown() -> bytes:
    return (
        f"# {LINES[0]}\n\n{LINES[1]}\n\n## {LINES[2]}\n\n**{LINES[3]}**\n\n"
        f"- {LINES[4]}\n- {LINES[5]}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    ).encode()


def build_text() -> bytes:
    return ("\n".join(LINES) + "\n\tindented\u00a0caf\u00e9\n").encode()


# (builder, filename, is a ZIP container)
SEEDS: dict[str, tuple[Callable[[], bytes], str, bool]] = {
    "pdf": (build_pdf, "resume.pdf", False),
    "docx": (build_docx, "resume.docx", True),
    "odt": (build_odt, "resume.odt", True),
    "rtf": (build_rtf, "resume.rtf", False),
    "html": (build_html, "resume.html", False),
    "markdown": (build_markdown, "resume.md", False),
    "text": (build_text, "resume.txt", False),
}


@functools.cache
def seed(kind: str) -> bytes:
    return SEEDS[kind][0]()


# Positions are fractions of the current length, so one drawn edit applies to any seed.
FRACTION = st.floats(min_value=0.0, max_value=1.0)
BYTE_EDIT = st.one_of(
    st.tuples(st.just("flip"), FRACTION, st.integers(0, 7)),
    st.tuples(st.just("truncate"), FRACTION),
    st.tuples(st.just("insert"), FRACTION, st.binary(min_size=1, max_size=16)),
    st.tuples(
        st.just("insert"),
        FRACTION,
        st.sampled_from(
            [b"<", b">", b"\\", b"{", b"}", b"&#0;", b"]]>", b"<!ENTITY x>", b"obj", b"endobj"]
        ),
    ),
    st.tuples(st.just("delete"), FRACTION, st.integers(1, 64)),
    st.tuples(st.just("repeat"), FRACTION, st.integers(1, 32), st.integers(2, 8)),
)
ENTRY_EDIT = st.one_of(
    st.tuples(st.just("swap"), FRACTION, FRACTION),
    st.tuples(st.just("drop"), FRACTION),
    st.tuples(st.just("duplicate"), FRACTION),
    st.tuples(st.just("edit"), FRACTION, st.lists(BYTE_EDIT, min_size=1, max_size=4)),
    # Bits flipped in an entry's stored (deflated) bytes: the directory stays valid, the
    # inflater or the CRC check fails while the entry is read.
    st.tuples(
        st.just("raw"), FRACTION, st.lists(st.tuples(FRACTION, st.integers(0, 7)), min_size=1)
    ),
)


def _at(fraction: float, size: int) -> int:
    return min(int(fraction * size), size)


def edit_bytes(data: bytes, edit: tuple[Any, ...]) -> bytes:
    """``data`` with one byte-level edit applied."""
    kind, where = edit[0], _at(edit[1], len(data))
    if kind == "flip":
        if not data:
            return data
        where = min(where, len(data) - 1)
        return data[:where] + bytes([data[where] ^ (1 << edit[2])]) + data[where + 1 :]
    if kind == "truncate":
        return data[:where]
    if kind == "insert":
        return data[:where] + edit[2] + data[where:]
    if kind == "delete":
        return data[:where] + data[where + edit[2] :]
    assert kind == "repeat"
    return data[:where] + data[where : where + edit[2]] * edit[3] + data[where:]


def edit_entries(data: bytes, edit: tuple[Any, ...]) -> bytes:
    """``data`` (a ZIP) rebuilt with one entry-level edit; CRCs stay right, so parsers run."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            entries = [(info, source.read(info)) for info in source.infolist()]
    except (zipfile.BadZipFile, zlib.error):
        return data  # an earlier "raw" edit broke an entry: nothing more to rebuild
    if not entries:
        return data
    names = [info.filename for info, _ in entries]
    contents = [content for _, content in entries]
    first = min(int(edit[1] * len(entries)), len(entries) - 1)
    kind = edit[0]
    if kind == "swap":
        second = min(int(edit[2] * len(entries)), len(entries) - 1)
        contents[first], contents[second] = contents[second], contents[first]
    elif kind == "drop":
        del names[first], contents[first]
    elif kind == "duplicate":
        names.append(names[first])
        contents.append(contents[first][: len(contents[first]) // 2])
    elif kind == "edit":
        for byte_edit in edit[2]:
            contents[first] = edit_bytes(contents[first], byte_edit)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in zip(names, contents, strict=True):
            # Duplicate names are what a hostile archive may hold; zipfile warns and writes.
            archive.writestr(zipfile.ZipInfo(name), content, zipfile.ZIP_DEFLATED)
        infos = archive.infolist()
    if kind != "raw":
        return out.getvalue()
    rebuilt = bytearray(out.getvalue())
    info = infos[min(first, len(infos) - 1)]
    # The local header is 30 bytes, then the name and the extra field, then the data.
    name_length, extra_length = struct.unpack_from("<HH", rebuilt, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    for where, bit in edit[2]:
        if info.compress_size:
            rebuilt[start + _at(where, info.compress_size - 1)] ^= 1 << bit
    return bytes(rebuilt)


def extract_or_refuse(data: bytes, filename: str) -> None:
    """The contract under fuzz: a document, or a DocumentError with a message; nothing else."""
    try:
        document = extract_document(data, limits=LIMITS, filename=filename)
    except DocumentError as exc:
        assert exc.message, "a DocumentError must tell the user what is wrong"
        return
    assert isinstance(document, ExtractedDocument)
    assert isinstance(document.text, str)


@pytest.mark.parametrize("kind", list(SEEDS))
def test_every_seed_extracts(kind: str) -> None:
    """The seeds are valid documents of their format, so mutations start from real files."""
    filename = SEEDS[kind][1]
    document = extract_document(seed(kind), limits=LIMITS, filename=filename)
    assert "Acme Corp" in document.text or "Acme" in document.text


@pytest.mark.timeout(300)
@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@pytest.mark.parametrize("kind", list(SEEDS))
@FUZZ_SETTINGS
@given(edits=st.lists(BYTE_EDIT, min_size=1, max_size=6))
def test_fuzz_mutated_bytes_give_a_document_or_a_document_error(
    kind: str, edits: list[tuple[Any, ...]]
) -> None:
    data = seed(kind)
    for edit in edits:
        data = edit_bytes(data, edit)
    extract_or_refuse(data, SEEDS[kind][1])


@pytest.mark.timeout(300)
@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@pytest.mark.parametrize("kind", [kind for kind, (_, _, zipped) in SEEDS.items() if zipped])
@FUZZ_SETTINGS
@given(
    entry_edits=st.lists(ENTRY_EDIT, min_size=1, max_size=3),
    byte_edits=st.lists(BYTE_EDIT, max_size=2),
)
def test_fuzz_archives_with_swapped_dropped_or_corrupt_entries(
    kind: str, entry_edits: list[tuple[Any, ...]], byte_edits: list[tuple[Any, ...]]
) -> None:
    data = seed(kind)
    for entry_edit in entry_edits:
        data = edit_entries(data, entry_edit)
    for byte_edit in byte_edits:
        data = edit_bytes(data, byte_edit)
    extract_or_refuse(data, SEEDS[kind][1])


def test_a_zip_whose_deflated_mimetype_is_corrupt_is_a_document_error() -> None:
    """Found by the fuzzer: zlib.error escaped type detection, before the extractors' guard."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text " * 4)
    data = bytearray(out.getvalue())
    data[30 + len("mimetype")] ^= 0x02  # the first deflate block's header
    with pytest.raises(zlib.error):
        zipfile.ZipFile(io.BytesIO(data)).read("mimetype")
    with pytest.raises(DocumentError, match="damaged") as refused:
        extract_document(bytes(data), limits=LIMITS, filename="cv.odt")
    assert refused.value.reason == "malformed"


MAGICS = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"{\\rtf1 ", b"<html>", b"# ", b"\xd0\xcf\x11\xe0"]


@pytest.mark.timeout(300)
@FUZZ_SETTINGS
@given(
    magic=st.sampled_from(MAGICS),
    body=st.binary(max_size=2048),
    filename=st.sampled_from(["cv.pdf", "cv.docx", "cv.md", "cv.txt", "cv"]),
)
def test_fuzz_random_bytes_behind_each_magic_give_a_document_or_a_document_error(
    magic: bytes, body: bytes, filename: str
) -> None:
    extract_or_refuse(magic + body, filename)
