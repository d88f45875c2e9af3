-- Herald's own web chat channel (Direct Line 3.0) (postgres). Paired with the other backend.

-- A browser's conversation: its activities are numbered from 1 (the Direct
-- Line watermark is the last number a client has).
CREATE TABLE webchat_conversations (
    id          TEXT    PRIMARY KEY,
    -- The first user id a client sent; later activities speak as it.
    user_id     TEXT,
    last_seq    BIGINT  NOT NULL DEFAULT 0,
    -- When a client first started it (and Herald greeted it).
    started_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Every activity of a web chat conversation, the user's and Herald's, as
-- JSON without its id (the id is derived from the number).
CREATE TABLE webchat_activities (
    conversation_id TEXT    NOT NULL REFERENCES webchat_conversations (id) ON DELETE CASCADE,
    seq             BIGINT  NOT NULL,
    activity_json   TEXT    NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- Tokens, kept as SHA-256 digests: each opens one conversation until it expires.
CREATE TABLE webchat_tokens (
    token_sha256    TEXT    PRIMARY KEY,
    conversation_id TEXT    NOT NULL REFERENCES webchat_conversations (id) ON DELETE CASCADE,
    expires_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX webchat_tokens_by_expiry ON webchat_tokens (expires_at);
