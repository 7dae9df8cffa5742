// ESLint flat config: `npm run -s lint` (eslint .).
// typescript-eslint's `recommended` (syntax only, not type-checked: a full run stays fast) plus the
// few rules the codebase agreed on. Formatting is Prettier's job (.prettierrc.json), except the
// 120-character line limit, which Prettier cannot enforce on long strings and comments.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Everything that is not our own source: build output, data, generated reports.
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'dist-bench/**',
      'dist-web/**',
      'coverage/**',
      'data/**',
      'test-results/**',
      'web/public/**',
      // Tool configs at the root (jest.config.js, this file) and the Vite config are not linted.
      '*.{js,cjs,mjs}',
      'web/*.{js,mjs,mts}',
    ],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The limit: no line over 120 characters, strings and template literals included
      // (a long message is split with +); only URLs and regular-expression literals may run over.
      'max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignoreStrings: false,
          ignoreTemplateLiterals: false,
        },
      ],
      // `as never` silences the type checker instead of stating a type: say what the value is.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSAsExpression > TSNeverKeyword.typeAnnotation',
          message: '`as never` hides a type error; cast to the real type (or fix the types).',
        },
      ],
      // `_`-prefixed names are deliberately unused (positional parameters, destructured leftovers).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Tests read loosely typed JSON answers (`body: any` in the harness) and build hostile input.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // An HTTP answer's body is JSON of whichever shape the test is about.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
