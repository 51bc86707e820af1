// Lint: TypeScript's recommended rules, plus the determinism rule of DESIGN §6:
// nothing inside sim/ (except the CLI) may read the wall clock or unseeded randomness.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const wallClockAndRandomness = {
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use a seeded stream from sim/engine/random (determinism).' },
    { object: 'Date', property: 'now', message: 'Simulated time only: use the simulator clock.' },
    { object: 'performance', property: 'now', message: 'Simulated time only: use the simulator clock.' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'Date', message: 'Simulated time only: use the simulator clock.' },
    { name: 'setTimeout', message: 'Schedule simulated events on the simulator instead.' },
    { name: 'setInterval', message: 'Schedule simulated events on the simulator instead.' },
    { name: 'setImmediate', message: 'Schedule simulated events on the simulator instead.' },
    { name: 'performance', message: 'Simulated time only: use the simulator clock.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-artifacts/**', 'viz/page/**/*.js', 'scratch/**', 'faultline-out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['sim/**/*.ts'],
    ignores: ['sim/cli/**'],
    rules: wallClockAndRandomness,
  },
);
