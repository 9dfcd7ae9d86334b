import { createTerminalPrompt, DeviceAuthSession, LoginRequiredError, TokenStore } from '../../lib/client';

/** Everything the sample CLI needs, so tests can point it at an in-process server and a temp store. */
export interface SampleCliContext {
  issuer: string;
  store: TokenStore;
  environmentToken?: string;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  fetch?: typeof fetch;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** For `login --browser`: the system browser by default. */
  openBrowser?: (url: string) => void | Promise<void>;
  signal?: AbortSignal;
}

export const SAMPLE_CLIENT_ID = 'sample-cli';
const USAGE = 'usage: sample-cli login [--browser] | whoami | listings | logout';

async function printJson(out: NodeJS.WritableStream, response: Response): Promise<void> {
  const text = await response.text();
  if (!response.ok) throw new Error(`The API answered ${response.status}: ${text}`);
  out.write(JSON.stringify(JSON.parse(text), null, 2) + '\n');
}

/** `login`: the device flow; `login --browser`: the browser on this machine, redirected back to the CLI. Both store the session alike. */
async function login(session: DeviceAuthSession, context: SampleCliContext, inBrowser: boolean): Promise<number> {
  const { out } = context;
  const prompt = createTerminalPrompt({ stream: out, appName: 'Sample CLI' });
  try {
    if (inBrowser) {
      await session.loopbackLogin({
        onUrl: (url) => {
          out.write(
            `Sample CLI login\nOpening your browser. If it does not open, visit:\n  ${url}\nWaiting for approval in the browser...\n`,
          );
        },
        openBrowser: context.openBrowser,
        signal: context.signal,
      });
    } else {
      await session.login({ onPrompt: prompt.onPrompt, signal: context.signal, sleep: context.sleep });
    }
    prompt.finish('✔ Logged in. Your credentials are in ' + context.store.path);
    return 0;
  } catch (error) {
    prompt.finish(`✘ ${(error as Error).message}`);
    return 1;
  }
}

/** Runs one command line (without `node main.js`); resolves with the process exit code. */
export async function runSampleCli(args: readonly string[], context: SampleCliContext): Promise<number> {
  const [command, ...flags] = args;
  const session = new DeviceAuthSession({
    issuer: context.issuer,
    clientId: SAMPLE_CLIENT_ID,
    store: context.store,
    environmentToken: context.environmentToken,
    fetch: context.fetch,
  });
  const { out } = context;
  // Only `login` takes a flag (`--browser`); any other flag gets the usage, like an unknown command.
  const flagsOk = flags.every((flag) => command === 'login' && flag === '--browser');
  try {
    switch (flagsOk ? command : undefined) {
      case 'login':
        return await login(session, context, flags.includes('--browser'));
      case 'whoami':
        await printJson(out, await session.fetch(`${context.issuer}/api/v1/me`));
        return 0;
      case 'listings':
        await printJson(out, await session.fetch(`${context.issuer}/api/v1/listings`));
        return 0;
      case 'logout':
        await session.logout();
        out.write('Logged out: the session was revoked at the server and removed here.\n');
        return 0;
      default:
        out.write(USAGE + '\n');
        return 2;
    }
  } catch (error) {
    if (error instanceof LoginRequiredError) {
      out.write(`${error.message}. Run: npm run cli -- login\n`);
      return 1;
    }
    out.write(`Error: ${(error as Error).message}\n`);
    return 1;
  }
}
