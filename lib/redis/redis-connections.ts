import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';

/**
 * The module's connections to the Redis of `options.redis`, or none: one for commands (the rate
 * limit counters, publishing) and one for subscribing, which Redis dedicates to pub/sub. Both close
 * when the app shuts down.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  readonly commands: Redis | null;
  private readonly subscriber: Redis | null;
  private readonly logger = new Logger('DeviceAuthRedis');

  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {
    const redis = options.redis;
    // A command fails after one reconnection attempt instead of waiting through twenty: a request
    // never hangs on a Redis that is away, and a wrong URL stops start-up within a second or so.
    this.commands = redis && new Redis(redis.url, { maxRetriesPerRequest: 1 });
    this.subscriber = redis && new Redis(redis.url, { maxRetriesPerRequest: 1 });
    // Without a listener ioredis prints every reconnection failure as an unhandled error event.
    for (const connection of [this.commands, this.subscriber]) connection?.on('error', (error) => this.logger.warn(String(error)));
  }

  get keyPrefix(): string {
    return this.options.redis?.keyPrefix ?? '';
  }

  /** Starts delivering the channel's messages to `listener`; resolves once Redis confirmed the subscription. */
  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    if (!this.subscriber) return;
    this.subscriber.on('message', (from: string, message: string) => {
      if (from === this.keyPrefix + channel) listener(message);
    });
    try {
      await this.subscriber.subscribe(this.keyPrefix + channel);
    } catch (error) {
      // Start-up fails here; closed connections keep no reconnection timers alive after it.
      this.commands?.disconnect();
      this.subscriber.disconnect();
      throw new Error(`nest-device-auth: cannot reach the Redis of option "redis.url": ${String(error)}`);
    }
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.commands?.publish(this.keyPrefix + channel, message);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.commands?.quit(), this.subscriber?.quit()]);
  }
}
