import { createPublicKey } from 'node:crypto';
import { systemClock } from '../clock';
import { DEFAULT_GRANT_TYPES, GrantType } from '../protocol/grant-types';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import {
  DEFAULT_ACCESS_TOKEN,
  DEFAULT_AUTHORIZATION_CODE,
  DEFAULT_CLEANUP,
  DEFAULT_CLIENT_ID_METADATA_DOCUMENTS,
  DEFAULT_DEVICE_CODE,
  DEFAULT_PATHS,
  DEFAULT_PERSONAL_ACCESS_TOKENS,
  SIGN_IN_SCOPES,
  DEFAULT_RATE_LIMITS,
  DEFAULT_REDIS,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_HOME_URL,
  DEFAULT_WORKLOAD_IDENTITY,
  defaultLoginUrl,
} from './defaults';
import type {
  DescribedResource,
  DeviceAuthModuleOptions,
  ProtectedResourceOptions,
  RateLimit,
  RedisClient,
  RedisOptions,
  RequestLimitName,
  ResolvedDeviceAuthOptions,
  ScopeDescriptionText,
  TokenExchangeOptions,
  WorkloadIssuerOptions,
  WorkloadPrincipal,
} from './device-auth-options.interface';
import { protectedResourceMetadataPath } from '../protocol/resource-urls';
import { isResource } from '../protocol/resource-urls';
import { isHttpsOrLocal } from '../protocol/url-rules';
import { DeviceAuthOptionsError } from '../errors/options.error';
import { LANGUAGE_TAG, resolveMessages } from './resolve-page-options';
import { resolveStorage } from './resolve-storage-options';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

type ResolvedScopes = ResolvedDeviceAuthOptions['scopes'];

function requirePositiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new DeviceAuthOptionsError(option, `must be a positive integer, got ${String(value)}`);
  return value;
}

function requireNonNegativeInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new DeviceAuthOptionsError(option, `must be a non-negative integer, got ${String(value)}`);
  return value;
}

/** A copy of `value` when it lists scopes of options.scopes only. */
function requireScopeList(option: string, value: unknown, scopes: ResolvedScopes): string[] {
  if (!Array.isArray(value) || !value.every((scope) => Object.hasOwn(scopes, scope))) {
    throw new DeviceAuthOptionsError(option, 'must be a list of scopes from options.scopes');
  }
  return [...(value as string[])];
}

function requireFunction<T>(option: string, value: T | undefined): T {
  if (typeof value !== 'function') throw new DeviceAuthOptionsError(option, 'is required and must be a function');
  return value;
}

function requirePath(option: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/'))
    throw new DeviceAuthOptionsError(option, `must be a path starting with "/", got ${JSON.stringify(value)}`);
  return value;
}

function resolveIssuer(issuer: unknown): string {
  if (typeof issuer !== 'string' || issuer === '')
    throw new DeviceAuthOptionsError('issuer', 'is required (the public URL of this API, e.g. https://api.example.com)');
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new DeviceAuthOptionsError('issuer', `must be an absolute URL, got ${JSON.stringify(issuer)}`);
  }
  if (url.search || url.hash) throw new DeviceAuthOptionsError('issuer', 'must not have a query or fragment (RFC 8414 §2)');
  if (!isHttpsOrLocal(url)) {
    throw new DeviceAuthOptionsError('issuer', 'must use https (http is allowed for localhost only)');
  }
  // The realm of every WWW-Authenticate challenge, and equal to the metadata's `issuer` byte for
  // byte (RFC 8414 §3.3), so never rewritten: refused here if a header could not carry it.
  if (!/^[\x21-\x7e]+$/.test(issuer) || /["\\]/.test(issuer)) {
    throw new DeviceAuthOptionsError(
      'issuer',
      `must be printable ASCII without spaces, quotes or backslashes (it is the realm of every challenge header): write ${JSON.stringify(url.href.replace(/\/+$/, ''))}`,
    );
  }
  return issuer.replace(/\/+$/, '');
}

