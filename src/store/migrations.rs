//! The schema, as numbered migrations. `PRAGMA user_version` records how many
//! have been applied; a migration is never edited once released, only added.

/// The first version with what `ale serve` draws beyond the figures: cases'
/// outputs, steps, races, bandits' figures, budgets (migration 11).
pub const SERVE_DRAWS: usize = 11;

pub const MIGRATIONS: &[&str] = &[
    // 1: runs, their case results, and the best score ever seen per input.
    r#"
    CREATE TABLE runs (
        id                  INTEGER PRIMARY KEY,
        problem             TEXT NOT NULL,
        solution            TEXT NOT NULL,
        solution_hash       TEXT NOT NULL,
        started_at          TEXT NOT NULL,
        finished_at         TEXT,
        status              TEXT NOT NULL,
        cases               INTEGER,
        accepted            INTEGER,
        mean_score          REAL,
        mean_relative_score REAL,
        mean_log10_score    REAL,
        max_time_ms         INTEGER
    );
    CREATE INDEX runs_by_problem ON runs (problem, id);
    CREATE TABLE case_results (
        run_id     INTEGER NOT NULL REFERENCES runs (id),
        case_index INTEGER NOT NULL,
        seed       INTEGER,
        input      TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        verdict    TEXT NOT NULL,
        score      INTEGER,
        time_ms    INTEGER NOT NULL,
        memory_kb  INTEGER NOT NULL,
        message    TEXT,
        PRIMARY KEY (run_id, case_index)
    );
    CREATE TABLE best_scores (
        problem    TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        score      INTEGER NOT NULL,
        run_id     INTEGER NOT NULL,
        PRIMARY KEY (problem, input_hash)
    );
    "#,
    // 2: which process on which host runs a run, so that a run whose process
    // is gone can be told from one still going.
    r#"
    ALTER TABLE runs ADD COLUMN pid INTEGER;
    ALTER TABLE runs ADD COLUMN host TEXT;
    "#,
    // 3: tunings (`ale tune`): each trial's constants and each case it ran.
    r#"
    CREATE TABLE tunings (
        id          INTEGER PRIMARY KEY,
        problem     TEXT NOT NULL,
        solution    TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        status      TEXT NOT NULL,
        rng_seed    INTEGER NOT NULL,
        seeds       TEXT NOT NULL,
        holdout     TEXT NOT NULL,
        pid         INTEGER,
        host        TEXT
    );
    CREATE TABLE tune_trials (
        id            INTEGER PRIMARY KEY,
        tuning_id     INTEGER NOT NULL REFERENCES tunings(id),
        number        INTEGER NOT NULL,
        point         TEXT NOT NULL,
        vals          TEXT NOT NULL,
        source_hash   TEXT NOT NULL,
        status        TEXT NOT NULL,
        mean_relative REAL,
        UNIQUE (tuning_id, number)
    );
    CREATE TABLE tune_cases (
        trial_id INTEGER NOT NULL REFERENCES tune_trials(id),
        seed     INTEGER NOT NULL,
        holdout  INTEGER NOT NULL,
        verdict  TEXT NOT NULL,
        score    INTEGER,
        time_ms  INTEGER NOT NULL,
        PRIMARY KEY (trial_id, seed)
    );
    "#,
    // 4: search sessions (`ale solve`): candidates with their lineage and cases.
    r#"
    CREATE TABLE sessions (
        id                INTEGER PRIMARY KEY,
        problem           TEXT NOT NULL,
        started_at        TEXT NOT NULL,
        status            TEXT NOT NULL,
        rng_seed          INTEGER NOT NULL,
        best_candidate    INTEGER,
        best_public_score REAL,
        submission        TEXT,
        pid               INTEGER,
        host              TEXT
    );
    CREATE TABLE candidates (
        id            INTEGER PRIMARY KEY,
        session_id    INTEGER NOT NULL REFERENCES sessions(id),
        parent        INTEGER,
        operator      TEXT NOT NULL,
        origin        TEXT NOT NULL,
        extension     TEXT NOT NULL,
        source        TEXT NOT NULL,
        norm_hash     TEXT NOT NULL,
        status        TEXT NOT NULL,
        created_s     REAL NOT NULL,
        UNIQUE (session_id, norm_hash)
    );
    CREATE TABLE candidate_cases (
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        seed         INTEGER NOT NULL,
        verdict      TEXT NOT NULL,
        score        INTEGER,
        time_ms      INTEGER NOT NULL,
        PRIMARY KEY (candidate_id, seed)
    );
    "#,
    // 5: a search's tuning bursts belong to its session, so that the search
    // and its bursts share what they judged.
    r#"
    ALTER TABLE tunings ADD COLUMN session_id INTEGER REFERENCES sessions(id);
    "#,
    // 6: language-model calls of a session (what was asked, what came back,
    // what it cost), why a candidate failed (the compiler's message) and the
    // end of each case's stderr, for the feedback a model reads.
    r#"
    CREATE TABLE llm_calls (
        id           INTEGER PRIMARY KEY,
        session_id   INTEGER NOT NULL REFERENCES sessions(id),
        operator     TEXT NOT NULL,
        model        TEXT NOT NULL,
        system       TEXT NOT NULL,
        user         TEXT NOT NULL,
        reply        TEXT,
        error        TEXT,
        tokens_in    INTEGER NOT NULL,
        tokens_out   INTEGER NOT NULL,
        cost         REAL NOT NULL,
        attempts     INTEGER NOT NULL,
        millis       INTEGER NOT NULL,
        candidate_id INTEGER REFERENCES candidates(id)
    );
    ALTER TABLE candidates ADD COLUMN message TEXT;
    ALTER TABLE candidate_cases ADD COLUMN stderr TEXT;
    "#,
    // 7: a model call is recorded when it is asked and completed when it is
    // answered (the search judges candidates in between): when each happened,
    // in seconds since the search (this run of it) started, and the step of
    // the search at which it took the answer (a replay takes it there too).
    r#"
    ALTER TABLE llm_calls ADD COLUMN asked REAL;
    ALTER TABLE llm_calls ADD COLUMN answered REAL;
    ALTER TABLE llm_calls ADD COLUMN taken_at INTEGER;
    "#,
    // 8: a case's time is judged as the contest's judge does, the larger of
    // its wall time and its CPU time; both are kept beside it.
    r#"
    ALTER TABLE case_results ADD COLUMN wall_ms INTEGER;
    ALTER TABLE case_results ADD COLUMN cpu_ms INTEGER;
    "#,
    // 9: the seeds a search session judges on (public) and submits on
    // (private), so that a resumed session keeps them; NULL for the sessions
    // of earlier versions, which used the problem's.
    r#"
    ALTER TABLE sessions ADD COLUMN public_seeds TEXT;
    ALTER TABLE sessions ADD COLUMN private_seeds TEXT;
    "#,
    // 10: benches (`ale bench`): a search on each problem of a set, one
    // result row per problem as it finishes, so that a killed bench resumes.
    r#"
    CREATE TABLE benches (
        id         INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        problems   TEXT NOT NULL,
        status     TEXT NOT NULL
    );
    CREATE TABLE bench_rows (
        bench_id   INTEGER NOT NULL REFERENCES benches(id),
        problem    TEXT NOT NULL,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        result     TEXT NOT NULL,
        PRIMARY KEY (bench_id, problem)
    );
    "#,
    // 11: what `ale serve` draws besides the figures: each case's output
    // (`data`, LZ4-compressed when `compressed` is 1, up to a cap; NULL when it was
    // over the cap, and `size` still tells how big it was; `output_bytes` of
    // the run, candidate or session counts what its outputs take, for the caps), each
    // trial's race (the trial it raced against, and each check: JSON), the
    // memory of a candidate's case, a session's budget (JSON, as its latest
    // run of the search was given it), the end of a run's cases' stderr,
    // the steps each candidate of a search went through (the halving rounds,
    // the first seeds against its parent, the races against the best) and
    // the bandits' figures at each of their choices.
    r#"
    ALTER TABLE case_results ADD COLUMN stderr TEXT;
    ALTER TABLE runs ADD COLUMN output_bytes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE candidates ADD COLUMN output_bytes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN output_bytes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tune_trials ADD COLUMN raced_against INTEGER;
    ALTER TABLE candidate_cases ADD COLUMN memory_kb INTEGER;
    ALTER TABLE sessions ADD COLUMN budget TEXT;
    ALTER TABLE tune_trials ADD COLUMN race TEXT;
    CREATE TABLE case_outputs (
        run_id     INTEGER NOT NULL REFERENCES runs (id),
        case_index INTEGER NOT NULL,
        size       INTEGER NOT NULL,
        compressed INTEGER NOT NULL,
        data       BLOB,
        PRIMARY KEY (run_id, case_index)
    );
    CREATE TABLE candidate_outputs (
        candidate_id INTEGER NOT NULL REFERENCES candidates (id),
        seed         INTEGER NOT NULL,
        size         INTEGER NOT NULL,
        compressed   INTEGER NOT NULL,
        data         BLOB,
        PRIMARY KEY (candidate_id, seed)
    );
    CREATE TABLE candidate_steps (
        candidate_id INTEGER NOT NULL REFERENCES candidates (id),
        number       INTEGER NOT NULL,
        at_s         REAL NOT NULL,
        stage        TEXT NOT NULL,
        seeds        INTEGER NOT NULL,
        against      INTEGER,
        mine         REAL,
        theirs       REAL,
        p_value      REAL,
        outcome      TEXT NOT NULL,
        PRIMARY KEY (candidate_id, number)
    );
    CREATE TABLE bandit_figures (
        session_id INTEGER NOT NULL REFERENCES sessions (id),
        number     INTEGER NOT NULL,
        at_s       REAL NOT NULL,
        bandit     TEXT NOT NULL,
        chosen     TEXT NOT NULL,
        arms       TEXT NOT NULL,
        PRIMARY KEY (session_id, number)
    );
    "#,
];
