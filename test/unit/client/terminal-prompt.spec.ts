import qrcode from 'qrcode-terminal';
import { PassThrough, Writable } from 'node:stream';
import { createTerminalPrompt, DevicePrompt, PromptInput } from '../../../lib/client';

/** A fake terminal: every write is kept, in order; `rows`/`columns` as a TTY reports them. */
class FakeStream extends Writable {
  readonly writes: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly rows = 24,
    readonly columns = 80,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.writes.push(chunk.toString());
    done();
  }
  get text(): string {
    return this.writes.join('');
  }
}

/** stdin: a TTY keyboard the test types on, or a pipe. */
function keyboard(isTTY = true) {
  return Object.assign(new PassThrough(), { isTTY, setRawMode: jest.fn(), unref: jest.fn() }) satisfies PromptInput;
}

// Local time, so the expiry reads "19:26" whatever the machine's time zone.
const NOW = new Date(2026, 0, 1, 19, 11, 0).getTime();
const prompt: DevicePrompt = {
  userCode: 'BCDF-GHJK',
  verificationUri: 'https://api.example.com/oauth/device',
  verificationUriComplete: 'https://api.example.com/oauth/device?user_code=BCDF-GHJK',
  expiresAt: new Date(NOW + 15 * 60_000),
};

function qrCodeOf(text: string): string {
  let drawn = '';
  qrcode.generate(text, { small: true }, (output: string) => (drawn = output));
  return drawn;
}
const QR_BLOCKS = /[▀▄█]/;
/** Lets promise callbacks run (the timers, setImmediate included, are fake). */
const settled = async (): Promise<void> => {
  for (let turn = 0; turn < 5; turn++) await Promise.resolve();
};
const indented = (qr: string) => qr.trimEnd().replace(/^/gm, '  ');

