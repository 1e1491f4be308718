-- name: upsert_document
INSERT INTO documents (user_id, kind, id, data, meta, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (user_id, kind, id) DO UPDATE
SET data = EXCLUDED.data,
    meta = EXCLUDED.meta,
    expires_at = EXCLUDED.expires_at,
    updated_at = now()
RETURNING user_id, kind, id, data, meta, created_at, updated_at;

-- name: get_document
SELECT user_id, kind, id, data, meta, created_at, updated_at
FROM documents
WHERE user_id = $1 AND kind = $2 AND id = $3;

-- name: list_documents
SELECT user_id, kind, id, data, meta, created_at, updated_at
FROM documents
WHERE user_id = $1 AND kind = $2 AND meta @> $3
ORDER BY created_at DESC, id DESC
LIMIT $4;

-- name: list_documents_after
SELECT user_id, kind, id, data, meta, created_at, updated_at
FROM documents
WHERE user_id = $1 AND kind = $2 AND meta @> $3
  AND (created_at, id) < ($5, $6)
ORDER BY created_at DESC, id DESC
LIMIT $4;

-- name: count_user_documents
-- The stored-documents quota; the primary key (user_id, kind, id) serves it.
SELECT count(*) FROM documents WHERE user_id = $1;

-- name: delete_document
DELETE FROM documents
WHERE user_id = $1 AND kind = $2 AND id = $3
RETURNING id;

-- name: delete_expired_documents
WITH gone AS (
    DELETE FROM documents WHERE expires_at <= $1 RETURNING 1
)
SELECT count(*) FROM gone;

-- name: upsert_blob
INSERT INTO blobs (user_id, id, filename, media_type, size, data, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (user_id, id) DO UPDATE
SET filename = EXCLUDED.filename,
    media_type = EXCLUDED.media_type,
    size = EXCLUDED.size,
    data = EXCLUDED.data,
    expires_at = EXCLUDED.expires_at;

-- name: get_blob
SELECT user_id, id, filename, media_type, size, data, created_at
FROM blobs
WHERE user_id = $1 AND id = $2;

-- name: delete_blob
DELETE FROM blobs
WHERE user_id = $1 AND id = $2
RETURNING id;

-- name: delete_expired_blobs
WITH gone AS (
    DELETE FROM blobs WHERE expires_at <= $1 RETURNING 1
)
SELECT count(*) FROM gone;
