import Redis, { type Command, type RedisOptions as ConnectionOptions } from 'ioredis';
import type { RedisOptions } from '../options/device-auth-options.interface';

/** ioredis's rejection of a command that `commandTimeout` ended. */
const COMMAND_TIMED_OUT = 'Command timed out';

/**
 * An ioredis connection under which no command outlives `redis.commandTimeoutMs`: a Redis that is
 * away fails a command at once, and one that stops answering fails it within the bound.
 */
export class BoundedRedis extends Redis {
  constructor(redis: Pick<RedisOptions, 'url' | 'connectTimeoutMs' | 'commandTimeoutMs'>, options: ConnectionOptions = {}) {
    super(redis.url, {
      // Opened by the owner, so start-up waits for the first connection and fails without one.
      lazyConnect: true,
      connectTimeout: redis.connectTimeoutMs,
      // Without it a command on a connection that stays open but silent waits forever.
      commandTimeout: redis.commandTimeoutMs,
      // While disconnected a command fails at once instead of queueing until some reconnection.
      enableOfflineQueue: false,
      // A command in flight when its connection drops fails at once too, not replayed later for a
      // request that was already answered.
      maxRetriesPerRequest: 0,
      // A connection being closed that stays silent is destroyed after the same bound (ioredis: 2 s).
      disconnectTimeout: redis.commandTimeoutMs,
      ...options,
    });
  }

  /**
   * A connection that let a command time out is dropped and reopened, rather than trusted until TCP
   * gives up on it (many minutes): meanwhile commands fail at once, and a fresh connection is ready
   * as soon as Redis answers again. (ioredis's own `socketTimeout` does this, but in 5.x its timer
   * outlives the connection and kills the next one: redis/ioredis#2147.)
   */
  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const sent = super.sendCommand(command, stream);
    command.promise.catch((error: unknown) => {
      if (!(error instanceof Error) || error.message !== COMMAND_TIMED_OUT || this.status !== 'ready') return;
      this.disconnect(true);
      // ioredis throws an error event nobody listens to; the owner logs it.
      if (this.listenerCount('error') > 0)
        this.emit('error', new Error(`Redis did not answer within ${this.options.commandTimeout} ms: reconnecting`));
    });
    return sent;
  }
}
