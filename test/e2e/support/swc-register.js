// `node --require` hook that lets a child process run the sample app's TypeScript as Jest does:
// swc compiles each .ts file as it is required, with jest.config.js's own settings.
/* eslint-disable @typescript-eslint/no-require-imports -- a --require hook runs before any compiler: plain CommonJS */
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const jestConfig = require('../../../jest.config.js');

const [, swcOptions] = Object.values(jestConfig.transform)[0];

Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
