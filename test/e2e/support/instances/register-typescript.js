// `node -r ./register-typescript.js entry.ts`: compiles the sample app's TypeScript on load with
// the transform Jest uses, so a test can start it as a real process without building it first.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const swcOptions = require('../../../swc-options');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
