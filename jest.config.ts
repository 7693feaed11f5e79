import type { Config } from 'jest';

// swc strips types and keeps decorator metadata (Nest's dependency injection needs it);
// type errors are caught by the type-check step of `npm test`, not here.
const transform: Config['transform'] = {
  '^.+\\.tsx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const shared = { '^@chaincard/shared$': '<rootDir>/../../packages/shared/src/index.ts' };
// The API's tests start the WeChat simulator from its sources (production code never imports it).
const apiModules = { ...shared, '^@chaincard/wechat-sim$': '<rootDir>/../../packages/wechat-sim/src/index.ts' };

const config: Config = {
  // Two cores: one worker per core. Every API test file gets its own database.
  maxWorkers: 2,
  testTimeout: 120_000,
  projects: [
    {
      displayName: 'shared',
      rootDir: 'packages/shared',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'wechat-sim',
      rootDir: 'packages/wechat-sim',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'api-unit',
      rootDir: 'apps/api',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
      transform,
      moduleNameMapper: apiModules,
    },
    {
      displayName: 'api',
      rootDir: 'apps/api',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts', '<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper: apiModules,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // The member app's H5 build in Chromium against the real API (npm test builds it first).
      displayName: 'member',
      rootDir: 'apps/member',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/src/**/*.spec.ts'],
      transform,
      moduleNameMapper: shared,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};

export default config;
