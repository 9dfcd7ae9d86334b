import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisConnections } from '../redis/redis-connections';

/** What changed: a revoked grant or PAT (by id), or a registered client (by client id). */
export type Invalidation = 'grant-revoked' | 'personal-access-token-revoked' | 'client-changed';

const TOPICS: readonly string[] = ['grant-revoked', 'personal-access-token-revoked', 'client-changed'] satisfies Invalidation[];
const CHANNEL = 'cache-invalidation';

interface Announcement {
  origin: string;
  topic: Invalidation;
  key: string;
}

function parseAnnouncement(message: string): Announcement | null {
  try {
    const parsed = JSON.parse(message) as Partial<Announcement>;
    const valid = typeof parsed.origin === 'string' && typeof parsed.key === 'string' && TOPICS.includes(parsed.topic as string);
    return valid ? (parsed as Announcement) : null;
  } catch {
    return null;
  }
}

/**
 * The one way a change reaches the caches of the guard's hot path (revocations, verified PATs,
 * clients): in this instance at once, and with Redis in every other instance through pub/sub,
 * within the time a message takes. Without Redis, other instances see it when their entry goes stale.
 */
@Injectable()
export class CacheInvalidation implements OnModuleInit {
  private readonly handlers = new Map<Invalidation, ((key: string) => void)[]>();
  /** This instance's own announcements come back from Redis; they were applied already. */
  private readonly origin = randomUUID();
  private readonly logger = new Logger('DeviceAuthCacheInvalidation');

  constructor(private readonly redis: RedisConnections) {}

  async onModuleInit(): Promise<void> {
    await this.redis.subscribe(CHANNEL, (message) => {
      const announcement = parseAnnouncement(message);
      if (announcement && announcement.origin !== this.origin) this.apply(announcement.topic, announcement.key);
    });
  }

  /** Registers a cache's reaction to a topic. */
  on(topic: Invalidation, handler: (key: string) => void): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  /** Applies the change here, then tells the other instances. The change itself is already stored, so a lost message only delays them. */
  async announce(topic: Invalidation, key: string): Promise<void> {
    this.apply(topic, key);
    try {
      await this.redis.publish(CHANNEL, JSON.stringify({ origin: this.origin, topic, key } satisfies Announcement));
    } catch (error) {
      this.logger.warn(`Could not tell other instances about a change (${topic}); they see it within their cache time: ${String(error)}`);
    }
  }

  private apply(topic: Invalidation, key: string): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(key);
  }
}
