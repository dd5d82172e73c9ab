-- The per-address submission windows shared by every instance on one PostgreSQL database
-- (SQLite serves one process and counts in memory; the table is made there too, so both
-- databases keep one schema).
CREATE TABLE submission_windows (
    -- The client's address as text (IPv4 or IPv6).
    address TEXT NOT NULL,
    -- Unix time divided by 60: the minute the window covers.
    window_start BIGINT NOT NULL,
    submissions BIGINT NOT NULL,
    PRIMARY KEY (address, window_start)
);
