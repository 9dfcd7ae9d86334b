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
 * Opens `url` in the system browser, best effort: detached, silent, and never an error. Where no
 * browser can open (SSH, a container, no xdg-open) the user opens the URL the CLI printed.
 */
export function openSystemBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const [command, args] = browserCommand(url, platform);
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
