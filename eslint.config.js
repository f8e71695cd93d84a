// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/generated/**', '**/dist/**', '**/node_modules/**', 'examples/**', 'bench/out/**', 'packages/cli/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Do not commit focused tests.' },
        { object: 'it', property: 'skip', message: 'Do not commit skipped tests.' },
        { object: 'test', property: 'only', message: 'Do not commit focused tests.' },
        { object: 'test', property: 'skip', message: 'Do not commit skipped tests.' },
        { object: 'describe', property: 'only', message: 'Do not commit focused tests.' },
        { object: 'describe', property: 'skip', message: 'Do not commit skipped tests.' },
      ],
    },
  },
  {
    files: ['packages/core/src/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
