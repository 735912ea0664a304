// Shared Jest settings: SWC transform (fast, no type-check; `typecheck` targets do that)
// and @smart/* resolved to package sources through tsconfig.base.json paths.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, targets] of Object.entries(compilerOptions.paths ?? {})) {
  moduleNameMapper[`^${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`] = path.join(__dirname, targets[0]);
}

module.exports = {
  // Node environment whose typed-array constructors are the main realm's, so native addons
  // (onnxruntime-node) accept arrays created in tests.
  testEnvironment: path.join(__dirname, 'tools', 'jest', 'ort-environment.js'),
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  moduleNameMapper,
  testTimeout: 60_000,
};
