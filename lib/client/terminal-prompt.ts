import qrcode from 'qrcode-terminal';
import type { DevicePrompt } from './device-login';
import { openSystemBrowser } from './open-browser';

/** What the prompt reads: stdin, or a stand-in for it. */
export type PromptInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown; unref?: () => unknown };

export interface TerminalPromptOptions {
  /** Where to write; stdout by default. Not a TTY (CI logs, pipes): plain lines, no animation, no QR code. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; rows?: number; columns?: number };
  /** Where Enter is read (it opens the browser); stdin by default. Read only when it is a TTY. */
  input?: PromptInput;
  /** Shown in the heading, e.g. "Acme CLI". */
  appName?: string;
  /**
   * A QR code of the link with the code filled in, for signing in on a phone: `true` always,
   * `false` never, `'auto'` (the default) only when the terminal is tall and wide enough to show it
   * with the code and the link under it. The code and the link always end the prompt, so they stay
   * on screen however tall the QR code is.
   */
  qrCode?: boolean | 'auto';
  /** Opens the link when the user presses Enter; the system browser by default (see `loopbackLogin`). */
  openBrowser?: (url: string) => void | Promise<void>;
}

export interface TerminalPrompt {
  /** Pass as `onPrompt` to `deviceLogin` / `session.login`. */
  onPrompt: (prompt: DevicePrompt) => void;
  /** Pass as `onUrl` to `loopbackLogin` / `session.loopbackLogin`: the link to open by hand, and a countdown. */
  onUrl: (url: string, expiresAt: Date) => void;
  /** Stops the countdown, lets go of the keyboard and prints the outcome. */
  finish: (message: string) => void;
}

/** What became of Enter: the browser is starting, has started, or could not be started. */
type BrowserState = 'opening' | 'opened' | 'failed';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const bold = (text: string): string => `\u001b[1m${text}\u001b[22m`;
/** The status line's words before the countdown. */
const BROWSER_STATUS: Record<BrowserState | 'waiting', string> = {
  waiting: 'Waiting for approval…',
  opening: 'Opening the browser…',
  opened: 'Browser opened. Waiting for approval…',
  failed: 'No browser could be opened: open the link above. Waiting…',
};
/** Back to the start of the line and clear it: the status line is redrawn in place. */
const REDRAW = '\r\u001b[2K';
const ENTER = /[\r\n]/;
const CTRL_C = '\u0003';

