// ESLint flat config: typescript-eslint strict + type-aware, import cycles, architecture boundaries.
// Why each choice: docs in README ("Lint and format") and notes/lint.md.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));
const at = (...parts) => path.join(root, ...parts);

/** Packages that are framework or driver: the domain library decides, it does not do I/O or HTTP. */
const FRAMEWORKS_AND_DRIVERS = [
  '@nestjs/*',
  'typeorm',
  'typeorm/*',
  'pg',
  'pg-*',
  '@eventstore/*',
  '@electric-sql/*',
  'express',
  'express-*',
  'pino',
  'pino-*',
  'nestjs-pino',
  'helmet',
  'class-validator',
  'class-transformer',
  'rxjs',
  'rxjs/*',
  'reflect-metadata',
  'jose',
  'ical-generator',
];

/**
 * Features (apps/api/src/features/<name>/) see each other only through `index.ts`, their public surface;
 * the platform (apps/api/src/platform/) is below the features and never imports them.
 * One zone per feature folder, read from disk, so a new feature is covered without touching this file.
 */
function featureZones() {
  const features = at('apps/api/src/features');
  const names = existsSync(features)
    ? readdirSync(features, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
    : [];
  return [
    ...names.map((name) => ({
      target: path.join(features, name),
      from: path.join(features, '**'),
      except: [path.join(features, name, '**'), path.join(features, '*', 'index.ts')],
      message: `A feature imports another feature only through its index.ts (its public surface).`,
    })),
    {
      target: at('apps/api/src/platform'),
      from: features,
      message: 'The platform is below the features: it never imports one (the composition root wires them).',
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'coverage/**', 'node_modules/**'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      // parse imported .ts files too (else no-cycle sees no edges), resolved like tsc (paths, #app/*, .js → .ts)
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: at('tsconfig.json') })],
    },
    rules: {
      // Nest modules are classes that carry only a decorator
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `server.close(() => resolve())` is an idiom, not a confusing use of a void value
      // `const { dropped: _dropped, ...rest } = x` omits a field; a leading underscore says "unused on purpose"
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // a number reads unambiguously in a message (≈ 415 places); undefined, null, any, objects still need String().
      // Every option is spelled out: an options object replaces the strict preset's, unset ones default to true.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      // Nest DTO classes declare a shape for OpenAPI and class-validator; answers are built as object
      // literals of that shape and nothing tests `instanceof` on them, so an object literal is the right value
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: at('libs'),
              from: [at('apps'), at('migrations')],
              message: 'Libraries never import the app or migrations/: the app hands them what they need.',
            },
            ...featureZones(),
          ],
        },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: FRAMEWORKS_AND_DRIVERS,
              message: 'libs/domain is pure: no framework or driver (it decides; the app does I/O and HTTP).',
            },
            {
              regex: '^#app/(?!domain$)',
              message: 'libs/domain depends on no other library.',
            },
          ],
        },
      ],
    },
  },
  {
    // supertest's `res.body` is `any` by design (and so are the JSON bodies the tests type as Record<string, any>);
    // the e2e suites read ~1000 fields of them; every e2e answer
    // is already validated against the served OpenAPI document (test/support/openapi-conformance.ts), so
    // typing each read would repeat that check. The rest of the strict set applies to tests as to code.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/restrict-plus-operands': [
        'error',
        { allowAny: true, allowBoolean: false, allowNullish: false, allowNumberAndString: false, allowRegExp: false },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: true, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
    },
  },
  {
    // test doubles implement the async ports synchronously; `async` keeps their throws rejections, as in the real adapters
    files: ['**/testing/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // the few JavaScript files (configs, the spawned API servers of bench and workload) are outside tsconfig
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
