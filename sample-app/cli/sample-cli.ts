import { createTerminalPrompt, DeviceAuthSession, LoginRequiredError, TokenStore } from '../../lib/client';

/** Everything the sample CLI needs, so tests can point it at an in-process server and a temp store. */
export interface SampleCliContext {
  issuer: string;
  store: TokenStore;
  environmentToken?: string;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  fetch?: typeof fetch;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export const SAMPLE_CLIENT_ID = 'sample-cli';
const USAGE = 'usage: sample-cli login | whoami | listings | logout';

async function printJson(out: NodeJS.WritableStream, response: Response): Promise<void> {
  const text = await response.text();
  if (!response.ok) throw new Error(`The API answered ${response.status}: ${text}`);
  out.write(JSON.stringify(JSON.parse(text), null, 2) + '\n');
}

/** Runs one command; resolves with the process exit code. */
export async function runSampleCli(command: string | undefined, context: SampleCliContext): Promise<number> {
  const session = new DeviceAuthSession({
    issuer: context.issuer,
    clientId: SAMPLE_CLIENT_ID,
    store: context.store,
    environmentToken: context.environmentToken,
    fetch: context.fetch,
  });
  const { out } = context;
  try {
    switch (command) {
      case 'login': {
        const prompt = createTerminalPrompt({ stream: out, appName: 'Sample CLI' });
        try {
          await session.login({ onPrompt: prompt.onPrompt, signal: context.signal, sleep: context.sleep });
          prompt.finish('✔ Logged in. Your credentials are in ' + context.store.path);
        } catch (error) {
          prompt.finish(`✘ ${(error as Error).message}`);
          return 1;
        }
        return 0;
      }
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