/** A copy of a description: a non-empty text, or non-empty texts under language tags. */
function resolveScopeDescription(name: string, description: unknown): ScopeDescriptionText {
  if (typeof description === 'string' && description !== '') return description;
  if (description === null || typeof description !== 'object' || Array.isArray(description) || Object.keys(description).length === 0) {
    throw new DeviceAuthOptionsError(
      'scopes',
      `needs a description for "${name}" (users see it when they approve): a text, or texts by language such as { en: 'Read your profile', de: 'Dein Profil lesen' }`,
    );
  }
  for (const [language, text] of Object.entries(description)) {
    if (!LANGUAGE_TAG.test(language))
      throw new DeviceAuthOptionsError(
        `scopes.${name}`,
        `has ${JSON.stringify(language)} where a language tag such as "de" or "pt-BR" belongs`,
      );
    if (typeof text !== 'string' || text === '') throw new DeviceAuthOptionsError(`scopes.${name}.${language}`, 'must be a non-empty text');
  }
  return { ...(description as Record<string, string>) };
}

function resolveScopes(scopes: DeviceAuthModuleOptions['scopes'] = {}): ResolvedScopes {
  if (scopes === null || typeof scopes !== 'object' || Array.isArray(scopes))
    throw new DeviceAuthOptionsError('scopes', 'must be an object of descriptions by scope name');
  return Object.fromEntries(
    Object.entries(scopes).map(([name, description]) => {
      if (!SCOPE_TOKEN.test(name))
        throw new DeviceAuthOptionsError('scopes', `has an invalid scope name ${JSON.stringify(name)} (RFC 6749 §3.3)`);
      return [name, resolveScopeDescription(name, description)];
    }),
  );
}

function resolveDeviceCode(options: DeviceAuthModuleOptions['deviceCode']): ResolvedDeviceAuthOptions['deviceCode'] {
  const deviceCode = { ...DEFAULT_DEVICE_CODE, ...options };
  requirePositiveInteger('deviceCode.ttl', deviceCode.ttl);
  requirePositiveInteger('deviceCode.interval', deviceCode.interval);
  requirePositiveInteger('deviceCode.userCodeLength', deviceCode.userCodeLength);
  requireNonNegativeInteger('deviceCode.repeatPollSeconds', deviceCode.repeatPollSeconds);
  const charset = deviceCode.userCodeCharset;
  if (!/^[A-Z0-9]+$/.test(charset) || new Set(charset).size !== charset.length || charset.length < 10) {
    throw new DeviceAuthOptionsError('deviceCode.userCodeCharset', 'must be at least 10 distinct upper-case ASCII letters or digits');
  }
  if (Math.log2(charset.length) * deviceCode.userCodeLength < 30) {
    throw new DeviceAuthOptionsError(
      'deviceCode.userCodeLength',
      'gives fewer than 30 bits of entropy with this charset; use more characters',
    );
  }
  const slots = deviceCode.userCodeMask.split('').filter((character) => character === 'X').length;
  if (slots !== deviceCode.userCodeLength) {
    throw new DeviceAuthOptionsError(
      'deviceCode.userCodeMask',
      `must have exactly ${deviceCode.userCodeLength} "X" slots, one per user-code character`,
    );
  }
  return deviceCode;
}

/** RFC 6749 §4.1.2: a code lives at most ten minutes. */
const MAX_AUTHORIZATION_CODE_TTL = 600;

function resolveAuthorizationCode(options: DeviceAuthModuleOptions['authorizationCode']): ResolvedDeviceAuthOptions['authorizationCode'] {
  const authorizationCode = { ...DEFAULT_AUTHORIZATION_CODE, ...options };
  requirePositiveInteger('authorizationCode.ttl', authorizationCode.ttl);
  if (authorizationCode.ttl > MAX_AUTHORIZATION_CODE_TTL) {
    throw new DeviceAuthOptionsError('authorizationCode.ttl', `must be at most ${MAX_AUTHORIZATION_CODE_TTL} seconds (RFC 6749 §4.1.2)`);
  }
  if (typeof authorizationCode.skipConsentWhenApproved !== 'boolean') {
    throw new DeviceAuthOptionsError('authorizationCode.skipConsentWhenApproved', 'must be true or false');
  }
  return authorizationCode;
}

