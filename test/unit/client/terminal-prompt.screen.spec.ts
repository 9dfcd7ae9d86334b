import qrcode from 'qrcode-terminal';
import { PassThrough } from 'node:stream';
import { createTerminalPrompt, DevicePrompt, PromptInput, TerminalPromptOptions } from '../../../lib/client';
import { TerminalRecording } from '../../e2e/support/terminal-screen';

// The prompt played into a real terminal emulator (xterm.js) of a given size: what stays on screen
// is what the user can still read while the login waits.

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const CODE = 'BCDF-GHJK';
const prompt: DevicePrompt = {
  userCode: CODE,
  verificationUri: 'http://localhost:3000/oauth/device',
  verificationUriComplete: `http://localhost:3000/oauth/device?user_code=${CODE}`,
  expiresAt: new Date(NOW + 15 * 60_000),
};
const QR_BLOCKS = /[▀▄█]/;

function qrCodeOf(text: string): string[] {
  let drawn = '';
  qrcode.generate(text, { small: true }, (output: string) => (drawn = output));
  return drawn.trimEnd().split('\n');
}

/** A terminal that has been in use: a full screen of earlier output, then npm's lines for `npm run cli -- login`. */
function usedTerminal(columns: number, rows: number): TerminalRecording {
  const terminal = new TerminalRecording(columns, rows);
  terminal.output =
    Array.from({ length: 40 }, (_, index) => `$ earlier command ${index}\n`).join('') +
    '$ npm run cli -- login\n\n> nest-device-auth@0.1.0 cli\n> tsc -b sample-app/tsconfig.json && node build/sample-app/cli/main.js login\n\n';
  return terminal;
}

/** A keyboard on a TTY, as stdin is. */
function keyboard(): PromptInput {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: jest.fn(), unref: jest.fn() });
}

/** Shows `shown` in a `columns`x`rows` terminal and lets the countdown run for `seconds`. */
async function screenAfter(seconds: number, columns: number, rows: number, options: TerminalPromptOptions = {}, shown = prompt) {
  const terminal = usedTerminal(columns, rows);
  const login = createTerminalPrompt({ stream: terminal, input: keyboard(), appName: 'Sample CLI', openBrowser: jest.fn(), ...options });
  login.onPrompt(shown);
  jest.advanceTimersByTime(seconds * 1000);
  jest.useRealTimers(); // xterm.js parses on real timers
  const screen = await terminal.screen();
  login.finish('done');
  return screen;
}

describe('the device prompt on a real terminal screen', () => {
  // Fake timers drive the countdown; xterm.js parses on real ones, after the recording.
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('at 80x24 shows the code, the link with the code filled in, Enter and the countdown, all at once, in 10 rows', async () => {
    const screen = await screenAfter(65, 80, 24);
    expect(screen.rows.some((row) => row.includes(`Your code:  ${CODE}`))).toBe(true);
    expect(screen.lines).toContain(`  Open:       ${prompt.verificationUriComplete}`);
    expect(screen.lines).toContain(`  (or go to ${prompt.verificationUri} and enter the code)`);
    expect(screen.lines).toContain('  Press Enter to open the browser.');
    // The status line is redrawn in place: one line, the time left after 65 s.
    expect(screen.rows.at(-1)).toMatch(/^ {2}\S Waiting for approval… code expires in 13:55$/);
    expect(screen.rows.filter((row) => row.includes('Waiting for approval'))).toHaveLength(1);
    const top = screen.rows.findIndex((row) => row.includes('Sample CLI login'));
    expect(screen.rows.length - top).toBeLessThanOrEqual(10);
    expect(screen.rows.join('\n')).not.toMatch(QR_BLOCKS);
  });

  it('keeps a link longer than the terminal is wide whole on screen, wrapped', async () => {
    const long = `https://auth.example.com/${'very-long-path/'.repeat(8)}device`;
    const shown = { ...prompt, verificationUri: long, verificationUriComplete: `${long}?user_code=${CODE}` };
    const screen = await screenAfter(3, 80, 24, {}, shown);
    expect(screen.lines).toContain(`  Open:       ${long}?user_code=${CODE}`);
    expect(screen.rows.some((row) => row.includes(CODE))).toBe(true);
  });

  it('draws the QR code in a tall terminal, with the code and the link under it', async () => {
    const screen = await screenAfter(5, 80, 40);
    const text = screen.rows.join('\n');
    expect(text).toMatch(QR_BLOCKS);
    expect(screen.rows.some((row) => row.includes(`Your code:  ${CODE}`))).toBe(true);
    expect(screen.lines).toContain(`  Open:       ${prompt.verificationUriComplete}`);
    const lastQrRow = screen.rows.findLastIndex((row) => QR_BLOCKS.test(row));
    const codeRow = screen.rows.findIndex((row) => row.includes(`Your code:  ${CODE}`));
    expect(codeRow).toBeGreaterThan(lastQrRow);
    // The whole prompt fits: its title is still on screen above the QR code.
    expect(screen.rows.findIndex((row) => row.includes('Sample CLI login'))).toBeGreaterThanOrEqual(0);
  });

  it('with the QR code asked for at 80x24, shows all of the QR code with the code, the link and the countdown under it', async () => {
    const screen = await screenAfter(5, 80, 24, { qrCode: true });
    expect(screen.rows.filter((row) => QR_BLOCKS.test(row))).toEqual(
      qrCodeOf(prompt.verificationUriComplete as string).map((row) => `  ${row}`),
    );
    expect(screen.rows.some((row) => row.includes(`Your code:  ${CODE}`))).toBe(true);
    expect(screen.lines).toContain(`  Open:       ${prompt.verificationUriComplete}`);
    expect(screen.rows.at(-1)).toMatch(/code expires in 14:55$/);
  });

  it('leaves the QR code out of a terminal too narrow for it, however tall', async () => {
    const screen = await screenAfter(1, 30, 60);
    expect(screen.rows.join('\n')).not.toMatch(QR_BLOCKS);
    expect(screen.rows.some((row) => row.includes(CODE))).toBe(true);
  });

  it('ends with the outcome in place of the countdown, the code and the link still above it', async () => {
    const terminal = usedTerminal(80, 24);
    const login = createTerminalPrompt({ stream: terminal, input: keyboard(), appName: 'Sample CLI' });
    login.onPrompt(prompt);
    jest.advanceTimersByTime(30_000);
    login.finish('✔ Logged in as alice.');
    jest.useRealTimers();
    const screen = await terminal.screen();
    expect(screen.rows.some((row) => row.includes(`Your code:  ${CODE}`))).toBe(true);
    expect(screen.lines).toContain(`  Open:       ${prompt.verificationUriComplete}`);
    expect(screen.rows.join('\n')).not.toContain('Waiting for approval');
    expect(screen.rows).toContain('  ✔ Logged in as alice.');
  });
});
