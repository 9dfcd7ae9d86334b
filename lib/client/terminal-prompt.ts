import qrcode from 'qrcode-terminal';
import type { DevicePrompt } from './device-login';

export interface TerminalPromptOptions {
  /** Where to write; stdout by default. Not a TTY (CI logs, pipes): plain lines, no animation. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Shown in the heading, e.g. "Acme CLI". */
  appName?: string;
  /** Draw `verification_uri_complete` as a QR code (TTY only). Default true. */
  qrCode?: boolean;
}

export interface TerminalPrompt {
  /** Pass as `onPrompt` to `deviceLogin` / `session.login`. */
  onPrompt: (prompt: DevicePrompt) => void;
  /** Stops the countdown and prints the outcome. */
  finish: (message: string) => void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const bold = (text: string): string => `\u001b[1m${text}\u001b[22m`;

function remaining(expiresAt: Date, now: number): string {
  const seconds = Math.max(0, Math.round((expiresAt.getTime() - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function qrCodeOf(text: string): string {
  let drawn = '';
  qrcode.generate(text, { small: true }, (output: string) => (drawn = output));
  return drawn;
}

/**
 * The prompt the reference products ask for: the code large and clear, a QR code of the
 * pre-filled link, a live countdown to expiry and a waiting indicator. Plain text when the
 * stream is not a terminal.
 */
export function createTerminalPrompt(options: TerminalPromptOptions = {}): TerminalPrompt {
  const stream = options.stream ?? process.stdout;
  const interactive = stream.isTTY === true;
  let timer: NodeJS.Timeout | undefined;

  const onPrompt = (prompt: DevicePrompt): void => {
    const title = `${options.appName ?? 'Device'} login`;
    if (!interactive) {
      stream.write(
        `${title}\nOpen ${prompt.verificationUri} and enter the code: ${prompt.userCode}\n` +
          (prompt.verificationUriComplete ? `Or open: ${prompt.verificationUriComplete}\n` : '') +
          `The code expires at ${prompt.expiresAt.toISOString()}. Waiting for approval...\n`,
      );
      return;
    }
    const spaced = prompt.userCode.split('').join(' ');
    const rule = '═'.repeat(Math.max(title.length, spaced.length + 8) + 4);
    stream.write(`\n${rule}\n  ${bold(title)}\n${rule}\n\n  To sign in, open:\n    ${prompt.verificationUri}\n\n  and enter the code:\n\n`);
    stream.write(`    ┏${'━'.repeat(spaced.length + 4)}┓\n    ┃  ${bold(spaced)}  ┃\n    ┗${'━'.repeat(spaced.length + 4)}┛\n\n`);
    if (prompt.verificationUriComplete) {
      stream.write(`  Or open this link, with the code filled in:\n    ${prompt.verificationUriComplete}\n\n`);
      if (options.qrCode !== false)
        stream.write(`  Or scan this QR code:\n\n${qrCodeOf(prompt.verificationUriComplete).replace(/^/gm, '    ')}\n\n`);
    }
    let frame = 0;
    const tick = (): void => {
      stream.write(
        `\r  ${SPINNER[frame++ % SPINNER.length]} Waiting for approval… code expires in ${remaining(prompt.expiresAt, Date.now())} `,
      );
    };
    tick();
    timer = setInterval(tick, 1000);
    timer.unref();
  };

  const finish = (message: string): void => {
    if (timer) clearInterval(timer);
    stream.write(interactive ? `\r\u001b[2K  ${message}\n` : `${message}\n`);
  };

  return { onPrompt, finish };
}
