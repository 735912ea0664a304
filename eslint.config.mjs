import nx from '@nx/eslint-plugin';
import jsoncParser from 'jsonc-eslint-parser';

/**
 * Module boundaries encode DESIGN.md's dependency direction: app -> libraries -> core -> types.
 * Each library also carries `pkg:<name>` and may only import the packages its row allows.
 */
const allowed = {
  'pkg:types': [],
  'pkg:core': ['pkg:types'],
  'pkg:aot-prompts': ['pkg:types', 'pkg:core'],
  'pkg:augment': ['pkg:types', 'pkg:core'],
  'pkg:filters': ['pkg:types', 'pkg:aot-prompts'],
  'pkg:datasets': ['pkg:types', 'pkg:core', 'pkg:aot-prompts'],
  'pkg:preference-store': ['pkg:types', 'pkg:core'],
  'pkg:onnx-graph': ['pkg:types'],
  'pkg:models': ['pkg:onnx-graph', 'pkg:types', 'pkg:core'],
  'pkg:mllm': ['pkg:types', 'pkg:core'],
  'pkg:dpo-trainer': ['pkg:models', 'pkg:onnx-graph', 'pkg:types', 'pkg:core'],
  'pkg:evaluators': ['pkg:types', 'pkg:core'],
  'pkg:smart-cli': ['pkg:types', 'pkg:core', 'pkg:aot-prompts', 'pkg:augment', 'pkg:filters', 'pkg:datasets', 'pkg:preference-store', 'pkg:onnx-graph', 'pkg:models', 'pkg:mllm', 'pkg:dpo-trainer', 'pkg:evaluators'],
};

/** Test-only imports: a package's tests may use tiny models and data built by these packages. */
const testOnly = { 'pkg:mllm': ['pkg:models'], 'pkg:models': ['pkg:augment'], 'pkg:dpo-trainer': ['pkg:mllm'], 'pkg:onnx-graph': ['pkg:core'] };

/** Shared test infrastructure outside every package (a spec imports it by relative path; no build ever does). */
const testInfrastructure = ['^(\\.\\./)+tools/jest/python-oracle$'];

/** The boundary rule for a set of allowed-tag rows (and imports allowed outside them). */
function boundaries(rows, allow = []) {
  return [
    'error',
    {
      enforceBuildableLibDependency: true,
      banTransitiveDependencies: true,
      allow,
      depConstraints: [
        { sourceTag: 'layer:types', onlyDependOnLibsWithTags: [] },
        { sourceTag: 'layer:lib', onlyDependOnLibsWithTags: ['layer:lib', 'layer:types'] },
        { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:lib', 'layer:types'] },
        { sourceTag: 'layer:tool', onlyDependOnLibsWithTags: ['layer:lib', 'layer:types'] },
        ...Object.entries(rows).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: tags })),
      ],
    },
  ];
}

const withTestOnly = Object.fromEntries(Object.entries(allowed).map(([tag, tags]) => [tag, [...tags, ...(testOnly[tag] ?? [])]]));

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', 'tmp', 'runs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(allowed),
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@smart/*/*'], message: "Import a package's entry point (@smart/<name>), never its internals." }] },
      ],
      // noUncheckedIndexedAccess is on, so `arr[i]!` after a bounds check is the idiom, not a smell.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/test-*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(withTestOnly, testInfrastructure) },
  },
  {
    // Each package.json lists exactly what its build imports: an unused or undeclared dependency fails lint.
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build'],
          checkMissingDependencies: true,
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
          includeTransitiveDependencies: false,
          // Type packages a published .d.ts imports are runtime dependencies for consumers, not imports of the build.
          ignoredDependencies: ['@types/better-sqlite3'],
        },
      ],
    },
  },
];
