-- name: insert_token
INSERT INTO api_tokens (id, user_id, name, token_hash, expires_at)
VALUES ($1, $2, $3, $4, $5);

-- name: find_token_user
SELECT user_id, expires_at FROM api_tokens
WHERE token_hash = $1
  AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > now());

-- name: revoke_user_tokens
UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL;

-- name: count_tokens
SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL;

-- name: find_session_user
-- better-auth's tables: "session"(token, "userId", "expiresAt") and "user"(id).
SELECT u.id::text AS user_id, s."expiresAt" AS expires_at
FROM session s JOIN "user" u ON u.id = s."userId"
WHERE s.token = $1 AND s."expiresAt" > now();
