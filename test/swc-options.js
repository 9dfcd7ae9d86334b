// swc compiles TypeScript and the ESM-only dependencies (jose, @nestjs 12) to CommonJS: for Jest, and
// for the sample-app processes the multi-instance suites start (test/e2e/support/instances/).
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};
