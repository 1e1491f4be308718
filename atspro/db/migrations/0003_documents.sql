-- Stored documents (parsed resumes and jobs, match results, generated Markdown), one owner each.
-- Keyed by owner first: another user's id is simply a different row, never a conflict.
CREATE TABLE documents (
    user_id     text        NOT NULL,
    kind        text        NOT NULL,
    -- "C" collation: byte order, so keyset pagination needs no locale rules.
    id          text        COLLATE "C" NOT NULL,
    data        jsonb       NOT NULL,
    meta        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    PRIMARY KEY (user_id, kind, id)
);

CREATE INDEX documents_user_kind_created_idx
    ON documents (user_id, kind, created_at DESC, id DESC);
CREATE INDEX documents_expires_idx ON documents (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX documents_meta_idx ON documents USING gin (meta jsonb_path_ops);

-- Raw bytes of uploads, so a task can be retried after a crash.
CREATE TABLE blobs (
    user_id     text        NOT NULL,
    id          text        COLLATE "C" NOT NULL,
    filename    text        NOT NULL,
    media_type  text        NOT NULL,
    size        bigint      NOT NULL,
    data        bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    PRIMARY KEY (user_id, id)
);

CREATE INDEX blobs_expires_idx ON blobs (expires_at) WHERE expires_at IS NOT NULL;