function resolveAccessToken(options: DeviceAuthModuleOptions['accessToken'], issuer: string): ResolvedDeviceAuthOptions['accessToken'] {
  const accessToken = { ...DEFAULT_ACCESS_TOKEN, audience: issuer, signingKeys: [], ...options };
  requirePositiveInteger('accessToken.ttl', accessToken.ttl);
  requireNonNegativeInteger('accessToken.revocationCacheSeconds', accessToken.revocationCacheSeconds);
  for (const key of accessToken.signingKeys) {
    if (!key || typeof key.kid !== 'string' || typeof key.kty !== 'string') {
      throw new DeviceAuthOptionsError('accessToken.signingKeys', 'must be private JWKs, each with "kid" and "kty"');
    }
  }
  return accessToken;
}

function resolvePersonalAccessTokens(
  options: DeviceAuthModuleOptions['personalAccessTokens'],
  scopes: ResolvedScopes,
): ResolvedDeviceAuthOptions['personalAccessTokens'] {
  const offered = Object.keys(scopes).filter((scope) => !SIGN_IN_SCOPES.includes(scope));
  if (options === false) return { ...DEFAULT_PERSONAL_ACCESS_TOKENS, scopes: offered, enabled: false };
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new DeviceAuthOptionsError('personalAccessTokens', 'must be an object of PAT options, or false to turn PATs off');
  }
  const pats = {
    ...DEFAULT_PERSONAL_ACCESS_TOKENS,
    ...options,
    scopes: options?.scopes === undefined ? offered : options.scopes,
    enabled: true,
  };
  const taken: string[] = Object.values(TOKEN_PREFIX);
  if (typeof pats.prefix !== 'string' || !/^[a-z][a-z0-9]{1,15}_$/.test(pats.prefix) || taken.includes(pats.prefix)) {
    throw new DeviceAuthOptionsError(
      'personalAccessTokens.prefix',
      `must be 2-16 lower-case letters or digits and a final "_", unlike ${taken.join(', ')}`,
    );
  }
  requirePositiveInteger('personalAccessTokens.defaultTtl', pats.defaultTtl);
  requirePositiveInteger('personalAccessTokens.maxTtl', pats.maxTtl);
  if (pats.defaultTtl > pats.maxTtl)
    throw new DeviceAuthOptionsError('personalAccessTokens.defaultTtl', 'must not exceed personalAccessTokens.maxTtl');
  requireNonNegativeInteger('personalAccessTokens.cacheSeconds', pats.cacheSeconds);
  if (!Array.isArray(pats.expiryWarningDays))
    throw new DeviceAuthOptionsError('personalAccessTokens.expiryWarningDays', 'must be a list of days');
  for (const days of pats.expiryWarningDays) requirePositiveInteger('personalAccessTokens.expiryWarningDays', days);
  if (pats.managementScope !== undefined && !Object.hasOwn(scopes, pats.managementScope)) {
    throw new DeviceAuthOptionsError(
      'personalAccessTokens.managementScope',
      `must be one of options.scopes, got ${JSON.stringify(pats.managementScope)}`,
    );
  }
  if (!Array.isArray(pats.scopes) || !pats.scopes.every((scope) => typeof scope === 'string' && Object.hasOwn(scopes, scope))) {
    throw new DeviceAuthOptionsError('personalAccessTokens.scopes', 'must be a list of names from options.scopes');
  }
  if (pats.grantableScopes !== undefined) requireFunction('personalAccessTokens.grantableScopes', pats.grantableScopes);
  return pats;
}

function resolveClaimNames(names: string[] = []): string[] {
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && name !== '')) {
    throw new DeviceAuthOptionsError('claimsSupported', 'must be a list of claim names');
  }
  return [...names];
}

/**
 * The host's switch of the built-in grants it may turn off (all four by default). Token exchange and
 * the JWT bearer grant follow their own options, a host's grant its registration (`grants`).
 */
function resolveGrantTypes(grantTypes: readonly string[] = DEFAULT_GRANT_TYPES): GrantType[] {
  const switched: readonly string[] = DEFAULT_GRANT_TYPES;
  if (!Array.isArray(grantTypes) || !grantTypes.every((grantType) => switched.includes(grantType))) {
    throw new DeviceAuthOptionsError(
      'grantTypes',
      `must list grant types among ${DEFAULT_GRANT_TYPES.join(', ')} (the others are switched on by their own options)`,
    );
  }
  return [...new Set(grantTypes)];
}

function resolveGrants(grants: DeviceAuthModuleOptions['grants'] = []): ResolvedDeviceAuthOptions['grants'] {
  if (!Array.isArray(grants)) throw new DeviceAuthOptionsError('grants', 'must be a list of TokenGrant classes or instances');
  return [...grants];
}

