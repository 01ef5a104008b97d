import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The feature modules from the bottom up, written once: a module may import only modules listed before it
 * (lint below, and `scripts/import-graph.ts`, which prints the graph and fails on an upward import or a cycle).
 * Where a lower module must hear from a higher one, it owns a registry the higher one plugs into.
 */
export const MODULE_LAYERS = [
  'events',
  'users',
  'sessions',
  'access',
  'agent-client',
  'node-jobs',
  'tokens',
  'health',
  'templates',
  'nodes',
  'clusters',
  'enrollments',
  'peers',
  'drift',
  'node-apply',
  'notifications',
  'audit',
  'lifecycle',
  'metrics',
  'reconcile',
  'sync',
  'adoption',
  'self-service',
  'cluster-health',
];

/** Another module's files other than its index, its *.module.ts and its domain/, seen from `up` levels below src/modules/<m>/. */
function moduleInternals(up) {
  const escaped = up.replace(/\./g, '\\.');
  return {
    regex: `^${escaped}(?!\\.\\.)[^/]+/(?!domain/)(?![^/]*\\.module$)`,
    message:
      "Import another module through its public files: '../<module>' (index.ts), its *.module.ts or its domain/.",
  };
}

/** Imports of the modules above `module` in MODULE_LAYERS, seen from `up` levels below src/modules/<module>/. */
function upwardImports(module, up) {
  const above = MODULE_LAYERS.slice(MODULE_LAYERS.indexOf(module) + 1);
  if (above.length === 0) return [];
  return [
    {
      regex: `^${up.replace(/\./g, '\\.')}(${above.join('|')})(/|$)`,
      message: `'${module}' may import only the modules below it in MODULE_LAYERS (eslint.config.mjs); where a lower module must hear from a higher one, it owns a registry the higher one plugs into.`,
    },
  ];
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  // Module boundaries: another module is reached through its public files only, which are its index.ts
  // (services, registries, types), its NestJS module (*.module.ts) and its framework-free domain/. Tests may
  // import internals.
  {
    files: ['src/modules/*/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [moduleInternals('../')] }] },
  },
  {
    files: ['src/modules/*/*/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [moduleInternals('../../')] }] },
  },
  // Layering: the boundary rule again, with the modules above each one forbidden too (a later block's options
  // replace an earlier one's for the same rule, so each module's block carries both).
  ...MODULE_LAYERS.flatMap((module) =>
    ['../', '../../'].map((up) => ({
      files: [`src/modules/${module}/${up === '../' ? '' : '*/'}*.ts`],
      ignores: ['**/*.spec.ts'],
      rules: {
        'no-restricted-imports': ['error', { patterns: [moduleInternals(up), ...upwardImports(module, up)] }],
      },
    })),
  ),
  {
    files: ['src/common/**/*.ts', 'src/config/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '/modules(/|$)', message: 'common/ and config/ import no feature module.' }] },
      ],
    },
  },
  // The shared vocabulary is the bottom: config reads its parsers, and the rest of common/ reads config.
  {
    files: ['src/common/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '/modules(/|$)', message: 'common/ and config/ import no feature module.' },
            { regex: '^\\.\\./(?!domain/)', message: 'common/domain imports nothing outside itself.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'scripts/**/*.ts', 'agent/test/**/*.ts', '**/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
