-- Consultations authored in the console (issue 16). Imported consultations keep state NULL
-- and are public as before; authored ones start as 'draft' (seen by officials only) and
-- become 'open' when a publisher opens them.
ALTER TABLE consultations ADD COLUMN state TEXT;
-- Why the period is shorter than 30 days; shown to citizens.
ALTER TABLE consultations ADD COLUMN short_period_reason TEXT;
-- Raised by every edit: an edit names the revision it started from.
ALTER TABLE consultations ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- Drafts and explanations uploaded in the console, checked by content.
CREATE TABLE consultation_files (
    -- Random hex, in the file's address.
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL,
    -- 'draft' or 'explanation'.
    role TEXT NOT NULL,
    -- pdf, doc, docx or ofd, as the content showed.
    kind TEXT NOT NULL,
    -- The name as uploaded, cleaned, with the extension of its kind.
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- BYTEA is PostgreSQL's name; SQLite stores the blob as given under any type name.
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);

CREATE INDEX consultation_files_by_consultation ON consultation_files (consultation_id);