function resolveTokenExchange(options: DeviceAuthModuleOptions['tokenExchange']): TokenExchangeOptions | null {
  if (options === undefined) return null;
  if (options === null || typeof options !== 'object') throw new DeviceAuthOptionsError('tokenExchange', 'must be { mayExchange }');
  return { mayExchange: requireFunction('tokenExchange.mayExchange', options.mayExchange) };
}

/** A URL the server fetches keys from: https, or http on this machine (development and tests). */
function requireKeyUrl(option: string, value: unknown): string {
  if (typeof value !== 'string' || !URL.canParse(value) || !isHttpsOrLocal(new URL(value))) {
    throw new DeviceAuthOptionsError(option, `must be an https URL (http only on a loopback address), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `{ userId }` or `{ clientId }`, with optional `scopes`: what a subject may map to (a mapping function's answer is checked the same way). */
export function isWorkloadPrincipal(value: unknown): value is WorkloadPrincipal {
  if (value === null || typeof value !== 'object') return false;
  const { userId, clientId, scopes } = value as { userId?: unknown; clientId?: unknown; scopes?: unknown };
  const scopesShape = scopes === undefined || (Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string'));
  return (typeof userId === 'string' || typeof clientId === 'string') && scopesShape;
}

function resolveWorkloadIssuer(
  option: string,
  entry: WorkloadIssuerOptions,
  issuer: string,
  scopes: ResolvedScopes,
): NonNullable<ResolvedDeviceAuthOptions['workloadIdentity']>['issuers'][number] {
  if (entry === null || typeof entry !== 'object') throw new DeviceAuthOptionsError(option, 'must be { issuer, subjects, … }');
  const subjects = entry.subjects;
  if (typeof subjects !== 'function' && (subjects === null || typeof subjects !== 'object' || Array.isArray(subjects))) {
    throw new DeviceAuthOptionsError(
      `${option}.subjects`,
      'must map subjects to { userId } or { clientId }, or be a function of the claims',
    );
  }
  if (typeof subjects === 'object') {
    for (const [subject, principal] of Object.entries(subjects)) {
      if (!isWorkloadPrincipal(principal))
        throw new DeviceAuthOptionsError(
          `${option}.subjects`,
          `maps ${JSON.stringify(subject)} to neither { userId } nor { clientId } (with scopes a list)`,
        );
      if (principal.scopes !== undefined) requireScopeList(`${option}.subjects`, principal.scopes, scopes);
    }
  }
  const audience = entry.audience ?? issuer;
  if (typeof audience !== 'string' || audience === '') throw new DeviceAuthOptionsError(`${option}.audience`, 'must be a non-empty string');
  const preventReplay = entry.preventReplay ?? true;
  if (typeof preventReplay !== 'boolean') throw new DeviceAuthOptionsError(`${option}.preventReplay`, 'must be true or false');
  return {
    issuer: requireKeyUrl(`${option}.issuer`, entry.issuer),
    audience,
    jwksUri: entry.jwksUri === undefined ? undefined : requireKeyUrl(`${option}.jwksUri`, entry.jwksUri),
    subjects,
    scopes: requireScopeList(`${option}.scopes`, entry.scopes ?? Object.keys(scopes), scopes),
    preventReplay,
  };
}

function resolveWorkloadIdentity(
  options: DeviceAuthModuleOptions['workloadIdentity'],
  issuer: string,
  scopes: ResolvedScopes,
): ResolvedDeviceAuthOptions['workloadIdentity'] {
  if (options === undefined) return null;
  if (options === null || typeof options !== 'object' || !Array.isArray(options.issuers) || options.issuers.length === 0) {
    throw new DeviceAuthOptionsError('workloadIdentity.issuers', 'must list at least one trusted issuer');
  }
  const issuers = options.issuers.map((entry, index) => resolveWorkloadIssuer(`workloadIdentity.issuers[${index}]`, entry, issuer, scopes));
  const twice = issuers.find((entry, index) => issuers.findIndex((other) => other.issuer === entry.issuer) !== index);
  if (twice) throw new DeviceAuthOptionsError('workloadIdentity.issuers', `lists ${twice.issuer} twice`);
  return {
    issuers,
    leewaySeconds: requireNonNegativeInteger(
      'workloadIdentity.leewaySeconds',
      options.leewaySeconds ?? DEFAULT_WORKLOAD_IDENTITY.leewaySeconds,
    ),
    timeoutMs: requirePositiveInteger('workloadIdentity.timeoutMs', options.timeoutMs ?? DEFAULT_WORKLOAD_IDENTITY.timeoutMs),
  };
}

function resolveCleanup(options: DeviceAuthModuleOptions['cleanup']): ResolvedDeviceAuthOptions['cleanup'] {
  if (options === false) return false;
  const cleanup = { ...DEFAULT_CLEANUP, ...options };
  requirePositiveInteger('cleanup.intervalSeconds', cleanup.intervalSeconds);
  requirePositiveInteger('cleanup.batchSize', cleanup.batchSize);
  return cleanup;
}

function requireRateLimit(option: string, value: RateLimit): RateLimit {
  if (value === null || typeof value !== 'object') throw new DeviceAuthOptionsError(option, 'must be { limit, windowSeconds }');
  requirePositiveInteger(`${option}.limit`, value.limit);
  requirePositiveInteger(`${option}.windowSeconds`, value.windowSeconds);
  return { limit: value.limit, windowSeconds: value.windowSeconds };
}

function resolveRateLimits(options: DeviceAuthModuleOptions['rateLimits']): ResolvedDeviceAuthOptions['rateLimits'] {
  const limits = { ...DEFAULT_RATE_LIMITS, ...options };
  const optional = (name: RequestLimitName | 'wrongUserCodesPerIp') =>
    limits[name] === false ? false : requireRateLimit(`rateLimits.${name}`, limits[name]);
  if (limits.storage !== undefined && typeof limits.storage?.increment !== 'function') {
    throw new DeviceAuthOptionsError('rateLimits.storage', 'must be a ThrottlerStorage (an object with increment())');
  }
  return {
    wrongUserCodes: requireRateLimit('rateLimits.wrongUserCodes', limits.wrongUserCodes),
    wrongUserCodesPerIp: optional('wrongUserCodesPerIp'),
    wrongClientSecrets: requireRateLimit('rateLimits.wrongClientSecrets', limits.wrongClientSecrets),
    deviceAuthorizationsPerIp: optional('deviceAuthorizationsPerIp'),
    tokenRequestsPerIp: optional('tokenRequestsPerIp'),
    tokenRequestsPerClient: optional('tokenRequestsPerClient'),
    personalAccessTokenRequests: optional('personalAccessTokenRequests'),
    registrationsPerIp: optional('registrationsPerIp'),
    metadataDocumentSignInsPerIp: optional('metadataDocumentSignInsPerIp'),
    storage: limits.storage,
  };
}

function resolveRedis(options: DeviceAuthModuleOptions['redis']): ResolvedDeviceAuthOptions['redis'] {
  if (options === undefined) return null;
  if (options === null || typeof options !== 'object') throw new DeviceAuthOptionsError('redis', 'must be an object with url or client');
  const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS.keyPrefix;
  if (typeof keyPrefix !== 'string') throw new DeviceAuthOptionsError('redis.keyPrefix', 'must be a string');
  if (options.client !== undefined) return resolveRedisClient(options, keyPrefix);
  if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    throw new DeviceAuthOptionsError('redis.url', 'must be a redis:// or rediss:// URL (or give an ioredis client as redis.client)');
  }
  if (options.subscriber !== undefined) throw new DeviceAuthOptionsError('redis.subscriber', 'goes with redis.client, not redis.url');
  return {
    url: options.url,
    keyPrefix,
    connectTimeoutMs: requirePositiveInteger('redis.connectTimeoutMs', options.connectTimeoutMs ?? DEFAULT_REDIS.connectTimeoutMs),
    commandTimeoutMs: requirePositiveInteger('redis.commandTimeoutMs', options.commandTimeoutMs ?? DEFAULT_REDIS.commandTimeoutMs),
  };
}

/** The host's client: its connections, its bounds. Options that only shape connections the module opens are refused, not ignored. */
function resolveRedisClient(options: Partial<RedisOptions>, keyPrefix: string): ResolvedDeviceAuthOptions['redis'] {
  for (const name of ['url', 'connectTimeoutMs', 'commandTimeoutMs'] as const) {
    if (options[name] !== undefined) {
      throw new DeviceAuthOptionsError(
        `redis.${name}`,
        'applies to connections the module opens from redis.url; set it on your redis.client instead',
      );
    }
  }
  const client = requireRedisClient('redis.client', options.client);
  const subscriber = options.subscriber === undefined ? null : requireRedisClient('redis.subscriber', options.subscriber);
  if (subscriber === client)
    throw new DeviceAuthOptionsError('redis.subscriber', 'must be a connection of its own: a subscribed connection runs no other commands');
  return { client, subscriber, keyPrefix };
}

function requireRedisClient(option: string, value: unknown): RedisClient {
  const methods = ['eval', 'publish', 'subscribe', 'duplicate'];
  if (
    typeof value !== 'object' ||
    value === null ||
    methods.some((method) => typeof (value as Record<string, unknown>)[method] !== 'function')
  ) {
    throw new DeviceAuthOptionsError(option, 'must be an ioredis client or Cluster');
  }
  return value as RedisClient;
}

/** RFC 9728 §1.2 / RFC 8707 §2: a resource is an absolute https URL without a fragment (http for a local API). */
function isResourceUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return !url.hash && isHttpsOrLocal(url);
}

function resolveDescription(
  option: string,
  options: Partial<ProtectedResourceOptions> | undefined,
  scopes: ResolvedScopes,
): ProtectedResourceOptions {
  const scopesSupported = requireScopeList(`${option}.scopesSupported`, options?.scopesSupported ?? Object.keys(scopes), scopes);
  const resourceName = options?.resourceName;
  if (resourceName !== undefined && typeof resourceName !== 'string')
    throw new DeviceAuthOptionsError(`${option}.resourceName`, 'must be a string');
  return { scopesSupported, resourceName };
}

function resolveProtectedResource(
  options: DeviceAuthModuleOptions['protectedResource'],
  audience: string,
  scopes: ResolvedScopes,
): ResolvedDeviceAuthOptions['protectedResource'] {
  if (options === false) return null;
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new DeviceAuthOptionsError('protectedResource', 'must be an object of protected-resource options, or false to serve none');
  }
  if (!isResourceUrl(audience)) {
    throw new DeviceAuthOptionsError(
      'accessToken.audience',
      `must be the API's https URL to be described as a protected resource (RFC 9728), got ${JSON.stringify(audience)}; or set protectedResource: false`,
    );
  }
  return { resource: audience, ...resolveDescription('protectedResource', options, scopes) };
}

