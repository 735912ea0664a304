import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Packages whose README's first ```ts block runs as-is (no data files or models needed). */
const SELF_CONTAINED = ['types', 'core', 'aot-prompts', 'filters', 'augment', 'mllm', 'models', 'datasets', 'onnx-graph', 'evaluators', 'preference-store', 'dpo-trainer'];

/** The first ```ts fenced block of a README. */
function firstTsBlock(readme: string): string | null {
  return /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? null;
}

describe('package README examples run', () => {
  jest.setTimeout(120_000);

  it.each(SELF_CONTAINED)('%s', (pkg) => {
    const code = firstTsBlock(readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8'));
    expect(code).not.toBeNull();
    // Inside the repository (so node_modules resolve) but outside every project (so no lint or typecheck
    // running in parallel sees a half-written folder); the bench tsconfig supplies the path aliases.
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const dir = mkdtempSync(join(root, 'tmp', 'readme-'));
    try {
      const file = join(dir, 'example.ts');
      writeFileSync(file, code!);
      const out = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), '--tsconfig', join(root, 'tools', 'bench', 'tsconfig.json'), file], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      expect(out.stdout.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
