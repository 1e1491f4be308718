"""GET /documents/{id}/download: formats, file names, and a clear status for each refusal."""

from __future__ import annotations

import io
import uuid

import docx

from atspro.auth import authenticate

from .conftest import Api, ApiFactory

MARKDOWN = "# Jordan Avery\n\n## Experience\n\n- Built **Python** services\n"


async def stored(api: Api, user: str, *, markdown: str | None, title: str = "") -> str:
    doc_id = str(uuid.uuid4())
    await api.runtime.documents.put(
        kind="document",
        user_id=user,
        doc_id=doc_id,
        data={} if markdown is None else {"markdown": markdown},
        meta={"status": "ready", "title": title},
    )
    return doc_id


async def test_every_format_downloads_with_its_type_and_a_safe_file_name(api: Api) -> None:
    token = await api.token("nia")
    user = (await authenticate(api.runtime.pool, token, better_auth=False)).user_id
    doc_id = await stored(api, user, markdown=MARKDOWN, title='CV for "Acme" / Backend')
    auth = {"Authorization": f"Bearer {token}"}

    async def get(fmt: str | None) -> tuple[str, str, bytes]:
        params = {"format": fmt} if fmt else {}
        r = await api.client.get(f"/documents/{doc_id}/download", params=params, headers=auth)
        assert r.status_code == 200, r.text
        return r.headers["content-type"], r.headers["content-disposition"], r.content

    kind, disposition, body = await get("md")
    assert kind.startswith("text/markdown") and body.decode() == MARKDOWN
    assert disposition == 'attachment; filename="CV-for-Acme-Backend.md"'
    kind, _, body = await get("HTML")
    assert kind.startswith("text/html") and b"<strong>Python</strong>" in body
    kind, disposition, body = await get(None)  # DOCX by default
    assert disposition.endswith('.docx"')
    paragraphs = [p.text for p in docx.Document(io.BytesIO(body)).paragraphs]
    assert "Jordan Avery" in paragraphs
    kind, _, body = await get("pdf")
    assert kind == "application/pdf" and body.startswith(b"%PDF")

    untitled = await stored(api, user, markdown="plain", title="")
    r = await api.client.get(f"/documents/{untitled}/download?format=md", headers=auth)
    assert r.headers["content-disposition"] == 'attachment; filename="document.md"'


async def test_refusals_have_their_own_status_and_code(api: Api) -> None:
    token = await api.token("oli")
    user = (await authenticate(api.runtime.pool, token, better_auth=False)).user_id
    other = await api.token("pat")
    auth = {"Authorization": f"Bearer {token}"}
    mine = await stored(api, user, markdown=MARKDOWN)
    unwritten = await stored(api, user, markdown=None)

    async def refused(path: str, headers: dict[str, str]) -> tuple[int, str]:
        r = await api.client.get(path, headers=headers)
        return r.status_code, r.json()["code"]

    assert await refused(f"/documents/{mine}/download", {}) == (401, "UNAUTHENTICATED")
    assert await refused(f"/documents/{mine}/download", {"Authorization": "Bearer nope"}) == (
        401,
        "UNAUTHENTICATED",
    )
    assert await refused(f"/documents/{mine}/download?format=exe", auth) == (400, "INVALID_INPUT")
    assert await refused("/documents/not-an-id/download", auth) == (400, "INVALID_INPUT")
    assert await refused(f"/documents/{uuid.uuid4()}/download", auth) == (404, "NOT_FOUND")
    assert await refused(f"/documents/{unwritten}/download", auth) == (404, "NOT_FOUND")
    # Another user's document is indistinguishable from an unknown one.
    assert await refused(f"/documents/{mine}/download", {"Authorization": f"Bearer {other}"}) == (
        404,
        "NOT_FOUND",
    )


async def test_a_render_over_its_time_limit_is_a_504_and_the_next_one_works(
    api_factory: ApiFactory,
) -> None:
    # About 20,000 bullets take several seconds to lay out; the limit stops it at 3 s and
    # kills its process, and the pool serves the next download from a fresh one.
    huge = "# Huge\n\n## Experience\n\n" + "\n".join(
        f"- Built service {i} with Python and Redis for team {i % 7}" for i in range(20_000)
    )
    async with api_factory(render_timeout_s=3.0) as api:
        token = await api.token("rio")
        user = (await authenticate(api.runtime.pool, token, better_auth=False)).user_id
        auth = {"Authorization": f"Bearer {token}"}
        slow = await stored(api, user, markdown=huge, title="huge")
        r = await api.client.get(f"/documents/{slow}/download?format=pdf", headers=auth)
        assert r.status_code == 504, r.text[:300]
        assert r.json()["code"] == "RENDER_TIMEOUT" and "RENDER_TIMEOUT_S" in r.json()["error"]
        small = await stored(api, user, markdown=MARKDOWN, title="small")
        r = await api.client.get(f"/documents/{small}/download?format=pdf", headers=auth)
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