/** The default resource first, then the host's others: distinct URLs, and (when described) distinct metadata paths. */
function resolveResources(
  options: DeviceAuthModuleOptions['resources'],
  defaultResource: DescribedResource,
  scopes: ResolvedScopes,
  described: boolean,
): DescribedResource[] {
  if (options !== undefined && !Array.isArray(options)) throw new DeviceAuthOptionsError('resources', 'must be a list of { resource }');
  const resources = [defaultResource];
  for (const [index, entry] of (options ?? []).entries()) {
    const option = `resources[${index}]`;
    if (!isResourceUrl(entry?.resource)) {
      throw new DeviceAuthOptionsError(`${option}.resource`, 'must be an https URL without a fragment (http only on a loopback address)');
    }
    const clash = resources.find(
      (other) =>
        isResource(entry.resource)(other) ||
        (described && protectedResourceMetadataPath(other.resource) === protectedResourceMetadataPath(entry.resource)),
    );
    if (clash) {
      throw new DeviceAuthOptionsError(
        `${option}.resource`,
        `must differ from ${clash.resource} in its path (each is described at its own path)`,
      );
    }
    resources.push({ resource: entry.resource, ...resolveDescription(option, entry, scopes) });
  }
  return resources;
}

function resolveSecretScanning(options: DeviceAuthModuleOptions['secretScanning']): ResolvedDeviceAuthOptions['secretScanning'] {
  if (options === undefined) return null;
  if (options === null || typeof options !== 'object') throw new DeviceAuthOptionsError('secretScanning', 'must be an object');
  const keys = options.keys ?? [];
  if (!Array.isArray(keys)) throw new DeviceAuthOptionsError('secretScanning.keys', 'must be a list of { identifier, publicKey }');
  for (const key of keys) {
    if (typeof key?.identifier !== 'string' || key.identifier === '' || !isEcdsaP256PublicKey(key.publicKey)) {
      throw new DeviceAuthOptionsError('secretScanning.keys', 'must each have an identifier and the PEM of an ECDSA P-256 public key');
    }
  }
  const { keysUrl } = options;
  if (keysUrl !== undefined && !(typeof keysUrl === 'string' && /^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(keysUrl))) {
    throw new DeviceAuthOptionsError('secretScanning.keysUrl', 'must be an https URL');
  }
  if (keys.length === 0 && keysUrl === undefined) throw new DeviceAuthOptionsError('secretScanning', 'needs keys or a keysUrl');
  return { keys: [...keys], keysUrl };
}

