import { DeviceAuthModuleOptions } from '../../../lib';
import { DeviceAuthOptionsError } from '../../../lib/errors/options.error';
import { resolveOptions } from '../../../lib/resolve-options';
import { describedResource, refuseOtherResource, requestedResource } from '../../../lib/resource/resource-indicator';

const base: DeviceAuthModuleOptions = {
  issuer: 'https://api.example.com',
  resolveUser: () => null,
  scopes: { 'user:read': 'Read your profile' },
};
const options = resolveOptions({ ...base, resources: [{ resource: 'https://api.example.com/mcp', resourceName: 'MCP' }] });

describe('resources (RFC 8707)', () => {
  it('puts accessToken.audience first, then the configured resources with their descriptions', () => {
    expect(options.resources).toEqual([
      { resource: 'https://api.example.com', scopesSupported: ['user:read'], resourceName: undefined },
      { resource: 'https://api.example.com/mcp', scopesSupported: ['user:read'], resourceName: 'MCP' },
    ]);
  });

  it.each([
    ['not a URL', 'mcp'],
    ['plain http on a public host', 'http://api.example.com/mcp'],
    ['a fragment', 'https://api.example.com/mcp#x'],
    ['the default resource again', 'https://api.example.com/'],
  ])('refuses a resource that is %s at start-up', (_case, resource) => {
    expect(() => resolveOptions({ ...base, resources: [{ resource }] })).toThrow(DeviceAuthOptionsError);
  });

  it('refuses two resources described at the same metadata path, but not when nothing is described', () => {
    const twoOrigins = [{ resource: 'https://a.example.com/mcp' }, { resource: 'https://b.example.com/mcp' }];
    expect(() => resolveOptions({ ...base, resources: twoOrigins })).toThrow(/resources\[1\]\.resource/);
    expect(resolveOptions({ ...base, protectedResource: false, resources: twoOrigins }).resources).toHaveLength(3);
  });

  it('maps a requested resource to its configured spelling, and refuses others as invalid_target', () => {
    expect(requestedResource(options, undefined)).toBeNull();
    expect(requestedResource(options, 'https://api.example.com/')).toBe('https://api.example.com');
    expect(() => requestedResource(options, 'https://api.example.com/other')).toThrow(expect.objectContaining({ error: 'invalid_target' }));
  });

  it('lets a token request repeat its grant’s resource, never name another', () => {
    expect(() => refuseOtherResource(options, null, 'https://api.example.com')).not.toThrow();
    expect(() => refuseOtherResource(options, 'https://api.example.com/mcp', undefined)).not.toThrow();
    expect(() => refuseOtherResource(options, null, 'https://api.example.com/mcp')).toThrow(
      expect.objectContaining({ error: 'invalid_target' }),
    );
  });

  it('finds a route’s resource by URL or by path, and names the host’s mistake otherwise', () => {
    expect(describedResource(options, '/mcp').resource).toBe('https://api.example.com/mcp');
    expect(describedResource(options, 'https://api.example.com/mcp').resource).toBe('https://api.example.com/mcp');
    expect(() => describedResource(options, '/elsewhere')).toThrow(/is not a configured resource/);
  });
});
