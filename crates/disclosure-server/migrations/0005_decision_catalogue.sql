-- The year's catalogue of major decisions (年度重大行政决策事项目录, issue 16).
CREATE TABLE decision_catalogue (
    -- Random hex.
    id TEXT PRIMARY KEY,
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    -- drafting, consulting, deliberating or published.
    stage TEXT NOT NULL,
    consultation_id TEXT,
    decision_url TEXT,
    -- RFC 3339: entries are listed in the order they were added.
    created_at TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX decision_catalogue_by_year ON decision_catalogue (year, created_at);