/** A shared token is a password: the per-IP limit slows guessing one, but across many addresses only length stops it. */
const MIN_INITIAL_ACCESS_TOKEN_LENGTH = 16;

function resolveDynamicRegistration(
  options: DeviceAuthModuleOptions['dynamicRegistration'],
  scopes: ResolvedScopes,
): ResolvedDeviceAuthOptions['dynamicRegistration'] {
  if (options === undefined) return null;
  if (options !== true && (options === null || typeof options !== 'object')) {
    throw new DeviceAuthOptionsError('dynamicRegistration', 'must be true or an object of dynamic registration options');
  }
  const { initialAccessToken, scopes: allowed = Object.keys(scopes) } = options === true ? {} : options;
  if (
    initialAccessToken !== undefined &&
    typeof initialAccessToken !== 'function' &&
    !(typeof initialAccessToken === 'string' && initialAccessToken.length >= MIN_INITIAL_ACCESS_TOKEN_LENGTH)
  ) {
    throw new DeviceAuthOptionsError(
      'dynamicRegistration.initialAccessToken',
      `must be a string of at least ${MIN_INITIAL_ACCESS_TOKEN_LENGTH} characters or a function (token) => boolean`,
    );
  }
  return { initialAccessToken, scopes: requireScopeList('dynamicRegistration.scopes', allowed, scopes) };
}

