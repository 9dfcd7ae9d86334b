import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { BoundedRedis } from './bounded-redis';

/**
 * The module's connections to the Redis of `options.redis`, or none: one for commands (the rate
 * limit counters, publishing) and one for subscribing, which Redis dedicates to pub/sub. Both
 * reconnect by themselves (ioredis retries every 2 s at most) and close when the app shuts down.
 */
@Injectable()
export class RedisConnections implements OnModuleInit, OnApplicationShutdown {
  readonly commands: Redis | null;
  private readonly subscriber: Redis | null;
  private readonly channels = new Set<string>();
  private connecting: Promise<void> | undefined;
  private lastError: unknown;
  private readonly logger = new Logger('DeviceAuthRedis');

  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {
    const redis = options.redis;
    this.commands = redis && new BoundedRedis(redis);
    // Channels are subscribed again here rather than by ioredis, whose own attempt has no error handler.
    this.subscriber = redis && new BoundedRedis(redis, { autoResubscribe: false });
    this.subscriber?.on('ready', () => this.resubscribe());
    // Without a listener ioredis prints every reconnection failure as an unhandled error event.
    for (const connection of [this.commands, this.subscriber])
      connection?.on('error', (error) => {
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
    this.subscriber.on('message', (from: string, message: string) => {
      if (from === this.keyPrefix + channel) listener(message);
    });
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
    await Promise.all([this.commands, this.subscriber].map((connection) => connection && this.close(connection)));
  }

  /** Both connections ready, once; whoever needs them first (onModuleInit or subscribe) waits for it. */
  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      try {
        await Promise.all([this.commands?.connect(), this.subscriber?.connect()]);
      } catch (error) {
        throw this.unreachable(this.lastError ?? error);
      }
    })();
    return this.connecting;
  }

  /** Start-up fails with this; closed connections keep no reconnection timers alive after it. */
  private unreachable(error: unknown): Error {
    this.commands?.disconnect();
    this.subscriber?.disconnect();
    return new Error(`nest-device-auth: cannot reach the Redis of option "redis.url": ${String(error)}`);
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
  private async close(connection: Redis): Promise<void> {
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
}
