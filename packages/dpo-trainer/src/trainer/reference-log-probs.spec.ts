import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResumeStateError } from '../errors';
import { jsonFileReferenceStore } from './reference-log-probs';

describe('jsonFileReferenceStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dpo-refs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps values across instances (a resumed run reads what the first run computed)', async () => {
    const path = join(dir, 'reference-logps.json');
    const a = jsonFileReferenceStore(path);
    expect(await a.get('p1')).toBeUndefined();
    await a.setMany(new Map([['p1', { chosen: -12.5, rejected: -30.25 }]]));
    await a.setMany(new Map([['p2', { chosen: -1, rejected: -2 }]]));
    const b = jsonFileReferenceStore(path);
    expect(await b.get('p1')).toEqual({ chosen: -12.5, rejected: -30.25 });
    expect(await b.get('p2')).toEqual({ chosen: -1, rejected: -2 });
  });

  it('returns only values stored under its own scope, and replaces the others when they are recomputed', async () => {
    const path = join(dir, 'reference-logps.json');
    await jsonFileReferenceStore(path).setMany(new Map([['p1', { chosen: -1, rejected: -2 }]]));
    await jsonFileReferenceStore(path, 'span-a').setMany(new Map([['p2', { chosen: -3, rejected: -4 }]]));
    const a = jsonFileReferenceStore(path, 'span-a');
    expect(await a.get('p1')).toBeUndefined(); // computed without a scope: not known to hold for span-a
    expect(await a.get('p2')).toEqual({ chosen: -3, rejected: -4 });
    const b = jsonFileReferenceStore(path, 'span-b');
    expect(await b.get('p2')).toBeUndefined();
    await b.setMany(new Map([['p2', { chosen: -5, rejected: -6 }]]));
    expect(await jsonFileReferenceStore(path, 'span-b').get('p2')).toEqual({ chosen: -5, rejected: -6 });
    expect(await jsonFileReferenceStore(path, 'span-a').get('p2')).toBeUndefined();
    expect(await jsonFileReferenceStore(path).get('p1')).toEqual({ chosen: -1, rejected: -2 });
  });

  it('refuses a malformed file with a typed error', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"p1": {"chosen": "x"}}');
    await expect(jsonFileReferenceStore(path).get('p1')).rejects.toThrow(ResumeStateError);
    writeFileSync(path, '{not json');
    await expect(jsonFileReferenceStore(path).get('p1')).rejects.toThrow(ResumeStateError);
  });
});
