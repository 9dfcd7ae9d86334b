const swc = require('./test/swc-options');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@nestjs|openid-client|oauth4webapi)/)'],
  globalSetup: '<rootDir>/test/e2e/support/announce-database.js',
};
