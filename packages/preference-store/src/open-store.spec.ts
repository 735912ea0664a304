import { openSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeSample, tempDir } from '../test/fixtures/pair-fixtures';
import { SchemaTooNewError, StoreCorruptError, StoreLockedError } from './errors';
import { migrate } from './migrate';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { openStore } from './preference-store';

describe('openStore: schema versions and failure modes', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    tmp = tempDir();
    file = join(tmp.dir, 'store.sqlite');
  });
  afterEach(() => tmp.cleanup());

  it('creates a WAL database at the latest schema version', () => {
    file = join(tmp.dir, 'runs', 'demo', 'store.sqlite');
    const store = openStore(file);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(3);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.checkIntegrity()).toEqual([]);
    store.close();
  });

  it('upgrades an older file step by step and keeps its data', () => {
    const old = new Database(file);
    expect(migrate(old, file, MIGRATIONS.slice(0, 1))).toEqual([1]);
    old.prepare(
      "INSERT INTO samples (id, source_name, source, question, choices, answer, image_path) VALUES ('q1', 'x', 'synthetic', 'Q?', '[]', 'A', 'a.png')",
    ).run();
    old.close();

    const store = openStore(file);
    expect(store.schemaVersion).toBe(3);
    expect(store.getSample('q1')!.sample.question).toBe('Q?');
    store.putJudgeResponse('k', 'judge', 'yes');
    store.close();
    // Re-opening applies nothing.
    const again = new Database(file);
    expect(migrate(again, file)).toEqual([]);
    again.close();
  });

  it('refuses a file written by a newer schema', () => {
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openStore(file)).toThrow(SchemaTooNewError);
    expect(() => openStore(file)).toThrow(expect.objectContaining({ file, found: 99, supported: SCHEMA_VERSION }));
    expect(() => openStore(file, { readonly: true })).toThrow(SchemaTooNewError);
  });

  it('reports a non-database file as such (a kind of corrupt)', () => {
    writeFileSync(file, 'this is not sqlite, just text that is long enough to fill a header page '.repeat(20));
    expect(() => openStore(file)).toThrow(StoreCorruptError);
    expect(() => openStore(file)).toThrow(/not an SQLite database \(starts with "this is not sqli"\)/);
  });

  it('reports malformed pages as corrupt', () => {
    const store = openStore(file);
    const idx = Array.from({ length: 400 }, (_, i) => i);
    store.putSamples(idx.map((i) => ({ sample: { ...makeSample(i), question: `${'long question '.repeat(20)}${i}` }, sourceName: 'a' })));
    store.close();
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8 * 4096);
    // Overwrite the middle of the file (table b-tree pages) with garbage.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, 4 * 4096);
    closeSync(fd);
    expect(() => openStore(file, { checkIntegrity: true })).toThrow(StoreCorruptError);
    // Without the up-front check, the first read of a clobbered page reports the same typed error.
    const damaged = openStore(file);
    expect(() => {
      for (let i = 0; i < 400; i++) damaged.getSample(makeSample(i).id);
    }).toThrow(StoreCorruptError);
    damaged.close();
  });

  it('reports a database locked by another writer after the busy timeout', () => {
    const store = openStore(file, { busyTimeoutMs: 100 });
    store.putSamples([{ sample: makeSample(1), sourceName: 'a' }]);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const t0 = Date.now();
    let err: unknown;
    try {
      store.putSamples([{ sample: makeSample(2), sourceName: 'a' }]);
    } catch (e) {
      err = e;
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(err).toBeInstanceOf(StoreLockedError);
    expect(err).toMatchObject({ file, busyTimeoutMs: 100 });
    // Readers are not blocked by the writer in WAL mode.
    expect(store.getSample('s00001')).toBeDefined();
    other.exec('ROLLBACK');
    other.close();
    store.putSamples([{ sample: makeSample(2), sourceName: 'a' }]);
    expect(store.getSample('s00002')).toBeDefined();
    store.close();
  });

  it('opens read-only without creating or migrating a file', () => {
    expect(() => openStore(file, { readonly: true })).toThrow(/unable to open|directory does not exist|SQLITE_CANTOPEN|not exist/i);
    openStore(file).close();
    const ro = openStore(file, { readonly: true });
    expect(ro.schemaVersion).toBe(SCHEMA_VERSION);
    expect(() => ro.putImage(Buffer.from('x'))).toThrow(/readonly/);
    ro.close();
  });
});
