import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicWriteError } from '../errors';
import { writeFileAtomic, writeFileAtomicSync, writeJsonAtomic, writeJsonAtomicSync } from './write-file-atomic';

const root = join(__dirname, '..', '..', '..', '..');

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smart-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes and replaces content, leaving no temp file behind', async () => {
    const file = join(dir, 'a.json');
    await writeJsonAtomic(file, { step: 1 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ step: 1 });
    await writeFileAtomic(file, Uint8Array.from([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    writeJsonAtomicSync(file, [2]);
    expect(readFileSync(file, 'utf8')).toBe('[\n  2\n]\n');
    writeFileAtomicSync(file, 'done');
    expect(readFileSync(file, 'utf8')).toBe('done');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('fails with AtomicWriteError and keeps the old content when the write cannot happen', async () => {
    const file = join(dir, 'keep.txt');
    writeFileSync(file, 'old');
    await expect(writeFileAtomic(join(dir, 'missing', 'x.txt'), 'new')).rejects.toMatchObject({ constructor: AtomicWriteError, reason: 'ENOENT' });
    expect(() => writeFileAtomicSync(dir, 'new')).toThrow(AtomicWriteError); // renaming a file over a directory
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['keep.txt']);
  });

  it('survives kill -9 in the middle of rewrites: the file is always one whole version', async () => {
    const file = join(dir, 'state.txt');
    const script = join(dir, 'writer.ts');
    // Each version is 1 MiB of one repeated digit, so a torn write shows as mixed digits or a short file.
    writeFileSync(
      script,
      `import { writeFileAtomicSync } from ${JSON.stringify(join(root, 'packages/core/src/fs/write-file-atomic'))};\n` +
        `for (let i = 0; ; i++) { writeFileAtomicSync(${JSON.stringify(file)}, String(i % 10).repeat(1 << 20)); if (i === 0) process.stdout.write('ready\\n'); }\n`,
    );
    // `--import tsx` keeps the writer in this one process, so SIGKILL hits the process doing the writes.
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const content = readFileSync(file, 'utf8');
    expect(content.length).toBe(1 << 20);
    expect(new Set(content).size).toBe(1);
  });
});
