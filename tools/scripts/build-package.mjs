#!/usr/bin/env node
// Builds one library for publishing into <package>/dist: CommonJS + .d.ts (+ maps) from its sources, and an ESM
// entry (index.mjs) that re-exports the CommonJS module, so `import` and `require` share one instance of each
// class (no dual-package hazard). @smart/* siblings resolve through node_modules to their own built dist, not to
// the workspace's source path aliases, so the output is exactly what an installed package runs.
// Usage: node tools/scripts/build-package.mjs packages/<name>
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [pkgArg] = process.argv.slice(2);
if (!pkgArg) {
  console.error('usage: build-package.mjs packages/<name>');
  process.exit(2);
}
const pkgDir = resolve(root, pkgArg);
const libConfig = join(pkgDir, 'tsconfig.lib.json');
if (!existsSync(libConfig)) {
  console.error(`${libConfig} not found`);
  process.exit(2);
}
const outDir = join(pkgDir, 'dist');
rmSync(outDir, { recursive: true, force: true });

const read = ts.readConfigFile(libConfig, ts.sys.readFile);
if (read.error) fail([read.error]);
const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, pkgDir, {
  rootDir: join(pkgDir, 'src'),
  outDir,
  paths: {},
  noEmit: false,
  declaration: true,
  declarationMap: true,
  sourceMap: true,
  incremental: false,
  composite: false,
});
if (parsed.errors.length > 0) fail(parsed.errors);

const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
const diagnostics = [...ts.getPreEmitDiagnostics(program)];
const emitted = program.emit();
diagnostics.push(...emitted.diagnostics);
if (diagnostics.length > 0) fail(diagnostics);

const cjsEntry = join(outDir, 'index.js');
if (!existsSync(cjsEntry)) fail([], `${cjsEntry} was not emitted (is src/index.ts there?)`);
mkdirSync(outDir, { recursive: true });
// Node reads the CommonJS module's named exports (tsc's `exports.x =` / getter forms) with cjs-module-lexer.
writeFileSync(join(outDir, 'index.mjs'), "export * from './index.js';\n");
console.log(`built ${pkgArg} -> ${join(pkgArg, 'dist')}`);

function fail(list, message) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  if (list.length > 0) console.error(ts.formatDiagnosticsWithColorAndContext(list, host));
  if (message) console.error(message);
  process.exit(1);
}
