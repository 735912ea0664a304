#!/usr/bin/env node
// Installs the libraries as an outside project would: builds them (unless --no-build), `npm pack`s each, installs
// the tarballs into a scratch project outside the repository (each package's @smart/* ranges are met by its packed
// siblings, nothing is linked to the workspace), then imports every package with `import` and `require`
// and type-checks an ESM and a CommonJS consumer with strict nodenext settings and skipLibCheck off.
// Third-party install scripts are skipped (--ignore-scripts): compiling better-sqlite3 takes minutes and says
// nothing about our packaging; the native bindings load lazily, so importing still proves the packages resolve.
// Usage: node tools/scripts/pack-check.mjs [--no-build] [--keep]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = new Set(process.argv.slice(2));
const libs = readdirSync(join(root, 'packages')).filter((d) => {
  try {
    return !JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')).private;
  } catch {
    return false;
  }
});
const problems = [];

function run(cmd, argv, cwd, env = {}) {
  const out = spawnSync(cmd, argv, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (out.status !== 0) {
    console.error(`${cmd} ${argv.join(' ')} (in ${cwd}) exited ${out.status}\n${out.stdout}\n${out.stderr}`);
    process.exit(1);
  }
  return out.stdout;
}

const t0 = Date.now();
const step = (what) => console.log(`[pack-check ${((Date.now() - t0) / 1000).toFixed(0)}s] ${what}`);

if (!args.has('--no-build')) {
  step(`building ${libs.length} packages`);
  run('npx', ['nx', 'run-many', '-t', 'build', '-p', ...libs, '--outputStyle=static'], root, { NX_DAEMON: 'false' });
}

const scratch = mkdtempSync(join(tmpdir(), 'smart-pack-check-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);
step(`packing into ${tarballs}`);
const packed = JSON.parse(
  run('npm', ['pack', '--json', '--pack-destination', tarballs, ...libs.flatMap((l) => ['--workspace', `packages/${l}`])], root),
);
for (const p of packed) {
  const files = new Set(p.files.map((f) => f.path));
  for (const need of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts']) {
    if (!files.has(need)) problems.push(`${p.name}: tarball lacks ${need}`);
  }
  for (const f of files) if (f.startsWith('src/') || f.startsWith('test/')) problems.push(`${p.name}: tarball ships ${f}`);
}

const project = join(scratch, 'consumer');
mkdirSync(project);
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
step('installing the tarballs into a scratch project');
run(
  'npm',
  [
    'install',
    ...packed.map((p) => join(tarballs, p.filename)),
    `typescript@${rootPkg.devDependencies.typescript}`,
    `@types/node@${rootPkg.devDependencies['@types/node']}`,
    '--prefer-offline',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
  ],
  project,
  { ONNXRUNTIME_NODE_INSTALL: 'skip' },
);
// One copy of each sibling: a nested @smart/* would mean a range the packed sibling does not satisfy.
const nested = run('npm', ['ls', '--all', '--parseable'], project)
  .split('\n')
  .filter((l) => /node_modules\/@smart\/[^/]+\/node_modules\/@smart\//.test(l));
for (const n of nested) problems.push(`nested sibling copy: ${n}`);

const names = packed.map((p) => p.name);
const ident = (n) => n.replace('@smart/', '').replace(/-/g, '_');
writeFileSync(
  join(project, 'imports.mjs'),
  `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const problems = [];
for (const name of ${JSON.stringify(names)}) {
  const esm = await import(name);
  const cjs = require(name);
  const cjsKeys = Object.keys(cjs).sort();
  if (cjsKeys.length === 0) problems.push(name + ': no exports');
  for (const k of cjsKeys) {
    if (!(k in esm)) problems.push(name + ': ESM entry lacks ' + k);
    else if (esm[k] !== cjs[k]) problems.push(name + ': ESM and CommonJS give different ' + k);
  }
}
console.log(JSON.stringify(problems));
`,
);
step('importing each package with import and require');
const importProblems = JSON.parse(run('node', ['imports.mjs'], project).trim().split('\n').pop());
problems.push(...importProblems);

const consumer = names.map((n) => `import * as ${ident(n)} from '${n}';`).join('\n');
const used = `export const all = [${names.map(ident).join(', ')}];\n`;
writeFileSync(join(project, 'consumer.mts'), `${consumer}\n${used}`);
writeFileSync(join(project, 'consumer.cts'), `${consumer}\n${used}`);
writeFileSync(
  join(project, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
    files: ['consumer.mts', 'consumer.cts'],
  }),
);
step('type-checking an ESM and a CommonJS consumer');
const tsc = spawnSync('node', [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
if (tsc.status !== 0) problems.push(`consumer type-check failed:\n${tsc.stdout}${tsc.stderr}`);

if (!args.has('--keep')) rmSync(scratch, { recursive: true, force: true });
else console.log(`scratch kept at ${scratch}`);
step(problems.length === 0 ? `ok: ${names.length} packages packed, installed, imported and type-checked` : 'failed');
for (const p of problems) console.error(`  ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
