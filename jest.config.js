// Unit specs live beside the code (src/.../*.spec.ts); integration and e2e tests in test/.
// @nestjs/bullmq, @nestjs/schedule, @nestjs/bull-shared, content-disposition (of @fastify/static) and
// openid-client (with its oauth4webapi and jose) ship ESM
// only; Node 20 loads them with require(esm), Jest's module system does not, so Jest transpiles them to
// CommonJS. The pattern looks at the innermost node_modules, so nested copies are transpiled too.
const ESM_PACKAGES = [
  '@nestjs/bullmq',
  '@nestjs/schedule',
  '@nestjs/bull-shared',
  'content-disposition',
  'openid-client',
  'oauth4webapi',
  'jose',
];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: [
    '<rootDir>/src',
    '<rootDir>/test',
    '<rootDir>/agent/src',
    '<rootDir>/agent/test',
    '<rootDir>/packages/protocol/src',
    '<rootDir>/packages/client/src',
    '<rootDir>/cli/src',
    '<rootDir>/scripts',
  ],
  testRegex: '.*\\.(spec|e2e-spec|test)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    '^.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!.*/node_modules/)(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: {
    '^@wgfleet/protocol$': '<rootDir>/packages/protocol/src',
    '^@wgfleet/client$': '<rootDir>/packages/client/src',
  },
  testTimeout: 60000,
};
