-- Years of the working-day calendar loaded by the administrator (issue #13 item 3): the
-- State Council's schedule for one year each, as the file was loaded, with its SM3 hash
-- and the notice's number. The calendar in use is the shipped file with these years laid
-- over it, the latest load of a year winning; every instance sharing the database reads
-- them, so a year loaded on one is used by all. Keep the postgres 0027_calendar_years.sql
-- in step.

CREATE TABLE calendar_years (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    -- 1 for a year's first load, one more for each replacement: two loads of the same
    -- year racing cannot both be its first, nor both replace the same load.
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    sm3 TEXT NOT NULL,
    -- The State Council notice's number (国办发明电〔2026〕N号).
    document_number TEXT NOT NULL,
    -- The notices whose ends the load moved, as listed to the loader (JSON): the Office
    -- reads them on the calendar page.
    affected TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    UNIQUE (year, seq)
);
