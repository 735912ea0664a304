import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Builds, packs and installs every library outside the repository (tools/scripts/pack-check.mjs); minutes long,
// so it runs in CI (CI=true) or on request (SMART_PACK_CHECK=1).
const root = join(__dirname, '..', '..', '..');
const enabled = process.env['CI'] === 'true' || process.env['SMART_PACK_CHECK'] === '1';
const maybe = enabled ? it : it.skip;
if (!enabled) console.log('pack-install: skipped (set SMART_PACK_CHECK=1 or CI=true to pack and install every package)');

describe('published packages', () => {
  maybe(
    'each packed package installs with its packed siblings outside the repo and imports in ESM and CJS with its types',
    () => {
      const out = spawnSync(process.execPath, [join(root, 'tools', 'scripts', 'pack-check.mjs')], { cwd: root, encoding: 'utf8' });
      expect({ status: out.status, log: out.status === 0 ? '' : `${out.stdout}\n${out.stderr}` }).toEqual({ status: 0, log: '' });
      expect(out.stdout).toMatch(/ok: 12 packages packed, installed, imported and type-checked/);
    },
    20 * 60_000,
  );
});
