// ESLint flat config: the house rules of README "Development" as checks, run by `npm run lint`
// and by `npm test`. Type-aware: typescript-eslint reads the types through tsconfig.json
// (https://typescript-eslint.io/getting-started/typed-linting). Formatting is Prettier's job
// (.prettierrc.json), so no rule here is about layout.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // test/fixtures holds copies of hosts' files (and symlinks such as proc/<pid>/cwd -> /).
    ignores: ['dist/', 'out/', 'node_modules/', 'test/fixtures/', 'packaging/'],
  },
  {
    linterOptions: {
      // A disable comment that no longer suppresses anything is an error, so exceptions cannot outlive their reason.
      reportUnusedDisableDirectives: 'error',
      reportUnusedInlineConfigs: 'error',
    },
  },
  js.configs.recommended,
  comments.recommended,
  {
    rules: {
      // Every exception says why: `// eslint-disable-next-line rule -- reason`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `import type` for what is only a type, written inline as the tree does (`import { x, type Y }`);
      // tsconfig's verbatimModuleSyntax then keeps the emitted imports exactly as written.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // node:test's describe/it/test return promises the runner itself awaits and reports
      // (https://nodejs.org/api/test.html#describename-options-fn); every other promise must be handled.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
      // Numbers and booleans print as themselves in messages; undefined, null, objects and
      // arrays do not, and one of them in a finding's message is a bug.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowBoolean: true,
          allowAny: false,
          allowNullish: false,
          allowRegExp: false,
          allowNever: false,
        },
      ],
      // `(x) => assert.equal(...)` and `() => resolve()` are the tree's one-line callbacks; a
      // void value returned from a block body is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // tsconfig has noUncheckedIndexedAccess, so `lines[0]!`, `match[1]!` state "a length check
      // or the regex guarantees it" where the compiler cannot see it; that is the tree's idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A leading underscore names a value that is deliberately dropped, as tsc's noUnusedParameters
      // allows: `const { NO_COLOR: _dropped, ...env } = process.env` removes a key.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // A switch over a union (statuses, levels, components) names every member or has a default.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `x == null` is the one loose comparison: it means null or undefined (a report field may be either).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // A fastify plugin is either an async function or one that calls `done` (FastifyPluginAsync and
    // FastifyPluginCallback in fastify/fastify:types/plugin.d.ts); the routes are async plugins even
    // when their body awaits nothing.
    files: ['src/server/routes/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // An assertion message shows the value as it was, `exit null` (killed by a signal) and
    // `matching /re/` included: that is what the reader of a failed test needs.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowBoolean: true,
          allowAny: false,
          allowNullish: true,
          allowRegExp: true,
          allowNever: false,
        },
      ],
    },
  },
  {
    // This file and other plain JavaScript: not in tsconfig.json, so no type information.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
