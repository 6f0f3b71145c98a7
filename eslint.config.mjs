// ESLint flat config: typescript-eslint's recommended rules on src/, test/, bench/, examples/ and
// scripts/, type-only imports marked as such in src/ (STYLE.md: the runtime import list shows
// the real dependencies), and eslint-config-prettier last so that formatting is prettier's job.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', '.tmp/**', 'test/compat/*/node_modules/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      'no-console': 'error',
      // The api's CommonJS build exports every name through a getter, and TypeScript's output
      // reads \`api_1.name\` at each use: on the per-span path that cost 2 to 5% of a span
      // (issue 17). Values are read once: \`import * as api\`, then \`const { ... } = api\`.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='@opentelemetry/api'][importKind='value'] > ImportSpecifier",
          message: "Read @opentelemetry/api values once: `import * as api from '@opentelemetry/api'`, then `const { name } = api`.",
        },
      ],
    },
  },
  {
    // The layering (docs/architecture.md): only src/otel-sdk/ loads OpenTelemetry SDK packages, and
    // it loads them on first use, so everything else loads with only @opentelemetry/api installed.
    // Type imports count too: they would reach the published .d.ts files.
    files: ['src/**/*.ts'],
    ignores: ['src/otel-sdk/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@opentelemetry/*', '!@opentelemetry/api', '!@opentelemetry/semantic-conventions'],
              message: 'Only src/otel-sdk/ may load OpenTelemetry SDK packages (lazily); use its sdkLine() or packages.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core shim (src/*.ts) depends on @opentelemetry/api and opentracing only.
    files: ['src/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./jaeger/*', './sdk/*', './otel-sdk/*', './propagators/*', './register/*'],
              message: 'The core never imports the entry points built on it.',
            },
            { group: ['@opentelemetry/*', '!@opentelemetry/api'], message: 'The core depends on @opentelemetry/api only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  prettier,
);