/** "14:59": what is left, never negative. */
function remaining(expiresAt: Date, now: number): string {
  const seconds = Math.max(0, Math.round((expiresAt.getTime() - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "19:26 (in 15 minutes)": the local time, for a log read later, and how far away it is. */
export function expiryInWords(expiresAt: Date, now: number): string {
  const time = `${String(expiresAt.getHours()).padStart(2, '0')}:${String(expiresAt.getMinutes()).padStart(2, '0')}`;
  const minutes = Math.round((expiresAt.getTime() - now) / 60_000);
  return `${time} (${minutes < 1 ? 'in less than a minute' : minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`})`;
}

function qrCodeOf(text: string): string[] {
  let drawn = '';
  qrcode.generate(text, { small: true }, (output: string) => (drawn = output));
  return drawn.replace(/\n$/, '').split('\n');
}

/** The lines that say what to do: they end every prompt, so they are the last to scroll away. */
function instructions(prompt: DevicePrompt): string[] {
  const link = prompt.verificationUriComplete ?? prompt.verificationUri;
  return [
    `  Your code:  ${bold(prompt.userCode)}`,
    `  Open:       ${link}`,
    prompt.verificationUriComplete ? `  (or go to ${prompt.verificationUri} and enter the code)` : '  and enter the code there.',
  ];
}

/**
 * The device flow's prompt, as `gh auth login` shows it: the code, the link with the code filled in,
 * Enter to open the browser, and a live countdown; it fits an 80x24 terminal. A QR code when asked
 * or when the terminal has room for it. Plain lines with the expiry in local time when the stream
 * is not a terminal.
 */
export function createTerminalPrompt(options: TerminalPromptOptions = {}): TerminalPrompt {
  const stream = options.stream ?? process.stdout;
  const input = options.input ?? process.stdin;
  const interactive = stream.isTTY === true;
  const title = `${options.appName ?? 'Device'} login`;
  let timer: NodeJS.Timeout | undefined;
  let releaseKeyboard: (() => void) | undefined;

  const write = (lines: string[]): void => void stream.write(lines.join('\n') + '\n');

  /** Redraws `status()` with a spinner every second until `finish`; returns the redraw, for a change in between. */
  const animate = (status: () => string): (() => void) => {
    let frame = 0;
    const tick = (): void => {
      if (timer) stream.write(`${REDRAW}  ${SPINNER[frame++ % SPINNER.length]} ${status()}`);
    };
    timer = setInterval(tick, 1000);
    timer.unref();
    tick();
    return tick;
  };

  /**
   * Enter opens `url` and reports how that went; Ctrl-C still interrupts (raw mode turns it into a
   * key). Only a TTY is read. False when there is no keyboard to listen to.
   */
  const listenForEnter = (url: string, report: (browser: BrowserState) => void): boolean => {
    if (input.isTTY !== true || typeof input.setRawMode !== 'function') return false;
    const setRawMode = input.setRawMode.bind(input);
    const onData = (chunk: Buffer | string): void => {
      const keys = chunk.toString();
      if (keys.includes(CTRL_C)) {
        releaseKeyboard?.();
        process.kill(process.pid, 'SIGINT');
      } else if (ENTER.test(keys)) {
        report('opening');
        // Said only while the prompt is up: after finish() the outcome is the last word.
        const settle = (state: BrowserState) => (): void => {
          if (releaseKeyboard) report(state);
        };
        void Promise.resolve()
          .then(() => (options.openBrowser ?? openSystemBrowser)(url))
          .then(settle('opened'), settle('failed'));
      }
    };
    setRawMode(true); // no echo: a typed Enter would otherwise break the status line
    input.on('data', onData);
    input.resume();
    input.unref?.(); // the login's own timers keep the process alive, not the keyboard
    releaseKeyboard = () => {
      input.off('data', onData);
      setRawMode(false);
      input.pause();
      releaseKeyboard = undefined;
    };
    return true;
  };

  const onPrompt = (prompt: DevicePrompt): void => {
    const link = prompt.verificationUriComplete ?? prompt.verificationUri;
    if (!interactive) {
      const enter = listenForEnter(link, (browser) => {
        if (browser !== 'opening') write([browser === 'opened' ? 'Browser opened.' : 'No browser could be opened: open the link above.']);
      });
      write([
        title,
        ...(prompt.verificationUriComplete
          ? [`Open ${prompt.verificationUriComplete}`, `or go to ${prompt.verificationUri} and enter the code: ${prompt.userCode}`]
          : [`Go to ${prompt.verificationUri} and enter the code: ${prompt.userCode}`]),
        ...(enter ? ['Press Enter to open the browser.'] : []),
        `The code expires at ${expiryInWords(prompt.expiresAt, Date.now())}. Waiting for approval...`,
      ]);
      return;
    }
    let browser: BrowserState | undefined;
    let redraw = (): void => undefined;
    const enter = listenForEnter(link, (state) => {
      browser = state;
      redraw();
    });
    const below = [...instructions(prompt), ...(enter ? ['', '  Press Enter to open the browser.'] : [])];
    const qr = prompt.verificationUriComplete ? qrCodeOf(prompt.verificationUriComplete) : [];
    // The title, a blank line and a caption above the QR code; the status line and the shell's next prompt below.
    const tallEnough = 3 + qr.length + below.length + 2 <= (stream.rows ?? 0);
    const wideEnough = Math.max(...qr.map((line) => line.length)) + 2 <= (stream.columns ?? 0);
    const withQr = qr.length > 0 && (options.qrCode === true || ((options.qrCode ?? 'auto') === 'auto' && tallEnough && wideEnough));
    write([
      `  ${bold(title)}`,
      '',
      // Under the QR code, nothing but what is needed: asked for in 80x24, the whole of it still fits above the code.
      ...(withQr
        ? [`  Scan to open the link on your phone, or use the code ${bold(prompt.userCode)} below:`, ...qr.map((line) => `  ${line}`)]
        : []),
      ...below,
    ]);
    redraw = animate(() => `${BROWSER_STATUS[browser ?? 'waiting']} code expires in ${remaining(prompt.expiresAt, Date.now())}`);
  };

  const onUrl = (url: string, expiresAt: Date): void => {
    if (!interactive) {
      write([
        title,
        'Opening your browser. If it does not open, visit:',
        `  ${url}`,
        `Waiting for approval in the browser until ${expiryInWords(expiresAt, Date.now())}...`,
      ]);
      return;
    }
    write([`  ${bold(title)}`, '', '  Opening your browser. If it does not open, visit:', `  ${url}`, '']);
    animate(() => `Waiting for approval in the browser… ${remaining(expiresAt, Date.now())} left`);
  };

  const finish = (message: string): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    releaseKeyboard?.();
    stream.write(interactive ? `${REDRAW}  ${message}\n` : `${message}\n`);
  };

  return { onPrompt, onUrl, finish };
}
