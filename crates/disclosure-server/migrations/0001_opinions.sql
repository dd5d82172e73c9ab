-- Portable between SQLite and PostgreSQL: text, 64-bit integers, no auto-increment
-- (receipt numbers are made by the server).
CREATE TABLE consultations (
    id TEXT PRIMARY KEY,
    -- The consultation as officials wrote it (JSON of disclosure_core::consultation::Consultation).
    body TEXT NOT NULL,
    -- YYYY-MM-DD once the results are published.
    results_published TEXT
);

CREATE TABLE opinions (
    receipt TEXT PRIMARY KEY,
    -- Chosen by the citizen's browser; a retry with the same key never makes a second opinion.
    idempotency_key TEXT NOT NULL UNIQUE,
    -- SHA-256 of what was sent, to tell a retry from a different opinion under a reused key.
    content_hash TEXT NOT NULL,
    -- SHA-256 of the secret given with the receipt.
    secret_hash TEXT NOT NULL,
    consultation_id TEXT NOT NULL,
    -- The clause number; NULL for 总体意见.
    clause BIGINT,
    body TEXT NOT NULL,
    name TEXT,
    -- Phone and e-mail sealed with ChaCha20-Poly1305 (hex of nonce and ciphertext); NULL when
    -- none were given or after the retention period.
    contact TEXT,
    -- RFC 3339, UTC.
    received_at TEXT NOT NULL,
    verdict TEXT,
    reason TEXT,
    responded_at TEXT
);

CREATE INDEX opinions_by_consultation ON opinions (consultation_id, received_at);
