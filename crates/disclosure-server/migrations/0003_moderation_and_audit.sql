-- Moderation before publication (issue 16). Portable between SQLite and PostgreSQL: one
-- column per ALTER, text and 64-bit integers only.

-- NULL until a reviewer decides; then 'publish' or 'withhold'.
ALTER TABLE opinions ADD COLUMN moderation TEXT;
-- For 'publish': the redacted spans, a JSON array of {"start","end"} in characters.
ALTER TABLE opinions ADD COLUMN redactions TEXT;
-- For 'withhold': abuse, advertising, unrelated or duplicate.
ALTER TABLE opinions ADD COLUMN withheld_reason TEXT;
ALTER TABLE opinions ADD COLUMN moderated_by TEXT;
ALTER TABLE opinions ADD COLUMN moderated_at TEXT;
ALTER TABLE opinions ADD COLUMN responded_by TEXT;
-- Raised by every moderation or response: a reviewer's change names the revision it saw,
-- so two reviewers answering one opinion at once cannot overwrite each other unseen.
ALTER TABLE opinions ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- 意见采纳情况说明, written by officials and shown above the published opinions.
ALTER TABLE consultations ADD COLUMN statement TEXT;

-- One row per action of an official; rows are only ever inserted. No opinion text and no
-- contact data: the object is named by its id or receipt number.
CREATE TABLE audit_log (
    -- Unix time in microseconds, then random hex: unique, and sorts by time.
    id TEXT PRIMARY KEY,
    -- RFC 3339, UTC.
    at TEXT NOT NULL,
    -- The account name, or 'token' for the scripted-export token, or '' when unknown.
    actor TEXT NOT NULL,
    -- sign_in, sign_in_failed, moderate, respond, publish, view_contacts, export …
    action TEXT NOT NULL,
    -- consultation id, receipt number or account name.
    object TEXT NOT NULL,
    -- The client's address as the trusted proxies report it.
    address TEXT NOT NULL,
    -- A short note without personal data (the decision, the role given …).
    detail TEXT NOT NULL
);

CREATE INDEX audit_log_by_time ON audit_log (at);

-- Signed-in officials, for the console (argon2id hashes only, never a password).
CREATE TABLE officials (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    -- Comma-separated: editor, reviewer, publisher, admin.
    roles TEXT NOT NULL,
    -- Wrong passwords in a row; reset by a sign-in.
    failures BIGINT NOT NULL DEFAULT 0,
    -- Unix seconds until which sign-in is refused; 0 when not locked.
    locked_until BIGINT NOT NULL DEFAULT 0,
    -- 1 when an admin disabled the account.
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a stolen database gives no usable session.
    token_hash TEXT PRIMARY KEY,
    official TEXT NOT NULL,
    -- The CSRF token every state-changing request must carry in X-CSRF-Token.
    csrf TEXT NOT NULL,
    -- Unix seconds.
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
