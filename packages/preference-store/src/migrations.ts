/** One schema step; `version` is the PRAGMA user_version after it has run. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Ordered schema migrations. Never edit a released step: append a new one, so that every existing
 * run folder upgrades by replaying only the steps it lacks.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core: images, samples, iterations, generations, pairs',
    sql: `
      -- Image bytes live in a content-addressed folder beside the database (see ImageFolder): an
      -- export hard-links them, and the database stays small when a source has many large images.
      CREATE TABLE images (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        file TEXT NOT NULL
      ) STRICT;

      CREATE TABLE samples (
        id TEXT PRIMARY KEY,
        source_name TEXT NOT NULL,
        source TEXT NOT NULL,
        question TEXT NOT NULL,
        hint TEXT,
        choices TEXT NOT NULL,
        answer TEXT NOT NULL,
        image_path TEXT NOT NULL,
        image_sha256 TEXT REFERENCES images(sha256),
        meta TEXT
      ) STRICT;

      CREATE TABLE iterations (
        k INTEGER PRIMARY KEY CHECK (k >= 0),
        model TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      -- sample_id is the primary key: a sample can belong to one iteration only (disjoint draws).
      CREATE TABLE iteration_samples (
        sample_id TEXT PRIMARY KEY REFERENCES samples(id),
        iteration INTEGER NOT NULL REFERENCES iterations(k),
        UNIQUE (sample_id, iteration)
      ) STRICT;
      CREATE INDEX iteration_samples_by_iteration ON iteration_samples(iteration);

      CREATE TABLE generations (
        id INTEGER PRIMARY KEY,
        sample_id TEXT NOT NULL,
        iteration INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('positive', 'negative')),
        candidate INTEGER NOT NULL DEFAULT 0,
        variant TEXT NOT NULL,
        prompt TEXT NOT NULL,
        target_answer TEXT,
        text TEXT NOT NULL,
        model TEXT NOT NULL,
        seed INTEGER,
        sampling TEXT NOT NULL,
        augmented INTEGER NOT NULL CHECK (augmented IN (0, 1)),
        finish_reason TEXT,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        latency_ms REAL,
        created_at TEXT NOT NULL,
        UNIQUE (sample_id, iteration, kind, candidate),
        FOREIGN KEY (sample_id, iteration) REFERENCES iteration_samples(sample_id, iteration)
      ) STRICT;

      -- One candidate pair per (sample, iteration), kept or dropped, so the report can draw a funnel.
      CREATE TABLE pairs (
        sample_id TEXT NOT NULL,
        iteration INTEGER NOT NULL,
        positive_id INTEGER NOT NULL REFERENCES generations(id),
        negative_id INTEGER NOT NULL REFERENCES generations(id),
        prompt TEXT NOT NULL,
        answer TEXT NOT NULL,
        wrong_answer TEXT NOT NULL CHECK (wrong_answer <> answer),
        kept INTEGER NOT NULL CHECK (kept IN (0, 1)),
        drop_reasons TEXT NOT NULL CHECK (json_valid(drop_reasons) AND json_type(drop_reasons) = 'array'),
        ref_logp_chosen REAL,
        ref_logp_rejected REAL,
        created_at TEXT NOT NULL,
        -- Keyed by iteration first: exports and funnels read one iteration at a time. WITHOUT ROWID keeps
        -- the rows inside this one b-tree, so a pair write touches one tree instead of two.
        PRIMARY KEY (iteration, sample_id),
        FOREIGN KEY (sample_id, iteration) REFERENCES iteration_samples(sample_id, iteration),
        CHECK ((kept = 1) = (json_array_length(drop_reasons) = 0))
      ) STRICT, WITHOUT ROWID;

      -- Reference log-probs were computed on the old text; a rewritten rationale invalidates them.
      CREATE TRIGGER generations_text_changed AFTER UPDATE OF text ON generations
      WHEN old.text IS NOT new.text
      BEGIN
        UPDATE pairs SET ref_logp_chosen = NULL, ref_logp_rejected = NULL
        WHERE positive_id = new.id OR negative_id = new.id;
      END;
    `,
  },
  {
    version: 2,
    name: 'judge cache and eval results',
    sql: `
      CREATE TABLE judge_cache (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      -- iteration -1 stands for an EvalResult without an iteration (NULL cannot be part of a key).
      CREATE TABLE eval_results (
        benchmark TEXT NOT NULL,
        iteration INTEGER NOT NULL,
        model TEXT NOT NULL,
        score REAL NOT NULL,
        scale TEXT NOT NULL,
        scored INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        breakdowns TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (benchmark, iteration, model)
      ) STRICT;

      CREATE TABLE eval_items (
        benchmark TEXT NOT NULL,
        iteration INTEGER NOT NULL,
        model TEXT NOT NULL,
        item_id TEXT NOT NULL,
        response TEXT NOT NULL,
        extracted TEXT,
        score REAL NOT NULL,
        failure TEXT,
        tags TEXT,
        PRIMARY KEY (benchmark, iteration, model, item_id)
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: "negatives' augmentation (seed, profile, where the noise went)",
    sql: `
      ALTER TABLE generations ADD COLUMN augmentation TEXT CHECK (augmentation IS NULL OR json_valid(augmentation));
    `,
  },
];

/** Highest schema version this code can read and write. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
