-- The decision store of sdm-audit-postgres: one hash chain per row of "chain", its records in
-- "decision_record". Flyway runs this in the store's own schema (default sdm_audit).

-- One row per chain (stream): the head of the chain, locked (SELECT ... FOR UPDATE) by every
-- appending transaction, which takes the next sequence numbers from it and moves it on in the
-- same transaction: no gaps, no forks, whatever the number of writers.
CREATE TABLE chain (
    name       text        PRIMARY KEY,
    last_seq   bigint      NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    last_hash  char(64)    NOT NULL DEFAULT repeat('0', 64),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per record: its line (the canonical JSON of the record, exactly the bytes of its line in
-- a log file, without the newline), its hash, and columns copied from it for queries. verify checks
-- every column against the line.
CREATE TABLE decision_record (
    chain            text        NOT NULL REFERENCES chain (name),
    seq              bigint      NOT NULL CHECK (seq >= 1),
    hash             char(64)    NOT NULL,
    recorded_at      timestamptz NOT NULL,
    case_id          text,
    assessed_on      date,
    ruleset_id       text        NOT NULL,
    ruleset_version  text        NOT NULL,
    final_level      text,
    override_applied boolean     NOT NULL,
    line             text        NOT NULL,
    PRIMARY KEY (chain, seq)
);

-- A line (a few kB) is compressed but kept in the row where it fits (MAIN, not the default EXTENDED, which moves
-- a value over 2 kB out to the TOAST table): verify, replay and export read every line in seq order, and a line
-- in the row costs no lookup in the TOAST table's index.
ALTER TABLE decision_record ALTER COLUMN line SET STORAGE MAIN;

CREATE INDEX decision_record_case ON decision_record (chain, case_id);
CREATE INDEX decision_record_assessed ON decision_record (chain, assessed_on);
CREATE INDEX decision_record_recorded ON decision_record (chain, recorded_at);
CREATE INDEX decision_record_ruleset ON decision_record (chain, ruleset_id, ruleset_version);
CREATE INDEX decision_record_level ON decision_record (chain, final_level, override_applied);
