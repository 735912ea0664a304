#!/usr/bin/env node
// Scaffolds a library under packages/<name> with the workspace's standard files and
// registers its `@smart/<name>` path alias. Usage: node tools/scripts/new-package.mjs <name> "<description>"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = ''] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: new-package.mjs <kebab-name> "<description>"');
  process.exit(2);
}
const root = join('packages', name);
if (existsSync(join(root, 'project.json'))) {
  console.error(`${root} already exists`);
  process.exit(1);
}
const layer = name === 'types' ? 'layer:types' : 'layer:lib';
const write = (rel, text) => {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, text);
};
const json = (o) => JSON.stringify(o, null, 2) + '\n';

write('package.json', json({
  name: `@smart/${name}`,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  engines: { node: '>=20.19' },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.mjs', require: './dist/index.js' }, './package.json': './package.json' },
  files: ['dist', '!dist/**/*.tsbuildinfo', 'README.md', 'LICENSE'],
  publishConfig: { access: 'public' },
  dependencies: {},
}));
write('project.json', json({
  name,
  $schema: '../../node_modules/nx/schemas/project-schema.json',
  sourceRoot: `${root}/src`,
  projectType: 'library',
  tags: [layer, `pkg:${name}`],
  targets: {
    build: { command: `node tools/scripts/build-package.mjs ${root}`, outputs: ['{projectRoot}/dist'] },
    typecheck: {
      command: `tsc -p ${root}/tsconfig.json --noEmit`,
    },
  },
}));
write('tsconfig.json', json({
  extends: '../../tsconfig.base.json',
  compilerOptions: { noEmit: true, types: ['node', 'jest'] },
  include: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
}));
write('tsconfig.lib.json', json({
  extends: '../../tsconfig.base.json',
  compilerOptions: { outDir: '../../dist/out-tsc', types: ['node'] },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.spec.ts', 'src/**/test-*.ts'],
}));
write('jest.config.js', `module.exports = {\n  displayName: '${name}',\n  preset: '../../jest.preset.js',\n  rootDir: __dirname,\n};\n`);
write('eslint.config.mjs', `import baseConfig from '../../eslint.config.mjs';\n\nexport default [...baseConfig];\n`);
write('src/index.ts', `export {};\n`);
write('README.md', `# @smart/${name}\n\n${description}\n`);
write('LICENSE', readFileSync('LICENSE', 'utf8'));

const base = JSON.parse(readFileSync('tsconfig.base.json', 'utf8'));
base.compilerOptions.paths[`@smart/${name}`] = [`${root}/src/index.ts`];
base.compilerOptions.paths = Object.fromEntries(Object.entries(base.compilerOptions.paths).sort());
writeFileSync('tsconfig.base.json', json(base));
console.log(`created ${root}`);
