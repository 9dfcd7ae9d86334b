import { createTerminalPrompt, DeviceAuthSession, LoginRequiredError, PromptInput, TokenStore } from '../../lib/client';

/** Everything the sample CLI needs, so tests can point it at an in-process server and a temp store. */
export interface SampleCliContext {
  issuer: string;
  store: TokenStore;
  environmentToken?: string;
  out: NodeJS.WritableStream & { isTTY?: boolean; rows?: number; columns?: number };
  /** Where `login` reads Enter (to open the browser); stdin by default. */
  input?: PromptInput;
  fetch?: typeof fetch;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** For `login --browser`, and Enter during `login`: the system browser by default. */
  openBrowser?: (url: string) => void | Promise<void>;
  signal?: AbortSignal;
}

export const SAMPLE_CLIENT_ID = 'sample-cli';
/** Sent in every request's User-Agent, so the approval page names this program. */
export const SAMPLE_CLI_PRODUCT = 'sample-cli/1.0.0';
/** What the commands use: `whoami` reads the profile, `listings` the listings. `--scope` asks for more. */
export const SAMPLE_CLI_SCOPES = ['user:read', 'listings:read'];

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  login             Sign in: approve a code in any browser, on any device
  login --browser   Sign in with the browser on this machine
  whoami            Show who you are signed in as
  listings          Print your listings
  logout            Sign out: end the session at the server and here
  help              Show this help (also -h, --help)

Options for login:
  --scope SCOPE     Ask for SCOPE too (repeatable), e.g. --scope listings:write
  --qr              Show a QR code of the sign-in link, to sign in on a phone

login asks for ${SAMPLE_CLI_SCOPES.join(' and ')}: what whoami and listings use.

Environment:
  SAMPLE_API_URL    The server (default http://localhost:3000)
  SAMPLE_TOKEN      A token to use instead of the stored session (e.g. a bpat_… PAT)
`;

interface LoginFlags {
  browser: boolean;
  qrCode: boolean;
  scopes: string[];
}

type Command = 'login' | 'whoami' | 'listings' | 'logout';
const COMMANDS: readonly string[] = ['login', 'whoami', 'listings', 'logout'] satisfies Command[];

/** The command line understood, a request for help, or what is wrong with it. */
type CommandLine = { command: Command; login: LoginFlags } | { help: true } | { mistake: string };

function parse(args: readonly string[]): CommandLine {
  const [command, ...flags] = args;
  if (command === 'help' || args.includes('--help') || args.includes('-h')) return { help: true };
  if (command === undefined) return { mistake: 'No command given.' };
  if (!COMMANDS.includes(command)) return { mistake: `Unknown command: ${command}` };
  const login: LoginFlags = { browser: false, qrCode: false, scopes: [...SAMPLE_CLI_SCOPES] };
  for (let index = 0; index < flags.length; index++) {
    const flag = flags[index];
    if (command !== 'login') return { mistake: `${command} takes no options: ${flag}` };
    if (flag === '--browser') login.browser = true;
    else if (flag === '--qr') login.qrCode = true;
    else if (flag.startsWith('--scope=')) login.scopes.push(...flag.slice('--scope='.length).split(/[\s,]+/));
    else if (flag !== '--scope') return { mistake: `Unknown option: ${flag}` };
    else if (index + 1 === flags.length) return { mistake: '--scope needs a scope, e.g. --scope listings:write' };
    else login.scopes.push(...flags[++index].split(/[\s,]+/));
  }
  login.scopes = [...new Set(login.scopes.filter(Boolean))];
  return { command: command as Command, login };
}

async function printJson(out: NodeJS.WritableStream, response: Response): Promise<void> {
  const text = await response.text();
  if (!response.ok) throw new Error(`The API answered ${response.status}: ${text}`);
  out.write(JSON.stringify(JSON.parse(text), null, 2) + '\n');
}

/** Who the new session speaks for, from the API; undefined if it cannot say (the login worked all the same). */
async function signedInUser(session: DeviceAuthSession, issuer: string): Promise<string | undefined> {
  try {
    const response = await session.fetch(`${issuer}/api/v1/me`);
    return response.ok ? ((await response.json()) as { username?: string }).username : undefined;
  } catch {
    return undefined;
  }
}

/** `login`: the device flow; `login --browser`: the browser on this machine, redirected back to the CLI. Both store the session alike. */
async function login(session: DeviceAuthSession, context: SampleCliContext, flags: LoginFlags): Promise<number> {
  const { out } = context;
  const prompt = createTerminalPrompt({
    stream: out,
    input: context.input,
    appName: 'Sample CLI',
    qrCode: flags.qrCode || 'auto',
    openBrowser: context.openBrowser,
  });
  const scope = flags.scopes.join(' ');
  let stored;
  try {
    stored = flags.browser
      ? await session.loopbackLogin({ scope, onUrl: prompt.onUrl, openBrowser: context.openBrowser, signal: context.signal })
      : await session.login({ scope, onPrompt: prompt.onPrompt, signal: context.signal, sleep: context.sleep });
  } catch (error) {
    prompt.finish(`✘ ${(error as Error).message}`);
    return 1;
  }
  const user = await signedInUser(session, context.issuer);
  prompt.finish(user ? `✔ Logged in as ${user}.` : '✔ Logged in.');
  out.write(`  Access: ${stored.scope ?? scope}\n  Your credentials are in ${context.store.path}\n`);
  return 0;
}

async function logout(session: DeviceAuthSession, out: NodeJS.WritableStream): Promise<number> {
  let outcome;
  try {
    outcome = await session.logout();
  } catch (error) {
    out.write(`Error: ${(error as Error).message}\nThe session was removed here, but the server could not be asked to end it.\n`);
    return 1;
  }
  if (outcome === 'none') out.write('Not logged in: nothing to do.\n');
  else if (outcome === 'revoked') out.write('Logged out: the session was revoked at the server and removed here.\n');
  else out.write('Logged out: the session was removed here (the server was not asked to revoke it).\n');
  return 0;
}

/** Runs one command line (without `node main.js`); resolves with the process exit code. */
export async function runSampleCli(args: readonly string[], context: SampleCliContext): Promise<number> {
  const { out } = context;
  const line = parse(args);
  if ('help' in line) {
    out.write(USAGE);
    return 0;
  }
  if ('mistake' in line) {
    out.write(`${line.mistake}\n\n${USAGE}`);
    return 2;
  }
  const session = new DeviceAuthSession({
    issuer: context.issuer,
    clientId: SAMPLE_CLIENT_ID,
    store: context.store,
    environmentToken: context.environmentToken,
    userAgent: SAMPLE_CLI_PRODUCT,
    fetch: context.fetch,
  });
  try {
    switch (line.command) {
      case 'login':
        return await login(session, context, line.login);
      case 'whoami':
        await printJson(out, await session.fetch(`${context.issuer}/api/v1/me`));
        return 0;
      case 'listings':
        await printJson(out, await session.fetch(`${context.issuer}/api/v1/listings`));
        return 0;
      case 'logout':
        return await logout(session, out);
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
