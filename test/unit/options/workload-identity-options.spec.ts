import type { DeviceAuthModuleOptions, WorkloadIssuerOptions } from '../../../lib';
import { resolveOptions } from '../../../lib/resolve-options';

const valid: DeviceAuthModuleOptions = {
  issuer: 'https://api.example.com',
  resolveUser: () => null,
  scopes: { 'deploy:write': 'Deploy', 'user:read': 'Read your profile' },
};
const github: WorkloadIssuerOptions = {
  issuer: 'https://token.actions.githubusercontent.com',
  subjects: { 'repo:acme/app:ref:refs/heads/main': { clientId: 'deployer' } },
};
const withIssuer = (entry: Partial<WorkloadIssuerOptions>) =>
  resolveOptions({ ...valid, workloadIdentity: { issuers: [{ ...github, ...entry }] } });

describe('the workloadIdentity option at start-up', () => {
  it('is off unless set, and otherwise trusts each issuer with the documented defaults', () => {
    expect(resolveOptions(valid).workloadIdentity).toBeNull();
    expect(withIssuer({}).workloadIdentity).toEqual({
      issuers: [
        { ...github, audience: 'https://api.example.com', jwksUri: undefined, scopes: ['deploy:write', 'user:read'], preventReplay: true },
      ],
      leewaySeconds: 30,
      timeoutMs: 5000,
    });
  });

  it.each([
    ['no issuers', { ...valid, workloadIdentity: { issuers: [] } }, /"workloadIdentity.issuers" must list at least one trusted issuer/],
    [
      'an issuer twice',
      { ...valid, workloadIdentity: { issuers: [github, github] } },
      /"workloadIdentity.issuers" lists https:\/\/token.actions.githubusercontent.com twice/,
    ],
    ['a negative leeway', { ...valid, workloadIdentity: { issuers: [github], leewaySeconds: -1 } }, /"workloadIdentity.leewaySeconds"/],
  ])('refuses %s, naming the option', (_case, options, message) => {
    expect(() => resolveOptions(options as DeviceAuthModuleOptions)).toThrow(message);
  });

  it.each([
    ['an http issuer off this machine', { issuer: 'http://ci.example.com' }, /"workloadIdentity.issuers\[0\].issuer" must be an https URL/],
    [
      'an http key set off this machine',
      { jwksUri: 'http://ci.example.com/jwks' },
      /"workloadIdentity.issuers\[0\].jwksUri" must be an https URL/,
    ],
    ['no subjects', { subjects: undefined }, /"workloadIdentity.issuers\[0\].subjects" must map subjects/],
    ['a subject mapped to nobody', { subjects: { sub: {} } as never }, /maps "sub" to neither \{ userId \} nor \{ clientId \}/],
    [
      'a scope the server does not have',
      { scopes: ['admin'] },
      /"workloadIdentity.issuers\[0\].scopes" must be a list of scopes from options.scopes/,
    ],
    [
      "a subject's scope the server does not have",
      { subjects: { sub: { userId: 'u1', scopes: ['admin'] } } },
      /"workloadIdentity.issuers\[0\].subjects" must be a list of scopes/,
    ],
    [
      'preventReplay that is not a boolean',
      { preventReplay: 'yes' as never },
      /"workloadIdentity.issuers\[0\].preventReplay" must be true or false/,
    ],
  ])('refuses %s, naming the option', (_case, entry, message) => {
    expect(() => withIssuer(entry as Partial<WorkloadIssuerOptions>)).toThrow(message);
  });

  it('accepts an http issuer on a loopback address (development and tests)', () => {
    expect(withIssuer({ issuer: 'http://127.0.0.1:4010' }).workloadIdentity?.issuers[0].issuer).toBe('http://127.0.0.1:4010');
  });
});

describe('grantTypes, the switch of the built-in grants', () => {
  it('does not switch grants that have options of their own', () => {
    expect(() => resolveOptions({ ...valid, grantTypes: ['urn:ietf:params:oauth:grant-type:jwt-bearer' as never] })).toThrow(
      /"grantTypes" must list grant types among .* \(the others are switched on by their own options\)/,
    );
  });
});
