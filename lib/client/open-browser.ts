import { spawn } from 'node:child_process';

/** The program that hands a URL to the desktop's default browser. */
function browserCommand(url: string, platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd.exe built-in, and cmd would read the URL's `&` and `%xx` as its own syntax;
  // rundll32 hands the URL over untouched (as Go's pkg/browser does).
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/**
 * Opens `url` in the system browser, detached and silent. Resolves once the program has started;
 * rejects when it cannot start (no xdg-open on a server, a container): the caller has shown the URL
 * for the user to open by hand, and may say so.
 */
export function openSystemBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  const [command, args] = browserCommand(url, platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('spawn', () => resolve());
    child.once('error', reject);
    child.unref();
  });
}