function resolveClientIdMetadataDocuments(
  options: DeviceAuthModuleOptions['clientIdMetadataDocuments'],
  scopes: ResolvedScopes,
): ResolvedDeviceAuthOptions['clientIdMetadataDocuments'] {
  if (options === undefined) return null;
  if (options !== true && (options === null || typeof options !== 'object')) {
    throw new DeviceAuthOptionsError('clientIdMetadataDocuments', 'must be an object of options, or true for the defaults');
  }
  const documents = { ...DEFAULT_CLIENT_ID_METADATA_DOCUMENTS, scopes: Object.keys(scopes), ...(options === true ? {} : options) };
  requirePositiveInteger('clientIdMetadataDocuments.maxBytes', documents.maxBytes);
  requirePositiveInteger('clientIdMetadataDocuments.timeoutMs', documents.timeoutMs);
  requireNonNegativeInteger('clientIdMetadataDocuments.minCacheSeconds', documents.minCacheSeconds);
  requireNonNegativeInteger('clientIdMetadataDocuments.maxCacheSeconds', documents.maxCacheSeconds);
  if (documents.minCacheSeconds > documents.maxCacheSeconds) {
    throw new DeviceAuthOptionsError(
      'clientIdMetadataDocuments.minCacheSeconds',
      'must not exceed clientIdMetadataDocuments.maxCacheSeconds',
    );
  }
  if (typeof documents.allowPrivateAddresses !== 'boolean')
    throw new DeviceAuthOptionsError('clientIdMetadataDocuments.allowPrivateAddresses', 'must be true or false');
  return { ...documents, scopes: requireScopeList('clientIdMetadataDocuments.scopes', documents.scopes, scopes) };
}

function isEcdsaP256PublicKey(pem: unknown): boolean {
  try {
    return typeof pem === 'string' && createPublicKey(pem).asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}

/** A path on this site, or an absolute http(s) URL: the href of every error page's way on. */
function resolveHomeUrl(homeUrl: unknown = DEFAULT_HOME_URL): string {
  const isPath = typeof homeUrl === 'string' && homeUrl.startsWith('/') && !homeUrl.startsWith('//');
  const isWebUrl = typeof homeUrl === 'string' && /^https?:\/\//i.test(homeUrl) && URL.canParse(homeUrl);
  if (!isPath && !isWebUrl)
    throw new DeviceAuthOptionsError('homeUrl', `must be a path starting with "/" or an http(s) URL, got ${JSON.stringify(homeUrl)}`);
  return homeUrl as string;
}

function resolveSecret(secret: string | undefined): string | undefined {
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 32)) {
    throw new DeviceAuthOptionsError('secret', 'must be a string of at least 32 characters');
  }
  return secret;
}

