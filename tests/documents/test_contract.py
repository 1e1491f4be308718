"""The document-store contract, run against every backend (see ``store`` in conftest)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from atspro.documents.store import MAX_PAGE_SIZE, DocumentStore
from atspro.errors import DocumentError, InputError, NotFoundError

RESUME = {"name": "Ada Lovelace", "skills": ["python", "sql"], "years": 7, "nested": {"a": [1]}}


async def test_put_then_get_returns_what_was_stored(store: DocumentStore, user: str) -> None:
    meta = {"title": "Résumé — Ada", "format": "markdown"}
    put = await store.put(kind="resume", user_id=user, doc_id="r1", data=RESUME, meta=meta)
    got = await store.get(kind="resume", user_id=user, doc_id="r1")
    assert got == put
    assert (got.id, got.kind, got.user_id) == ("r1", "resume", user)
    assert got.data == RESUME
    assert got.meta == meta
    assert got.created_at.tzinfo is not None
    assert got.updated_at == got.created_at
    assert abs(datetime.now(UTC) - got.created_at) < timedelta(minutes=1)


async def test_meta_defaults_to_empty(store: DocumentStore, user: str) -> None:
    await store.put(kind="job", user_id=user, doc_id="j1", data={"title": "Engineer"})
    assert (await store.get(kind="job", user_id=user, doc_id="j1")).meta == {}


async def test_data_is_stored_as_plain_json(store: DocumentStore, user: str) -> None:
    moment = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    await store.put(kind="match", user_id=user, doc_id="m1", data={"at": moment, "score": 0.5})
    got = await store.get(kind="match", user_id=user, doc_id="m1")
    assert got.data == {"at": "2024-05-01T12:30:00+00:00", "score": 0.5}


async def test_put_again_overwrites_and_keeps_created_at(store: DocumentStore, user: str) -> None:
    first = await store.put(
        kind="resume", user_id=user, doc_id="r1", data={"v": 1}, meta={"a": "1"}
    )
    await asyncio.sleep(0.002)
    second = await store.put(kind="resume", user_id=user, doc_id="r1", data={"v": 2})
    got = await store.get(kind="resume", user_id=user, doc_id="r1")
    assert got.data == {"v": 2}
    assert got.meta == {}
    assert got.created_at == first.created_at == second.created_at
    assert got.updated_at > first.updated_at
    page = await store.list(kind="resume", user_id=user)
    assert [d.id for d in page.items] == ["r1"]


async def test_same_id_in_two_kinds_are_two_documents(store: DocumentStore, user: str) -> None:
    await store.put(kind="resume", user_id=user, doc_id="x", data={"k": "resume"})
    await store.put(kind="job", user_id=user, doc_id="x", data={"k": "job"})
    assert (await store.get(kind="resume", user_id=user, doc_id="x")).data == {"k": "resume"}
    assert (await store.get(kind="job", user_id=user, doc_id="x")).data == {"k": "job"}
    await store.delete(kind="job", user_id=user, doc_id="x")
    assert (await store.get(kind="resume", user_id=user, doc_id="x")).data == {"k": "resume"}


async def test_unknown_id_is_not_found(store: DocumentStore, user: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        await store.get(kind="resume", user_id=user, doc_id="nope")
    assert caught.value.message == "resume nope not found"
    with pytest.raises(NotFoundError):
        await store.delete(kind="resume", user_id=user, doc_id="nope")


async def test_another_users_document_behaves_like_an_unknown_one(
    store: DocumentStore, user: str, other_user: str
) -> None:
    await store.put(kind="resume", user_id=user, doc_id="r1", data={"owner": "a"})
    with pytest.raises(NotFoundError) as theirs:
        await store.get(kind="resume", user_id=other_user, doc_id="r1")
    with pytest.raises(NotFoundError) as unknown:
        await store.get(kind="resume", user_id=other_user, doc_id="r1-missing")
    assert theirs.value.message == unknown.value.message.replace("r1-missing", "r1")
    with pytest.raises(NotFoundError):
        await store.delete(kind="resume", user_id=other_user, doc_id="r1")
    assert (await store.list(kind="resume", user_id=other_user)).items == []
    # The other user's put of the same id is their own document; the first is untouched.
    await store.put(kind="resume", user_id=other_user, doc_id="r1", data={"owner": "b"})
    assert (await store.get(kind="resume", user_id=user, doc_id="r1")).data == {"owner": "a"}
    assert (await store.get(kind="resume", user_id=other_user, doc_id="r1")).data == {"owner": "b"}
    await store.delete(kind="resume", user_id=other_user, doc_id="r1")
    assert (await store.get(kind="resume", user_id=user, doc_id="r1")).data == {"owner": "a"}


async def test_delete_removes_the_document(store: DocumentStore, user: str) -> None:
    await store.put(kind="document", user_id=user, doc_id="d1", data={"markdown": "# Hi"})
    await store.delete(kind="document", user_id=user, doc_id="d1")
    with pytest.raises(NotFoundError):
        await store.get(kind="document", user_id=user, doc_id="d1")
    with pytest.raises(NotFoundError):
        await store.delete(kind="document", user_id=user, doc_id="d1")


async def _put_many(store: DocumentStore, user: str, count: int) -> list[str]:
    ids = [f"doc-{i:02d}" for i in range(count)]
    for doc_id in ids:
        await store.put(kind="resume", user_id=user, doc_id=doc_id, data={"id": doc_id})
    return ids


async def test_pages_cover_everything_newest_first(store: DocumentStore, user: str) -> None:
    ids = await _put_many(store, user, 7)
    seen: list[str] = []
    flags: list[bool] = []
    after: str | None = None
    while True:
        page = await store.list(kind="resume", user_id=user, first=3, after=after)
        seen.extend(d.id for d in page.items)
        flags.append(page.has_next_page)
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert seen == list(reversed(ids))
    assert flags == [True, True, False]
    stamps = [(d.created_at, d.id) for d in (await store.list(kind="resume", user_id=user)).items]
    assert stamps == sorted(stamps, reverse=True)


async def test_exact_page_size_has_no_next_page(store: DocumentStore, user: str) -> None:
    await _put_many(store, user, 4)
    page = await store.list(kind="resume", user_id=user, first=4)
    assert len(page.items) == 4
    assert page.has_next_page is False
    assert page.end_cursor is not None
    rest = await store.list(kind="resume", user_id=user, first=4, after=page.end_cursor)
    assert rest.items == [] and rest.end_cursor is None and not rest.has_next_page


async def test_first_zero_only_says_whether_there_is_more(store: DocumentStore, user: str) -> None:
    assert not (await store.list(kind="resume", user_id=user, first=0)).has_next_page
    await _put_many(store, user, 1)
    page = await store.list(kind="resume", user_id=user, first=0)
    assert page.items == [] and page.has_next_page and page.end_cursor is None


async def test_pages_stay_stable_when_an_old_document_is_rewritten(
    store: DocumentStore, user: str
) -> None:
    ids = await _put_many(store, user, 5)
    page = await store.list(kind="resume", user_id=user, first=2)
    await store.put(kind="resume", user_id=user, doc_id=ids[0], data={"rewritten": True})
    rest = await store.list(kind="resume", user_id=user, first=10, after=page.end_cursor)
    assert [d.id for d in page.items + rest.items] == list(reversed(ids))
    assert rest.items[-1].data == {"rewritten": True}


async def test_list_is_scoped_to_user_and_kind(
    store: DocumentStore, user: str, other_user: str
) -> None:
    await store.put(kind="resume", user_id=user, doc_id="mine", data={})
    await store.put(kind="job", user_id=user, doc_id="my-job", data={})
    await store.put(kind="resume", user_id=other_user, doc_id="theirs", data={})
    assert [d.id for d in (await store.list(kind="resume", user_id=user)).items] == ["mine"]
    assert [d.id for d in (await store.list(kind="job", user_id=user)).items] == ["my-job"]
    assert [d.id for d in (await store.list(kind="resume", user_id=other_user)).items] == ["theirs"]


async def test_count_covers_every_kind_of_one_user(
    store: DocumentStore, user: str, other_user: str
) -> None:
    assert await store.count(user_id=user) == 0
    for kind in ("resume", "job", "match", "document"):
        await store.put(kind=kind, user_id=user, doc_id="same-id", data={})
    await store.put(kind="resume", user_id=user, doc_id="same-id", data={"again": True})
    await store.put(kind="resume", user_id=other_user, doc_id="theirs", data={})
    assert await store.count(user_id=user) == 4
    await store.delete(kind="job", user_id=user, doc_id="same-id")
    assert await store.count(user_id=user) == 3


async def test_filters_match_top_level_meta(store: DocumentStore, user: str) -> None:
    for i, status in enumerate(["ready", "draft", "ready", "ready"]):
        meta = {"status": status, "format": "markdown", "n": i}
        await store.put(kind="document", user_id=user, doc_id=f"d{i}", data={}, meta=meta)
    ready = await store.list(kind="document", user_id=user, filters={"status": "ready"})
    assert [d.id for d in ready.items] == ["d3", "d2", "d0"]
    both = {"status": "ready", "format": "markdown"}
    first = await store.list(kind="document", user_id=user, first=2, filters=both)
    rest = await store.list(
        kind="document", user_id=user, first=2, after=first.end_cursor, filters=both
    )
    assert [d.id for d in first.items + rest.items] == ["d3", "d2", "d0"]
    assert not rest.has_next_page
    none = await store.list(kind="document", user_id=user, filters={"status": "gone"})
    assert none.items == []
    # Only string values match: a number stored in meta is not the string "1".
    assert (await store.list(kind="document", user_id=user, filters={"n": "1"})).items == []


@pytest.mark.parametrize("cursor", ["not a cursor", "", "WzEsMl0", "eyJhIjoxfQ", "!!!!"])
async def test_malformed_cursor_is_an_input_error(
    store: DocumentStore, user: str, cursor: str
) -> None:
    with pytest.raises(InputError) as caught:
        await store.list(kind="resume", user_id=user, after=cursor)
    assert caught.value.field == "after"


@pytest.mark.parametrize("first", [-1, MAX_PAGE_SIZE + 1])
async def test_page_size_out_of_range_is_an_input_error(
    store: DocumentStore, user: str, first: int
) -> None:
    with pytest.raises(InputError) as caught:
        await store.list(kind="resume", user_id=user, first=first)
    assert caught.value.field == "first"


async def test_non_string_filter_is_an_input_error(store: DocumentStore, user: str) -> None:
    with pytest.raises(InputError):
        await store.list(kind="resume", user_id=user, filters={"n": 1})  # type: ignore[dict-item]


async def test_unknown_kind_is_an_input_error(store: DocumentStore, user: str) -> None:
    with pytest.raises(InputError):
        await store.put(kind="secret", user_id=user, doc_id="x", data={})
    with pytest.raises(InputError):
        await store.get(kind="secret", user_id=user, doc_id="x")
    with pytest.raises(InputError):
        await store.list(kind="secret", user_id=user)
    with pytest.raises(InputError):
        await store.delete(kind="secret", user_id=user, doc_id="x")


@pytest.mark.parametrize("doc_id", ["", "x" * 201])
async def test_bad_id_is_an_input_error(store: DocumentStore, user: str, doc_id: str) -> None:
    with pytest.raises(InputError):
        await store.put(kind="resume", user_id=user, doc_id=doc_id, data={})
    with pytest.raises(InputError):
        await store.put_blob(user_id=user, blob_id=doc_id, data=b"", filename="a", media_type="b")


async def test_odd_ids_round_trip(store: DocumentStore, user: str) -> None:
    odd = ["a/b", "with space", "ünïcødé", "../../etc", "%2F", "x" * 200]
    for doc_id in odd:
        await store.put(kind="resume", user_id=user, doc_id=doc_id, data={"id": doc_id})
    for doc_id in odd:
        assert (await store.get(kind="resume", user_id=user, doc_id=doc_id)).data == {"id": doc_id}
    page = await store.list(kind="resume", user_id=user, first=MAX_PAGE_SIZE)
    assert sorted(d.id for d in page.items) == sorted(odd)


async def test_delete_expired_removes_only_what_has_expired(
    store: DocumentStore, user: str
) -> None:
    now = datetime.now(UTC)
    await store.delete_expired(now=now)  # leftovers of earlier tests
    past, future = now - timedelta(hours=1), now + timedelta(hours=1)
    await store.put(kind="match", user_id=user, doc_id="old", data={}, meta={"expires_at": past})
    await store.put(
        kind="match", user_id=user, doc_id="iso", data={}, meta={"expires_at": past.isoformat()}
    )
    await store.put(kind="match", user_id=user, doc_id="new", data={}, meta={"expires_at": future})
    await store.put(kind="match", user_id=user, doc_id="keep", data={})
    await store.put_blob(
        user_id=user, blob_id="b-old", data=b"x", filename="a.pdf", media_type="a", expires_at=past
    )
    await store.put_blob(
        user_id=user,
        blob_id="b-new",
        data=b"y",
        filename="a.pdf",
        media_type="a",
        expires_at=future,
    )
    assert await store.delete_expired(now=now) == 3
    left = await store.list(kind="match", user_id=user)
    assert sorted(d.id for d in left.items) == ["keep", "new"]
    with pytest.raises(NotFoundError):
        await store.get_blob(user_id=user, blob_id="b-old")
    assert (await store.get_blob(user_id=user, blob_id="b-new")).data == b"y"
    assert await store.delete_expired(now=now) == 0
    # At least ours; a persistent real server may hold earlier runs' documents too.
    assert await store.delete_expired(now=future) >= 2
    assert [d.id for d in (await store.list(kind="match", user_id=user)).items] == ["keep"]
    with pytest.raises(NotFoundError):
        await store.get_blob(user_id=user, blob_id="b-new")


async def test_expires_at_is_normalised_to_utc_iso(store: DocumentStore, user: str) -> None:
    await store.put(
        kind="document",
        user_id=user,
        doc_id="d",
        data={},
        meta={"expires_at": "2030-01-01T14:00:00+02:00", "title": "T"},
    )
    got = await store.get(kind="document", user_id=user, doc_id="d")
    assert got.meta == {"expires_at": "2030-01-01T12:00:00+00:00", "title": "T"}


@pytest.mark.parametrize(
    "expires", ["tomorrow", datetime(2030, 1, 1), "2030-01-01T00:00:00", 12345]
)
async def test_bad_expires_at_is_an_input_error(
    store: DocumentStore, user: str, expires: object
) -> None:
    with pytest.raises(InputError) as caught:
        await store.put(
            kind="match", user_id=user, doc_id="m", data={}, meta={"expires_at": expires}
        )
    assert caught.value.field == "expires_at"


async def test_naive_times_are_refused(store: DocumentStore, user: str) -> None:
    with pytest.raises(InputError):
        await store.delete_expired(now=datetime(2030, 1, 1))
    with pytest.raises(InputError):
        await store.put_blob(
            user_id=user,
            blob_id="b",
            data=b"",
            filename="f",
            media_type="m",
            expires_at=datetime(2030, 1, 1),
        )


async def test_blob_round_trip(store: DocumentStore, user: str) -> None:
    payload = bytes(range(256)) * 10 + b"\x00\xff"
    await store.put_blob(
        user_id=user, blob_id="u1", data=payload, filename="cv.pdf", media_type="application/pdf"
    )
    blob = await store.get_blob(user_id=user, blob_id="u1")
    assert blob.data == payload
    assert (blob.id, blob.user_id, blob.filename, blob.media_type) == (
        "u1",
        user,
        "cv.pdf",
        "application/pdf",
    )
    assert blob.size == len(payload)
    assert abs(datetime.now(UTC) - blob.created_at) < timedelta(minutes=1)


async def test_blob_put_again_overwrites(store: DocumentStore, user: str) -> None:
    await store.put_blob(user_id=user, blob_id="u", data=b"one", filename="a.txt", media_type="t")
    await store.put_blob(user_id=user, blob_id="u", data=b"two!", filename="b.txt", media_type="u")
    blob = await store.get_blob(user_id=user, blob_id="u")
    assert (blob.data, blob.filename, blob.media_type, blob.size) == (b"two!", "b.txt", "u", 4)


async def test_blobs_are_isolated_between_users(
    store: DocumentStore, user: str, other_user: str
) -> None:
    await store.put_blob(user_id=user, blob_id="u", data=b"mine", filename="f", media_type="m")
    with pytest.raises(NotFoundError) as caught:
        await store.get_blob(user_id=other_user, blob_id="u")
    assert caught.value.message == "upload u not found"
    with pytest.raises(NotFoundError):
        await store.delete_blob(user_id=other_user, blob_id="u")
    assert (await store.get_blob(user_id=user, blob_id="u")).data == b"mine"


async def test_blob_delete(store: DocumentStore, user: str) -> None:
    await store.put_blob(user_id=user, blob_id="u", data=b"x", filename="f", media_type="m")
    await store.delete_blob(user_id=user, blob_id="u")
    with pytest.raises(NotFoundError):
        await store.get_blob(user_id=user, blob_id="u")
    with pytest.raises(NotFoundError):
        await store.delete_blob(user_id=user, blob_id="u")


async def test_oversize_blob_is_refused_and_not_stored(
    store: DocumentStore, user: str, max_blob_bytes: int
) -> None:
    await store.put_blob(
        user_id=user, blob_id="edge", data=b"a" * max_blob_bytes, filename="f", media_type="m"
    )
    assert (await store.get_blob(user_id=user, blob_id="edge")).size == max_blob_bytes
    with pytest.raises(DocumentError) as caught:
        await store.put_blob(
            user_id=user,
            blob_id="big",
            data=b"a" * (max_blob_bytes + 1),
            filename="f",
            media_type="m",
        )
    assert caught.value.reason == "too_large"
    assert str(max_blob_bytes) in caught.value.message
    with pytest.raises(NotFoundError):
        await store.get_blob(user_id=user, blob_id="big")


async def test_concurrent_puts_of_one_id_leave_one_document(
    store: DocumentStore, user: str
) -> None:
    await asyncio.gather(
        *(store.put(kind="match", user_id=user, doc_id="same", data={"n": n}) for n in range(8))
    )
    page = await store.list(kind="match", user_id=user)
    assert [d.id for d in page.items] == ["same"]
    assert page.items[0].data["n"] in range(8)


async def test_ping_answers_while_the_backend_is_up(store: DocumentStore) -> None:
    await store.ping()
