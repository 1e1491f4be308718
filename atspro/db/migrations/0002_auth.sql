-- API tokens issued by the service. Only a SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id           uuid        PRIMARY KEY,
    user_id      text        NOT NULL,
    name         text        NOT NULL DEFAULT '',
    token_hash   text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