/**
 * Applies the defaults and checks every option once, at start-up; all but the page renderer, which
 * the module checks against its contract (lib/resolve-options.ts).
 */
export function resolveOptionValues(options: DeviceAuthModuleOptions): Omit<ResolvedDeviceAuthOptions, 'pages'> {
  if (options === null || typeof options !== 'object') throw new DeviceAuthOptionsError('options', 'must be an object');
  const issuer = resolveIssuer(options.issuer);
  const paths = { ...DEFAULT_PATHS, ...options.paths };
  for (const [name, path] of Object.entries(paths)) requirePath(`paths.${name}`, path);

  const refreshToken = { ...DEFAULT_REFRESH_TOKEN, ...options.refreshToken };
  requirePositiveInteger('refreshToken.ttl', refreshToken.ttl);
  requirePositiveInteger('refreshToken.maxLifetime', refreshToken.maxLifetime);
  requireNonNegativeInteger('refreshToken.reuseGraceSeconds', refreshToken.reuseGraceSeconds);
  if (typeof refreshToken.requireOfflineAccess !== 'boolean')
    throw new DeviceAuthOptionsError('refreshToken.requireOfflineAccess', 'must be true or false');

  const clock = options.clock ?? systemClock;
  if (typeof clock.now !== 'function') throw new DeviceAuthOptionsError('clock', 'must have a now() method returning epoch milliseconds');

  const scopes = resolveScopes(options.scopes);
  const accessToken = resolveAccessToken(options.accessToken, issuer);
  const tokenExchange = resolveTokenExchange(options.tokenExchange);
  const protectedResource = resolveProtectedResource(options.protectedResource, accessToken.audience, scopes);
  return {
    issuer,
    scopes,
    resolveUser: requireFunction('resolveUser', options.resolveUser),
    loginUrl: options.loginUrl === undefined ? defaultLoginUrl : requireFunction('loginUrl', options.loginUrl),
    logoutUrl: options.logoutUrl === undefined ? null : requireFunction('logoutUrl', options.logoutUrl),
    homeUrl: resolveHomeUrl(options.homeUrl),
    resolveClaims: options.resolveClaims === undefined ? () => ({}) : requireFunction('resolveClaims', options.resolveClaims),
    claimsSupported: resolveClaimNames(options.claimsSupported),
    paths,
    deviceCode: resolveDeviceCode(options.deviceCode),
    authorizationCode: resolveAuthorizationCode(options.authorizationCode),
    accessToken,
    refreshToken,
    personalAccessTokens: resolvePersonalAccessTokens(options.personalAccessTokens, scopes),
    grantTypes: resolveGrantTypes(options.grantTypes),
    grants: resolveGrants(options.grants),
    tokenExchange,
    workloadIdentity: resolveWorkloadIdentity(options.workloadIdentity, issuer, scopes),
    cleanup: resolveCleanup(options.cleanup),
    protectedResource,
    resources: resolveResources(
      options.resources,
      protectedResource ?? { resource: accessToken.audience, scopesSupported: Object.keys(scopes) },
      scopes,
      protectedResource !== null,
    ),
    secretScanning: resolveSecretScanning(options.secretScanning),
    dynamicRegistration: resolveDynamicRegistration(options.dynamicRegistration, scopes),
    clientIdMetadataDocuments: resolveClientIdMetadataDocuments(options.clientIdMetadataDocuments, scopes),
    rateLimits: resolveRateLimits(options.rateLimits),
    redis: resolveRedis(options.redis),
    rateLimitKey: options.rateLimitKey === undefined ? null : requireFunction('rateLimitKey', options.rateLimitKey),
    storage: resolveStorage(options),
    events: { ...options.events },
    secret: resolveSecret(options.secret),
    clock,
    messages: resolveMessages(options.messages),
  };
}
