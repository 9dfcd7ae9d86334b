// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The floor plan of lib/ (docs/project-layout.md), bottom up: a file imports only from its own
 * floor or below, so nothing low ever learns of what stands on it (a controller least of all).
 */
const FLOORS = [
  ['protocol'],
  ['options', 'errors', 'messages', 'events', 'entities', 'clock.ts', 'decorators', 'routed-controllers.ts'],
  ['storage', 'migrations', 'http', 'redis', 'cache', 'limits'],
  ['tokens', 'resource'],
  ['grants', 'clients', 'pages'],
  ['guards'],
  ['oauth', 'authorization', 'verification', 'pats', 'registration', 'leaks', 'oidc', 'filters', 'cleanup'],
  ['device-auth.module.ts', 'device-auth.module-definition.ts', 'resolve-options.ts', 'index.ts'],
];
const inLib = (names) => names.map((name) => `./lib/${name}`);

/** The one arrow still running up: the guards verify PATs with the service that lives beside the PAT controllers. */
const PAT_SERVICES = ['personal-access-tokens.service.ts', 'personal-access-token-use.ts'];

const FLOOR_ZONES = FLOORS.slice(0, -1).flatMap((floor, index) =>
  FLOORS.slice(index + 1)
    .flat()
    .map((above) => ({
      target: inLib(floor),
      from: `./lib/${above}`,
      except: floor.includes('guards') && above === 'pats' ? PAT_SERVICES.map((file) => `./${file}`) : [],
      message: `lib/${floor.join(', lib/')} stand on floor ${index + 1}: import only from that floor or below (docs/project-layout.md).`,
    })),
);

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'data/', 'coverage/', 'bench-results/'] },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    rules: {
      // Nest modules are empty classes carrying a decorator, by design.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `_name` marks a parameter a signature needs but the body does not; `{ omitted, ...rest }` drops a field.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...FLOOR_ZONES,
            // protocol/ is plain TypeScript the CLI kit shares: nothing of the server, no Nest, no TypeORM.
            { target: './lib/protocol', from: './lib', except: ['./protocol'], message: 'lib/protocol/ imports nothing else of lib/.' },
            // The CLI kit ships on its own (nest-device-auth/client): of the server it may use protocol/ alone.
            {
              target: './lib/client',
              from: './lib',
              except: ['./client', './protocol'],
              message: 'lib/client/ imports only lib/protocol/.',
            },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', '@nestjs/typeorm'], message: 'lib/protocol/ and lib/client/ stay free of Nest and TypeORM.' },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/protocol/**', 'lib/client/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  // Formatting is Prettier's: no stylistic rule may disagree with it.
  prettier,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' },
    },
  },
);
