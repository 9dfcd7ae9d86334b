import { TokenStore } from '../../lib/client';
import { runSampleCli } from './sample-cli';

// `npm run cli -- help` lists the commands; it runs against the sample app on SAMPLE_API_URL.
// SAMPLE_TOKEN (e.g. a bpat_… PAT) skips the stored session.
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
