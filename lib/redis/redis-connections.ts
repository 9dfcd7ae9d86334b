import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import type { RedisClient, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { BoundedRedis } from './bounded-redis';

/** A connection the module opened (and so closes), or the host's (left as it found it). */
interface Connection {
  redis: RedisClient;
  owned: boolean;
}

/** A subscribing connection of the module's own beside the host's client: opened here, so start-up waits for it. */
function duplicateForSubscribing(client: RedisClient): RedisClient {
  // Channels are subscribed again here rather than by ioredis, whose own attempt has no error handler.
  // isCluster rather than instanceof: the host's ioredis may be another copy than the module's.
  if (client.isCluster) return (client as Cluster).duplicate(undefined, { lazyConnect: true });
  return (client as Redis).duplicate({ lazyConnect: true, autoResubscribe: false });
}

/**
 * The module's connections to the Redis of `options.redis`, or none: one for commands (the rate
 * limit counters, publishing) and one for subscribing, which Redis dedicates to pub/sub. From
 * `redis.url` the module opens both, bounded (BoundedRedis); they reconnect by themselves (ioredis
 * retries every 2 s at most) and close when the app shuts down. With `redis.client` the commands go
 * through the host's client, and subscribing through `redis.subscriber` or a duplicate of the
 * client: the module closes only that duplicate.
 */
@Injectable()
export class RedisConnections implements OnModuleInit, OnApplicationShutdown {
  readonly commands: RedisClient | null;
  private readonly subscriber: RedisClient | null;
  private readonly connections: Connection[];
  private readonly channels = new Set<string>();
  private readonly listeners: ((from: string, message: string) => void)[] = [];
  private connecting: Promise<void> | undefined;
  private lastError: unknown;
  private readonly logger = new Logger('DeviceAuthRedis');
  private readonly onReady = (): void => this.resubscribe();

  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {
    const redis = options.redis;
    if (redis === null) {
      this.connections = [];
    } else if ('client' in redis) {
      const subscriber = redis.subscriber ?? duplicateForSubscribing(redis.client);
      this.connections = [
        { redis: redis.client, owned: false },
        { redis: subscriber, owned: redis.subscriber === null },
      ];
    } else {
      this.connections = [
        { redis: new BoundedRedis(redis), owned: true },
        { redis: new BoundedRedis(redis, { autoResubscribe: false }), owned: true },
      ];
    }
    this.commands = this.connections[0]?.redis ?? null;
    this.subscriber = this.connections[1]?.redis ?? null;
    this.subscriber?.on('ready', this.onReady);
    // Without a listener ioredis prints every reconnection failure as an unhandled error event. The
    // host's own connections are the host's to watch.
    for (const { redis: connection } of this.connections.filter(({ owned }) => owned))
      connection.on('error', (error: unknown) => {
        this.lastError = error;
        this.logger.warn(String(error));
      });
  }

  get keyPrefix(): string {
    return this.options.redis?.keyPrefix ?? '';
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  /** Starts delivering the channel's messages to `listener`; resolves once Redis confirmed the subscription. */
  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    if (!this.subscriber) return;
    await this.connect();
    const onMessage = (from: string, message: string): void => {
      if (from === this.keyPrefix + channel) listener(message);
    };
    this.listeners.push(onMessage);
    this.subscriber.on('message', onMessage);
    this.channels.add(this.keyPrefix + channel);
    try {
      await this.subscriber.subscribe(this.keyPrefix + channel);
    } catch (error) {
      throw this.unreachable(error);
    }
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.commands?.publish(this.keyPrefix + channel, message);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.connections.map((connection) => (connection.owned ? this.close(connection.redis) : this.release(connection.redis))),
    );
  }

  /** Every connection ready, once; whoever needs them first (onModuleInit or subscribe) waits for it. */
  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      try {
        await Promise.all(this.connections.map(({ redis }) => this.ready(redis)));
      } catch (error) {
        throw this.unreachable(this.lastError ?? error);
      }
    })();
    return this.connecting;
  }

  /**
   * A connection ready for commands: one not opened yet is opened; one the host is opening is
   * waited for, and start-up fails at its first error, as it does for a URL that cannot be reached.
   */
  private ready(connection: RedisClient): Promise<void> {
    if (connection.status === 'ready') return Promise.resolve();
    if (connection.status === 'wait') return connection.connect();
    if (connection.status === 'end') return Promise.reject(new Error('the connection was closed'));
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        connection.off('ready', onReady).off('error', onError).off('end', onEnd);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = (): void => settle();
      const onError = (error: Error): void => settle(error);
      const onEnd = (): void => settle(new Error('the connection was closed'));
      connection.on('ready', onReady).on('error', onError).on('end', onEnd);
    });
  }

  /** Start-up fails with this; closed connections keep no reconnection timers alive after it. */
  private unreachable(error: unknown): Error {
    for (const { redis, owned } of this.connections) if (owned) redis.disconnect();
    const option = this.options.redis && 'client' in this.options.redis ? 'redis.client' : 'redis.url';
    return new Error(`nest-device-auth: cannot reach the Redis of option "${option}": ${String(error)}`);
  }

  /**
   * After a reconnection: a subscriber without its channels would miss every announcement. Should
   * Redis not answer, the connection is dropped and this runs again on the next one.
   */
  private resubscribe(): void {
    if (!this.subscriber || this.channels.size === 0) return;
    this.subscriber.subscribe(...this.channels).catch((error: unknown) => {
      this.logger.warn(`Could not subscribe to the invalidation channel again after a reconnection: ${String(error)}`);
    });
  }

  /** QUIT lets Redis finish what it was sent; a connection that is down or silent is dropped instead. */
  private async close(connection: RedisClient): Promise<void> {
    if (connection.status === 'ready') {
      try {
        await connection.quit();
        return;
      } catch {
        // Falls through: quitting timed out or the connection dropped meanwhile.
      }
    }
    connection.disconnect();
  }

  /** The host's connection, left as it was found: the module's channels and listeners taken off it, nothing closed. */
  private async release(connection: RedisClient): Promise<void> {
    if (connection !== this.subscriber) return;
    connection.off('ready', this.onReady);
    for (const listener of this.listeners) connection.off('message', listener);
    if (this.channels.size === 0 || connection.status !== 'ready') return;
    try {
      await connection.unsubscribe(...this.channels);
    } catch (error) {
      this.logger.warn(`Could not unsubscribe from the invalidation channel: ${String(error)}`);
    }
  }
}
