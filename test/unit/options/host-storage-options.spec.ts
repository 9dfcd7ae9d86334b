import Redis from 'ioredis';
import { DeviceAuthModuleOptions } from '../../../lib';
import { resolveOptions } from '../../../lib/resolve-options';

const valid: DeviceAuthModuleOptions = { issuer: 'https://api.example.com', resolveUser: () => null };

/** Never connects: the options only look at what it is. */
const idleClient = () => new Redis({ lazyConnect: true });

describe('the options that bring the host’s own storage, Redis and rate-limit key', () => {
  it('take an ioredis client instead of a URL, with the default key prefix and no bounds of their own', () => {
    const client = idleClient();
    const subscriber = idleClient();
    expect(resolveOptions({ ...valid, redis: { client } }).redis).toEqual({ client, subscriber: null, keyPrefix: 'nest-device-auth:' });
    expect(resolveOptions({ ...valid, redis: { client, subscriber, keyPrefix: 'app:' } }).redis).toEqual({
      client,
      subscriber,
      keyPrefix: 'app:',
    });
  });

  it.each([
    ['a URL and a client', { url: 'redis://127.0.0.1:6379', client: idleClient() }, /"redis.url" applies to connections the module opens/],
    [
      'bounds for a client',
      { client: idleClient(), commandTimeoutMs: 100 },
      /"redis.commandTimeoutMs" applies to connections the module opens/,
    ],
    ['a connect bound for a client', { client: idleClient(), connectTimeoutMs: 100 }, /"redis.connectTimeoutMs" applies/],
    ['a client that is no ioredis client', { client: { get: () => null } }, /"redis.client" must be an ioredis client or Cluster/],
    [
      'a subscriber without a client',
      { url: 'redis://127.0.0.1:6379', subscriber: idleClient() },
      /"redis.subscriber" goes with redis.client/,
    ],
    ['neither a URL nor a client', {}, /"redis.url" must be a redis:\/\/ or rediss:\/\/ URL \(or give an ioredis client as redis.client\)/],
  ])('refuse %s, naming the option', (_, redis, message) => {
    expect(() => resolveOptions({ ...valid, redis } as DeviceAuthModuleOptions)).toThrow(message);
  });

  it('refuse the client itself as its subscriber: a subscribed connection runs no other command', () => {
    const client = idleClient();
    expect(() => resolveOptions({ ...valid, redis: { client, subscriber: client } })).toThrow(
      /"redis.subscriber" must be a connection of its own/,
    );
  });

  it('refuse a dataSource returned from forRootAsync’s factory, which comes too late to bind the tables', () => {
    expect(() => resolveOptions({ ...valid, dataSource: 'auth' })).toThrow(
      /"dataSource" is read when the module is defined: pass it to forRootAsync beside useFactory/,
    );
  });

  it('take the stores to replace as an object, and refuse anything else', () => {
    expect(resolveOptions(valid).storage).toEqual({});
    expect(() => resolveOptions({ ...valid, storage: 'memory' } as unknown as DeviceAuthModuleOptions)).toThrow(
      /"storage" must be an object of stores by name/,
    );
  });

  it('take a rateLimitKey function, and refuse anything else', () => {
    const rateLimitKey = () => 'everyone';
    expect(resolveOptions(valid).rateLimitKey).toBeNull();
    expect(resolveOptions({ ...valid, rateLimitKey }).rateLimitKey).toBe(rateLimitKey);
    expect(() => resolveOptions({ ...valid, rateLimitKey: 'x-forwarded-for' } as unknown as DeviceAuthModuleOptions)).toThrow(
      /"rateLimitKey" is required and must be a function/,
    );
  });
});
