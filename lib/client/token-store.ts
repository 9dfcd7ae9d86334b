import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { DeviceAuthClientError } from './errors';

/** What a CLI keeps between runs. */
export interface StoredSession {
  issuer: string;
  clientId: string;
  accessToken: string;
  refreshToken?: string;
  scope?: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

export interface TokenStoreOptions {
  /** Folder name under the platform's config directory, e.g. `acme-cli`. */
  appName?: string;
  /** A file path instead of the platform default. */
  path?: string;
}

const LOCK_WAIT_MS = 25;
/** A lock older than this was left by a process that died; it is taken over. A refresh is one request. */
const STALE_LOCK_MS = 10_000;
/** Longer than STALE_LOCK_MS, so a waiter behind a dead process's lock takes it over instead of giving up. */
const LOCK_TIMEOUT_MS = 15_000;

/**
 * Where credentials live: `$XDG_CONFIG_HOME/<app>` (if absolute) or `~/.config/<app>` on Linux,
 * `~/Library/Application Support/<app>` on macOS, `%APPDATA%\<app>` on Windows.
 */
export function defaultCredentialsPath(
  appName: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), appName, 'credentials.json');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', appName, 'credentials.json');
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const xdgConfigHome = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  return join(xdgConfigHome ?? join(home, '.config'), appName, 'credentials.json');
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The session as a JSON file readable by its owner only (0600, folder 0700), replaced atomically
 * (temp file + rename) so a reader never sees half a file. `withLock` serialises read-modify-write
 * across processes of the same CLI through a lock file.
 */
export class TokenStore {
  readonly path: string;

  constructor(options: TokenStoreOptions) {
    if (!options.path && !options.appName) throw new DeviceAuthClientError('TokenStore needs an appName or a path');
    this.path = options.path ?? defaultCredentialsPath(options.appName as string);
  }

  async read(): Promise<StoredSession | null> {
    try {
      return JSON.parse(await fs.readFile(this.path, 'utf8')) as StoredSession;
    } catch (error) {
      if (isMissing(error) || error instanceof SyntaxError) return null;
      throw error;
    }
  }

  async write(session: StoredSession): Promise<void> {
    await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await fs.chmod(dirname(this.path), 0o700); // also when the folder already existed with wider access
    const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(session, null, 2) + '\n', 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(temporary, 0o600); // the mode given to open() is filtered by the umask
    await fs.rename(temporary, this.path);
  }

  async clear(): Promise<void> {
    await fs.rm(this.path, { force: true });
  }

  /** Runs `work` while holding the store's lock file, so two processes never refresh at once. */
  async withLock<T>(work: () => Promise<T>): Promise<T> {
    const lock = `${this.path}.lock`;
    await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + LOCK_TIMEOUT_MS;
    for (;;) {
      try {
        await (await fs.open(lock, 'wx', 0o600)).close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (await this.isStale(lock)) await fs.rm(lock, { force: true });
        else if (Date.now() > deadline) throw new DeviceAuthClientError(`Timed out waiting for the lock ${lock}`);
        else await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS));
      }
    }
    try {
      return await work();
    } finally {
      await fs.rm(lock, { force: true });
    }
  }

  private async isStale(lock: string): Promise<boolean> {
    try {
      return Date.now() - (await fs.stat(lock)).mtimeMs > STALE_LOCK_MS;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}
