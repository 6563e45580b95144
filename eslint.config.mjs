import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdk.out/**', '**/*.js', '**/*.mjs', 'test/**/__snapshots__/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-template-curly-in-string': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'eqeqeq': ['error', 'always'],
      'no-console': 'off',
      'max-len': ['error', {
        code: 150, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true,
      }],
      '@typescript-eslint/member-ordering': 'error',
    },
  },
);
