import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load-spec';

type WorkerMessage = { result: LoadResult } | { error: string };

/** Runs one measurement from a second process (load-worker.js) and refuses any answer the spec did not expect. */
export async function runLoad(label: string, spec: LoadSpec): Promise<LoadResult> {
  const worker = fork(join(__dirname, 'load-worker.js'), { stdio: 'inherit' });
  const message = await new Promise<WorkerMessage>((resolve, reject) => {
    worker.once('message', (received: WorkerMessage) => resolve(received));
    worker.once('exit', (code) => reject(new Error(`${label}: the load process exited (${code}) without a result`)));
    worker.send(spec);
  });
  if ('error' in message) throw new Error(`${label}: ${message.error}`);
  const { result } = message;
  const unexpected = Object.entries(result.answers).filter(([kind]) => kind.startsWith('unexpected'));
  if (unexpected.length > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(`${label}: ${result.requests} answers, ${result.errors} connection errors, unexpected: ${JSON.stringify(unexpected)}`);
  }
  return result;
}
