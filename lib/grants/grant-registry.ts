import type { ClientType } from '../entities/client.entity';
import { DeviceAuthOptionsError } from '../errors/options.error';
import type { TokenGrant } from './token-grant.interface';

/** RFC 6749 §A.10 grant-name characters, without the comma that separates a client's stored grant types. */
const GRANT_TYPE_SHAPE = /^[\x21-\x2b\x2d-\x7e]{1,200}$/;

const CLIENT_TYPES: readonly ClientType[] = ['public', 'confidential'];

/**
 * Every grant the server knows, the built-in ones and the host's (`grants`), and which of them it
 * offers. The one place that lists grant types: the token endpoint dispatches through it, and the
 * metadata, app registration and client ID metadata documents ask it which grants exist and for whom.
 */
export class GrantRegistry {
  private readonly registered: ReadonlyMap<string, TokenGrant>;
  /** The grants offered, in the order they registered (the metadata lists them so). */
  readonly offered: readonly TokenGrant[];

  constructor(grants: readonly TokenGrant[]) {
    const registered = new Map<string, TokenGrant>();
    for (const grant of grants) {
      requireGrantShape(grant);
      if (registered.has(grant.grantType))
        throw new DeviceAuthOptionsError('grants', `registers the grant type "${grant.grantType}" twice`);
      registered.set(grant.grantType, grant);
    }
    this.registered = registered;
    this.offered = grants.filter((grant) => grant.offered?.() ?? true);
  }

  /** The registered grant of this type, offered or not. */
  grant(grantType: string): TokenGrant | undefined {
    return this.registered.get(grantType);
  }

  /** The offered grant of this type: what the token endpoint dispatches to. */
  offeredGrant(grantType: string): TokenGrant | undefined {
    return this.offered.find((grant) => grant.grantType === grantType);
  }

  offers(grantType: string): boolean {
    return this.offeredGrant(grantType) !== undefined;
  }

  /** The offered grant types an app of this type may be registered for. */
  offeredTo(clientType: ClientType): string[] {
    return this.offered.filter((grant) => grant.clientTypes.includes(clientType)).map((grant) => grant.grantType);
  }

  /** RFC 7591 §2.1: the response types that go with these grant types. */
  responseTypesFor(grantTypes: readonly string[]): string[] {
    return [...new Set(grantTypes.flatMap((grantType) => this.registered.get(grantType)?.responseTypes ?? []))];
  }
}

function requireGrantShape(grant: TokenGrant): void {
  if (grant === null || typeof grant !== 'object' || typeof grant.handle !== 'function') {
    throw new DeviceAuthOptionsError('grants', 'must list TokenGrant classes or instances (each with grantType and handle())');
  }
  if (typeof grant.grantType !== 'string' || !GRANT_TYPE_SHAPE.test(grant.grantType)) {
    throw new DeviceAuthOptionsError('grants', `has a grant with an invalid grantType ${JSON.stringify(grant.grantType)} (RFC 6749 §4.5)`);
  }
  const { clientTypes } = grant;
  if (!Array.isArray(clientTypes) || clientTypes.length === 0 || !clientTypes.every((type) => CLIENT_TYPES.includes(type))) {
    throw new DeviceAuthOptionsError('grants', `has "${grant.grantType}" without clientTypes (a list of "public" and "confidential")`);
  }
}
