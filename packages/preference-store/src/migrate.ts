import type { Database } from 'better-sqlite3';
import { SchemaTooNewError } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

/** Applies the migrations a database lacks, each in its own transaction; returns the versions applied. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) throw new SchemaTooNewError(file, current, known);
  const applied: number[] = [];
  for (const step of migrations) {
    if (step.version <= current) continue;
    // IMMEDIATE takes the write lock first, so two processes opening a fresh file cannot both migrate.
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= step.version) return;
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
      applied.push(step.version);
    }).immediate();
  }
  return applied;
}
