import { Terminal } from '@xterm/headless';
import { Writable } from 'node:stream';

/** What a terminal window shows: its rows top to bottom, and the same text with wrapped rows joined back into lines. */
export interface Screen {
  rows: string[];
  lines: string[];
}

/**
 * Plays `output` (escape sequences, `\r` redraws and all) into a real terminal emulator (xterm.js,
 * headless) of the given size, and reads what is on screen at the end, as the user sees it.
 */
export async function screenOf(output: string, size: { columns: number; rows: number }): Promise<Screen> {
  // convertEol: a TTY's output processing (ONLCR) turns "\n" into "\r\n" on its way to the screen.
  const terminal = new Terminal({ cols: size.columns, rows: size.rows, convertEol: true, allowProposedApi: true });
  try {
    await new Promise<void>((resolve) => terminal.write(output, resolve));
    const buffer = terminal.buffer.active;
    const rows: string[] = [];
    const lines: string[] = [];
    for (let y = buffer.viewportY; y < buffer.viewportY + size.rows; y++) {
      const line = buffer.getLine(y);
      const text = line?.translateToString(true) ?? '';
      rows.push(text);
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return { rows, lines };
  } finally {
    terminal.dispose();
  }
}

/** A TTY of a fixed size, as the prompt sees stdout: it keeps every byte written, for `screenOf`. */
export class TerminalRecording extends Writable {
  readonly isTTY = true;
  output = '';

  constructor(
    readonly columns = 80,
    readonly rows = 24,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.output += chunk.toString();
    done();
  }

  /** The screen now. */
  screen(): Promise<Screen> {
    return screenOf(this.output, { columns: this.columns, rows: this.rows });
  }
}
