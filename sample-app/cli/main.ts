import { TokenStore } from '../../lib/client';
import { runSampleCli } from './sample-cli';

// `npm run cli -- login [--browser] | whoami | listings | logout` against the running sample app.
// SAMPLE_API_URL picks the server; SAMPLE_TOKEN (e.g. a bpat_… PAT) skips the stored session.
const issuer = (process.env.SAMPLE_API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const args = process.argv.slice(2);
const controller = new AbortController();
// Ctrl-C during a login stops it cleanly (polling, or the browser listener); other commands keep Node's default.
if (args[0] === 'login') process.once('SIGINT', () => controller.abort());

runSampleCli(args, {
  issuer,
  store: new TokenStore({ appName: 'nest-device-auth-sample' }),
  environmentToken: process.env.SAMPLE_TOKEN || undefined,
  out: process.stdout,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
