import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import { openSystemBrowser } from '../../../lib/client/open-browser';

jest.mock('node:child_process', () => ({ spawn: jest.fn() }));

/** A spawned process as far as openSystemBrowser uses it. */
class FakeChild extends EventEmitter {
  unref = jest.fn();
}

const URL_WITH_QUERY = 'http://localhost:3000/o/authorize/?response_type=code&client_id=acme-cli&scope=user%3Aread';

describe('openSystemBrowser', () => {
  let child: FakeChild;
  beforeEach(() => {
    child = new FakeChild();
    jest
      .mocked(spawn)
      .mockReset()
      .mockReturnValue(child as never);
  });

  it.each([
    ['linux', 'xdg-open', [URL_WITH_QUERY]],
    ['freebsd', 'xdg-open', [URL_WITH_QUERY]],
    ['darwin', 'open', [URL_WITH_QUERY]],
    // Not cmd's `start`: cmd would cut the URL at its first `&`.
    ['win32', 'rundll32', ['url.dll,FileProtocolHandler', URL_WITH_QUERY]],
  ] as const)('on %s hands the whole URL to %s, detached and silent, without keeping the CLI alive', (platform, command, args) => {
    const opening = openSystemBrowser(URL_WITH_QUERY, platform);
    expect(spawn).toHaveBeenCalledWith(command, args, { detached: true, stdio: 'ignore' });
    expect(child.unref).toHaveBeenCalled();
    child.emit('spawn');
    return expect(opening).resolves.toBeUndefined();
  });

  it('rejects when no browser can be started (no xdg-open on a server), so the caller can say to open the URL by hand', async () => {
    const opening = openSystemBrowser(URL_WITH_QUERY, 'linux');
    const enoent = Object.assign(new Error('spawn xdg-open ENOENT'), { code: 'ENOENT' });
    child.emit('error', enoent);
    await expect(opening).rejects.toBe(enoent);
  });
});
