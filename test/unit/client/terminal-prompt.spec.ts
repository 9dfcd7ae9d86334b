import qrcode from 'qrcode-terminal';
import { Writable } from 'node:stream';
import { createTerminalPrompt, DevicePrompt } from '../../../lib/client';

/** A fake terminal: every write is kept, in order. */
class FakeStream extends Writable {
  readonly writes: string[] = [];
  constructor(readonly isTTY: boolean) {
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

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
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

describe('createTerminalPrompt', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  describe('when the stream is not a TTY (CI logs, pipes)', () => {
    it('writes plain lines with the code, both links and the expiry, and nothing animated', () => {
      const stream = new FakeStream(false);
      const terminal = createTerminalPrompt({ stream, appName: 'Acme CLI' });
      terminal.onPrompt(prompt);
      expect(stream.text).toBe(
        'Acme CLI login\n' +
          'Open https://api.example.com/oauth/device and enter the code: BCDF-GHJK\n' +
          'Or open: https://api.example.com/oauth/device?user_code=BCDF-GHJK\n' +
          'The code expires at 2026-01-01T12:15:00.000Z. Waiting for approval...\n',
      );
      expect(stream.text).not.toMatch(QR_BLOCKS);
      expect(stream.text).not.toContain('\u001b');
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(5000);
      expect(stream.writes).toHaveLength(1);

      terminal.finish('✔ Logged in');
      expect(stream.writes.at(-1)).toBe('✔ Logged in\n');
    });

    it('leaves out the pre-filled link when the server sends none', () => {
      const stream = new FakeStream(false);
      createTerminalPrompt({ stream }).onPrompt({ ...prompt, verificationUriComplete: undefined });
      expect(stream.text).toContain('Device login\nOpen https://api.example.com/oauth/device and enter the code: BCDF-GHJK\n');
      expect(stream.text).not.toContain('Or open');
    });
  });

  describe('when the stream is a TTY', () => {
    it('shows the code large in a box, both links and a QR code of the pre-filled link', () => {
      const stream = new FakeStream(true);
      createTerminalPrompt({ stream, appName: 'Acme CLI' }).onPrompt(prompt);
      const text = stream.text;
      expect(text).toContain('┃  \u001b[1mB C D F - G H J K\u001b[22m  ┃');
      expect(text).toContain(`┏${'━'.repeat('B C D F - G H J K'.length + 4)}┓`);
      expect(text).toContain('    https://api.example.com/oauth/device\n');
      expect(text).toContain('    https://api.example.com/oauth/device?user_code=BCDF-GHJK\n');
      // The QR code drawn is the one of verification_uri_complete (not of the bare page).
      const indented = (qr: string) => qr.replace(/^/gm, '    ');
      expect(text).toMatch(QR_BLOCKS);
      expect(text).toContain(indented(qrCodeOf(prompt.verificationUriComplete as string)));
      expect(text).not.toContain(indented(qrCodeOf(prompt.verificationUri)));
    });

    it('draws no QR code when asked not to, or when there is no pre-filled link', () => {
      for (const [options, shown] of [
        [{ qrCode: false }, prompt],
        [{}, { ...prompt, verificationUriComplete: undefined }],
      ] as const) {
        const stream = new FakeStream(true);
        createTerminalPrompt({ stream, ...options }).onPrompt(shown);
        expect(stream.text).toContain('B C D F - G H J K');
        expect(stream.text).not.toMatch(QR_BLOCKS);
        jest.clearAllTimers();
      }
    });

    it('counts down to the expiry every second with a spinner, and finish() stops it', () => {
      const stream = new FakeStream(true);
      const terminal = createTerminalPrompt({ stream });
      terminal.onPrompt(prompt);
      expect(stream.writes.at(-1)).toBe('\r  ⠋ Waiting for approval… code expires in 15:00 ');
      jest.advanceTimersByTime(1000);
      expect(stream.writes.at(-1)).toBe('\r  ⠙ Waiting for approval… code expires in 14:59 ');
      jest.advanceTimersByTime(61_000);
      expect(stream.writes.at(-1)).toMatch(/code expires in 13:58 $/);
      // Past the expiry it shows 0:00, never a negative time.
      jest.advanceTimersByTime(15 * 60_000);
      expect(stream.writes.at(-1)).toMatch(/code expires in 0:00 $/);

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
        createTerminalPrompt({ stream: new FakeStream(true) }).onPrompt(prompt);
        expect(setInterval).toHaveBeenCalledWith(expect.any(Function), 1000);
        expect(unref).toHaveBeenCalled();
      } finally {
        setInterval.mockRestore();
      }
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
