import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceAuthClientError, defaultCredentialsPath, StoredSession, TokenStore } from '../../../lib/client';

describe('defaultCredentialsPath', () => {
  it('on Linux: $XDG_CONFIG_HOME/<app>/credentials.json', () => {
    expect(defaultCredentialsPath('acme-cli', { XDG_CONFIG_HOME: '/home/ann/.cfg' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.cfg/acme-cli/credentials.json',
    );
  });

  it('on Linux without XDG_CONFIG_HOME (or with it empty or relative, which the XDG spec says to ignore): ~/.config', () => {
    for (const env of [{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: 'relative/config' }]) {
      expect(defaultCredentialsPath('acme-cli', env, 'linux', '/home/ann')).toBe('/home/ann/.config/acme-cli/credentials.json');
    }
  });

  it('on other Unix systems it follows the Linux rules', () => {
    expect(defaultCredentialsPath('acme-cli', {}, 'freebsd', '/home/ann')).toBe('/home/ann/.config/acme-cli/credentials.json');
  });

  it('on macOS: ~/Library/Application Support/<app>, whatever XDG_CONFIG_HOME says', () => {
    expect(defaultCredentialsPath('acme-cli', { XDG_CONFIG_HOME: '/x' }, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/acme-cli/credentials.json',
    );
  });

  it('on Windows: %APPDATA%\\<app>, or AppData\\Roaming under the home folder without it', () => {
    // path.join of the machine running the test: on Windows itself the separators are backslashes.
    expect(defaultCredentialsPath('acme-cli', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      join('C:\\Users\\ann\\AppData\\Roaming', 'acme-cli', 'credentials.json'),
    );
    expect(defaultCredentialsPath('acme-cli', {}, 'win32', 'C:\\Users\\ann')).toBe(
      join('C:\\Users\\ann', 'AppData', 'Roaming', 'acme-cli', 'credentials.json'),
    );
  });

  it('is where a TokenStore with only an appName keeps its file', () => {
    expect(new TokenStore({ appName: 'acme-cli' }).path).toBe(defaultCredentialsPath('acme-cli'));
    expect(() => new TokenStore({})).toThrow(DeviceAuthClientError);
  });
});

describe('TokenStore', () => {
  let dir: string;
  let store: TokenStore;
  const session: StoredSession = {
    issuer: 'https://api.example.com',
    clientId: 'acme-cli',
    accessToken: 'eyJ.access',
    refreshToken: 'brt_refresh',
    scope: 'user:read',
    expiresAt: 1_767_272_400_000,
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'token-store-'));
    store = new TokenStore({ path: join(dir, 'acme-cli', 'credentials.json') });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads null when there is no file, or when the file is not JSON', async () => {
    expect(await store.read()).toBeNull();
    await store.write(session);
    await writeFile(store.path, '{"issuer": "https://api.exa');
    expect(await store.read()).toBeNull();
  });

  it('writes JSON that reads back as written, owner-only (0600 in a 0700 folder) even under umask 0', async () => {
    const previous = process.umask(0);
    try {
      await store.write(session);
    } finally {
      process.umask(previous);
    }
    expect(await store.read()).toEqual(session);
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual(session);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'acme-cli'))).mode & 0o777).toBe(0o700);
  });

  it('closes a folder that already existed with wider access to 0700', async () => {
    await mkdir(join(dir, 'acme-cli'), { mode: 0o755 });
    await chmod(join(dir, 'acme-cli'), 0o755);
    await store.write(session);
    expect((await stat(join(dir, 'acme-cli'))).mode & 0o777).toBe(0o700);
  });

  it('replaces the file atomically: a new inode each time, and no temp file left behind', async () => {
    await store.write(session);
    const before = await stat(store.path);
    await store.write({ ...session, accessToken: 'eyJ.newer' });
    expect((await stat(store.path)).ino).not.toBe(before.ino); // renamed over, not rewritten in place
    expect((await store.read())?.accessToken).toBe('eyJ.newer');
    expect(await readdir(join(dir, 'acme-cli'))).toEqual(['credentials.json']);
  });

  it('never shows a reader half a file while writers race', async () => {
    const big = { ...session, accessToken: 'x'.repeat(2_000_000) };
    await store.write(big);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 15; i++) await store.write({ ...big, expiresAt: i });
      writing = false;
    })();
    const reads: (StoredSession | null)[] = [];
    const reader = (async () => {
      while (writing) reads.push(await store.read());
    })();
    await Promise.all([writer, reader]);
    expect(reads.length).toBeGreaterThan(5);
    // read() turns a torn (unparsable) file into null, so a null here would mean a torn read.
    expect(reads.filter((read) => read === null)).toEqual([]);
    expect(reads.every((read) => read?.accessToken === big.accessToken)).toBe(true);
  });

  it('clear() deletes the file, and does not mind when there is none', async () => {
    await store.write(session);
    await store.clear();
    expect(await store.read()).toBeNull();
    await store.clear();
  });

  describe('withLock', () => {
    it('runs one holder at a time, across separate TokenStore objects on the same file', async () => {
      const other = new TokenStore({ path: store.path });
      let holders = 0;
      let most = 0;
      const order: string[] = [];
      const work = (name: string, store_: TokenStore) =>
        store_.withLock(async () => {
          most = Math.max(most, ++holders);
          order.push(`${name} in`);
          await new Promise((resolve) => setTimeout(resolve, 30));
          order.push(`${name} out`);
          holders--;
          return name;
        });
      expect(await Promise.all([work('a', store), work('b', other), work('c', store)])).toEqual(['a', 'b', 'c']);
      expect(most).toBe(1);
      for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace(' in', ' out'));
      expect(await readdir(join(dir, 'acme-cli'))).toEqual([]);
    });

    it('releases the lock when the work throws', async () => {
      await expect(store.withLock(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await store.withLock(async () => 'next')).toBe('next');
    });

    it('waits for a lock another process holds, and goes ahead once it is released', async () => {
      await store.write(session);
      const lock = `${store.path}.lock`;
      await writeFile(lock, '');
      let ran = false;
      const waiting = store.withLock(async () => (ran = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(ran).toBe(false);
      await rm(lock);
      await waiting;
      expect(ran).toBe(true);
    });

    it('takes over a lock left by a process that died, before the waiter would give up', async () => {
      await store.write(session);
      const lock = `${store.path}.lock`;
      await writeFile(lock, '');
      // Left 9.5 s ago: it turns stale (10 s) half a second from now, well before the wait times out.
      const leftAt = new Date(Date.now() - 9_500);
      await utimes(lock, leftAt, leftAt);
      const started = Date.now();
      expect(await store.withLock(async () => 'ran')).toBe('ran');
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });
});
