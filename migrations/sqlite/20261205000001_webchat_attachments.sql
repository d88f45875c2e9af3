-- Files uploaded to web chat conversations (sqlite). Paired with the other backend.

-- Each file belongs to the activity (`seq`) it came with: it goes when that
-- activity is trimmed from the transcript, when the conversation is pruned
-- (the foreign key), and with `forget me`.
CREATE TABLE webchat_attachments (
    id              TEXT    PRIMARY KEY,
    conversation_id TEXT    NOT NULL REFERENCES webchat_conversations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    -- Sanitised when it was uploaded: no path, no control characters.
    name            TEXT    NOT NULL,
    content_type    TEXT    NOT NULL,
    content         BLOB    NOT NULL
);
CREATE INDEX webchat_attachments_by_activity ON webchat_attachments (conversation_id, seq);
