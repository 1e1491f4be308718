"""Downloading a generated document in the format the user asks for."""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import Iterator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atspro.auth import bearer_token
from atspro.cpu_pool import RENDERING, set_caller
from atspro.errors import (
    ATSProError,
    AuthError,
    InputError,
    NotFoundError,
    QuotaExceeded,
    RenderTimeout,
)
from atspro.render.formats import render_document
from atspro.runtime import Runtime
from atspro.schema.documents import DownloadFormat

_MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Clients pass what they see in the schema: the GraphQL enum's names (MARKDOWN) as well as
# the file extensions its values are (md), in any case.
_FORMATS = {
    **{f.name.lower(): f.value for f in DownloadFormat},
    **{f.value: f.value for f in DownloadFormat},
}
# First match wins: QuotaExceeded is an InputError too.
_STATUS = {
    QuotaExceeded: 429,
    AuthError: 401,
    InputError: 400,
    NotFoundError: 404,
    RenderTimeout: 504,
}


def _filename(title: str, fmt: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-")[:80] or "document"
    return f"{stem}.{fmt}"


@contextlib.contextmanager
def _render_slot(runtime: Runtime, user_id: str) -> Iterator[None]:
    """Hold one of the user's concurrent renders; QuotaExceeded when none is free.

    Renders share a small process pool: without a cap, one user looping on PDFs queues
    everyone else's downloads behind theirs.
    """
    limit = runtime.settings.quota_concurrent_renders
    running = runtime.renders.get(user_id, 0)
    if limit and running >= limit:
        raise QuotaExceeded(
            f"{running} downloads of yours are rendering; wait for one to finish",
            setting="quota_concurrent_renders",
        )
    runtime.renders[user_id] = running + 1
    try:
        yield
    finally:
        left = runtime.renders[user_id] - 1
        if left:
            runtime.renders[user_id] = left
        else:
            del runtime.renders[user_id]


async def _rendered(runtime: Runtime, markdown: str, fmt: str, title: str) -> bytes:
    """The document laid out in the rendering pool, within RENDER_TIMEOUT_S.

    Cancelling the call kills the process that runs it (cpu_pool), so a document that
    never finishes laying out costs one process restart, not a process lost for good.
    """
    limit = runtime.settings.render_timeout_s
    try:
        return await asyncio.wait_for(
            RENDERING.run(render_document, markdown, fmt, title), timeout=limit
        )
    except TimeoutError as exc:
        raise RenderTimeout(
            f"rendering this document took longer than {limit:g} s (RENDER_TIMEOUT_S)"
        ) from exc


async def render_download(runtime: Runtime, request: Request) -> Response:
    """GET /documents/{id}/download?format=md|html|docx|pdf|markdown for the token's owner."""
    try:
        token = bearer_token(request.headers.get("authorization"))
        principal = await runtime.authenticate(token)
        asked = request.query_params.get("format", "docx")
        fmt = _FORMATS.get(asked.lower())
        if fmt is None:
            raise InputError(
                f"format must be one of {', '.join(_FORMATS)} (any case), got {asked[:20]!r}",
                field="format",
            )
        raw_id = request.path_params["doc_id"]
        try:
            doc_id = str(uuid.UUID(raw_id))
        except ValueError as exc:
            raise InputError(f"{raw_id[:100]!r} is not a valid id", field="id") from exc
        doc = await runtime.documents.get(kind="document", user_id=principal.user_id, doc_id=doc_id)
        markdown = doc.data.get("markdown")
        if not isinstance(markdown, str):
            raise NotFoundError("document", f"{doc_id} (not written yet)")
        title = str(doc.meta.get("title") or "document")
        if fmt == "md":
            # Nothing to lay out: not worth a round trip to the rendering process.
            body = render_document(markdown, fmt, title)
        else:
            # Rendering is CPU work (a PDF ~0.2 s): in a process of its own, as on a
            # thread it would hold the GIL the API's event loop needs.
            with _render_slot(runtime, principal.user_id):
                set_caller(principal.user_id)  # queued per user in the rendering pool
                body = await _rendered(runtime, markdown, fmt, title)
    except ATSProError as exc:
        status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 503)
        if isinstance(exc, QuotaExceeded):
            return JSONResponse(
                {"error": exc.message, "code": "QUOTA_EXCEEDED", "setting": exc.setting.upper()},
                status_code=status,
                headers={"Retry-After": "1"},
            )
        return JSONResponse({"error": exc.message, "code": exc.code}, status_code=status)
    return Response(
        body,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{_filename(title, fmt)}"'},
    )