describe('createTerminalPrompt', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  describe('when the stream is not a TTY (CI logs, pipes)', () => {
    it('writes plain lines: the link, the page and the code, and the expiry in local time and words; nothing animated', () => {
      const stream = new FakeStream(false);
      const terminal = createTerminalPrompt({ stream, input: keyboard(false), appName: 'Acme CLI' });
      terminal.onPrompt(prompt);
      expect(stream.text).toBe(
        'Acme CLI login\n' +
          'Open https://api.example.com/oauth/device?user_code=BCDF-GHJK\n' +
          'or go to https://api.example.com/oauth/device and enter the code: BCDF-GHJK\n' +
          'The code expires at 19:26 (in 15 minutes). Waiting for approval...\n',
      );
      expect(stream.text).not.toMatch(QR_BLOCKS);
      expect(stream.text).not.toContain('\u001b');
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(5000);
      expect(stream.writes).toHaveLength(1);

      terminal.finish('✔ Logged in');
      expect(stream.writes.at(-1)).toBe('✔ Logged in\n');
    });

    it('says how to enter the code when the server sends no pre-filled link', () => {
      const stream = new FakeStream(false);
      createTerminalPrompt({ stream, input: keyboard(false) }).onPrompt({ ...prompt, verificationUriComplete: undefined });
      expect(stream.text).toBe(
        'Device login\nGo to https://api.example.com/oauth/device and enter the code: BCDF-GHJK\n' +
          'The code expires at 19:26 (in 15 minutes). Waiting for approval...\n',
      );
    });

    it('offers Enter when the keyboard is a terminal though the output is piped', async () => {
      const stream = new FakeStream(false);
      const openBrowser = jest.fn();
      const input = keyboard(true);
      const terminal = createTerminalPrompt({ stream, input, openBrowser });
      terminal.onPrompt(prompt);
      expect(stream.text).toContain('enter the code: BCDF-GHJK\nPress Enter to open the browser.\nThe code expires at 19:26');
      input.write('\r');
      await Promise.resolve();
      expect(openBrowser).toHaveBeenCalledWith(prompt.verificationUriComplete);
      terminal.finish('done');
    });

    it('counts the minutes in words', () => {
      for (const [seconds, words] of [
        [61, 'in 1 minute'],
        [20, 'in less than a minute'],
        [600, 'in 10 minutes'],
      ] as const) {
        const stream = new FakeStream(false);
        createTerminalPrompt({ stream, input: keyboard(false) }).onPrompt({ ...prompt, expiresAt: new Date(NOW + seconds * 1000) });
        expect(stream.text).toContain(`(${words}). Waiting`);
      }
    });
  });

  describe('when the stream is a TTY', () => {
    it('shows the title, the code in bold, the link with the code filled in, the bare page and Enter, in 8 lines', () => {
      const stream = new FakeStream(true);
      createTerminalPrompt({ stream, input: keyboard(), appName: 'Acme CLI' }).onPrompt(prompt);
      expect(stream.writes[0]).toBe(
        '  \u001b[1mAcme CLI login\u001b[22m\n' +
          '\n' +
          '  Your code:  \u001b[1mBCDF-GHJK\u001b[22m\n' +
          '  Open:       https://api.example.com/oauth/device?user_code=BCDF-GHJK\n' +
          '  (or go to https://api.example.com/oauth/device and enter the code)\n' +
          '\n' +
          '  Press Enter to open the browser.\n',
      );
      expect(stream.writes[1]).toBe('\r\u001b[2K  ⠋ Waiting for approval… code expires in 15:00');
    });

    it('without a pre-filled link, points to the page to enter the code on', () => {
      const stream = new FakeStream(true);
      createTerminalPrompt({ stream, input: keyboard() }).onPrompt({ ...prompt, verificationUriComplete: undefined });
      expect(stream.text).toContain('  Open:       https://api.example.com/oauth/device\n  and enter the code there.\n');
      expect(stream.text).not.toMatch(QR_BLOCKS);
    });

    it('draws the QR code of the pre-filled link when the terminal has room for it and the code under it', () => {
      const stream = new FakeStream(true, 40);
      createTerminalPrompt({ stream, input: keyboard() }).onPrompt(prompt);
      const text = stream.text;
      expect(text).toContain(indented(qrCodeOf(prompt.verificationUriComplete as string)));
      expect(text).not.toContain(indented(qrCodeOf(prompt.verificationUri)));
      expect(text.indexOf('Your code:')).toBeGreaterThan(text.lastIndexOf('█'));
    });

    it('leaves the QR code out when the terminal is too short or too narrow, when told to, or with no pre-filled link', () => {
      for (const [stream, options, shown] of [
        [new FakeStream(true, 24, 80), {}, prompt],
        [new FakeStream(true, 60, 30), {}, prompt],
        [new FakeStream(true, 60, 80), { qrCode: false }, prompt],
        [new FakeStream(true, 60, 80), {}, { ...prompt, verificationUriComplete: undefined }],
      ] as const) {
        createTerminalPrompt({ stream, input: keyboard(), ...options }).onPrompt(shown);
        expect(stream.text).toContain('BCDF-GHJK');
        expect(stream.text).not.toMatch(QR_BLOCKS);
        jest.clearAllTimers();
      }
    });

    it('draws the QR code when asked, whatever the size', () => {
      const stream = new FakeStream(true, 24, 80);
      createTerminalPrompt({ stream, input: keyboard(), qrCode: true }).onPrompt(prompt);
      expect(stream.text).toContain(indented(qrCodeOf(prompt.verificationUriComplete as string)));
    });

    it('counts down to the expiry every second with a spinner, and finish() stops it', () => {
      const stream = new FakeStream(true);
      const terminal = createTerminalPrompt({ stream, input: keyboard() });
      terminal.onPrompt(prompt);
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠋ Waiting for approval… code expires in 15:00');
      jest.advanceTimersByTime(1000);
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠙ Waiting for approval… code expires in 14:59');
      jest.advanceTimersByTime(61_000);
      expect(stream.writes.at(-1)).toMatch(/code expires in 13:58$/);
      // Past the expiry it shows 0:00, never a negative time.
      jest.advanceTimersByTime(15 * 60_000);
      expect(stream.writes.at(-1)).toMatch(/code expires in 0:00$/);

      terminal.finish('✔ Logged in');
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ✔ Logged in\n');
      expect(jest.getTimerCount()).toBe(0);
      const written = stream.writes.length;
      jest.advanceTimersByTime(10_000);
      expect(stream.writes).toHaveLength(written);
    });

    it('does not keep the process alive while it waits', () => {
      const unref = jest.fn();
      const setInterval = jest.spyOn(global, 'setInterval').mockReturnValue({ unref } as unknown as NodeJS.Timeout);
      try {
        const input = keyboard();
        createTerminalPrompt({ stream: new FakeStream(true), input }).onPrompt(prompt);
        expect(setInterval).toHaveBeenCalledWith(expect.any(Function), 1000);
        expect(unref).toHaveBeenCalled();
        expect(input.unref).toHaveBeenCalled();
      } finally {
        setInterval.mockRestore();
      }
    });
  });

  describe('Enter', () => {
    it('opens the pre-filled link in the browser, says so on the status line at once, and finish() lets go of the keyboard', async () => {
      const stream = new FakeStream(true);
      const input = keyboard();
      let started = (): void => undefined;
      const openBrowser = jest.fn(() => new Promise<void>((resolve) => (started = resolve)));
      const terminal = createTerminalPrompt({ stream, input, openBrowser });
      terminal.onPrompt(prompt);
      // Raw mode: the key is not echoed, so the status line stays where it is.
      expect(input.setRawMode).toHaveBeenLastCalledWith(true);

      input.write('x');
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠋ Waiting for approval… code expires in 15:00');
      input.write('\r');
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠙ Opening the browser… code expires in 15:00');
      await Promise.resolve();
      expect(openBrowser).toHaveBeenCalledWith(prompt.verificationUriComplete);
      started();
      await settled();
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠹ Browser opened. Waiting for approval… code expires in 15:00');
      jest.advanceTimersByTime(1000);
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠸ Browser opened. Waiting for approval… code expires in 14:59');

      terminal.finish('✔ Logged in');
      expect(input.setRawMode).toHaveBeenLastCalledWith(false);
      expect(input.listenerCount('data')).toBe(0);
      expect(input.isPaused()).toBe(true);
      input.write('\r');
      expect(openBrowser).toHaveBeenCalledTimes(1);
    });

    it('says so when no browser can be opened, and the link is still on screen', async () => {
      const stream = new FakeStream(true);
      const input = keyboard();
      const openBrowser = jest.fn().mockRejectedValue(new Error('spawn xdg-open ENOENT'));
      const terminal = createTerminalPrompt({ stream, input, openBrowser });
      terminal.onPrompt(prompt);
      input.write('\r');
      await settled();
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠹ No browser could be opened: open the link above. Waiting… code expires in 15:00');
      terminal.finish('done');
    });

    it('in plain output, says how opening went on a line of its own, and nothing after finish()', async () => {
      const stream = new FakeStream(false);
      const input = keyboard(true);
      const openBrowser = jest.fn().mockRejectedValueOnce(new Error('no display')).mockResolvedValue(undefined);
      const terminal = createTerminalPrompt({ stream, input, openBrowser });
      terminal.onPrompt(prompt);
      input.write('\r');
      await settled();
      input.write('\r');
      await settled();
      expect(stream.writes.slice(-2)).toEqual(['No browser could be opened: open the link above.\n', 'Browser opened.\n']);
      input.write('\r');
      terminal.finish('✔ Logged in');
      await settled();
      expect(stream.writes.at(-1)).toBe('✔ Logged in\n');
    });

    it('opens the bare page when the server sends no pre-filled link', async () => {
      const input = keyboard();
      const openBrowser = jest.fn();
      createTerminalPrompt({ stream: new FakeStream(true), input, openBrowser }).onPrompt({
        ...prompt,
        verificationUriComplete: undefined,
      });
      input.write('\n');
      await Promise.resolve();
      expect(openBrowser).toHaveBeenCalledWith(prompt.verificationUri);
    });

    it('is not offered, and the keyboard not touched, when stdin is not a terminal', () => {
      const stream = new FakeStream(true);
      const input = keyboard(false);
      createTerminalPrompt({ stream, input, openBrowser: jest.fn() }).onPrompt(prompt);
      expect(stream.text).not.toContain('Press Enter');
      expect(input.setRawMode).not.toHaveBeenCalled();
      expect(input.listenerCount('data')).toBe(0);
    });

    it('Ctrl-C still interrupts: the keyboard is let go and the process gets SIGINT', () => {
      const kill = jest.spyOn(process, 'kill').mockReturnValue(true);
      try {
        const input = keyboard();
        createTerminalPrompt({ stream: new FakeStream(true), input }).onPrompt(prompt);
        input.write('\u0003');
        expect(input.setRawMode).toHaveBeenLastCalledWith(false);
        expect(kill).toHaveBeenCalledWith(process.pid, 'SIGINT');
      } finally {
        kill.mockRestore();
      }
    });
  });

  describe('onUrl (the browser flow)', () => {
    it('on a TTY: the link to open by hand and a countdown to the login’s deadline', () => {
      const stream = new FakeStream(true);
      const terminal = createTerminalPrompt({ stream, input: keyboard(), appName: 'Acme CLI' });
      terminal.onUrl('https://api.example.com/o/authorize/?client_id=acme-cli', new Date(NOW + 5 * 60_000));
      expect(stream.writes[0]).toBe(
        '  \u001b[1mAcme CLI login\u001b[22m\n\n  Opening your browser. If it does not open, visit:\n' +
          '  https://api.example.com/o/authorize/?client_id=acme-cli\n\n',
      );
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠋ Waiting for approval in the browser… 5:00 left');
      jest.advanceTimersByTime(2000);
      expect(stream.writes.at(-1)).toBe('\r\u001b[2K  ⠹ Waiting for approval in the browser… 4:58 left');
      terminal.finish('✔ Logged in');
      expect(jest.getTimerCount()).toBe(0);
    });

    it('not on a TTY: plain lines with the deadline in local time and words', () => {
      const stream = new FakeStream(false);
      createTerminalPrompt({ stream, input: keyboard(false), appName: 'Acme CLI' }).onUrl(
        'https://api.example.com/o/authorize/?client_id=acme-cli',
        new Date(NOW + 5 * 60_000),
      );
      expect(stream.text).toBe(
        'Acme CLI login\nOpening your browser. If it does not open, visit:\n  https://api.example.com/o/authorize/?client_id=acme-cli\n' +
          'Waiting for approval in the browser until 19:16 (in 5 minutes)...\n',
      );
    });
  });

  it('writes to stdout by default', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      createTerminalPrompt().finish('done');
      expect(write).toHaveBeenCalledWith(expect.stringContaining('done'));
    } finally {
      write.mockRestore();
    }
  });
});
