import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { GrantRegistry } from '../grants/grant-registry';
import { OPENID_SCOPE } from '../protocol/oidc-scopes';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { SigningKeys } from '../tokens/signing-keys.service';
import { JWKS_PATH } from './jwks.controller';

const CLIENT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

/** The claims of every ID token (OIDC Core §2); the host's `claimsSupported` come on top. */
const ID_TOKEN_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash'];

/**
 * RFC 8414 authorization server metadata and, when the host offers the `openid` scope, the OpenID
 * Connect Discovery document: one document served at both addresses, so they never disagree.
 */
@Controller('.well-known')
export class MetadataController {
  private document?: Promise<Record<string, unknown>>;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly grants: GrantRegistry,
    private readonly keys: SigningKeys,
  ) {}

  @Get('oauth-authorization-server')
  @Header('Cache-Control', 'public, max-age=300')
  authorizationServer(): Promise<Record<string, unknown>> {
    return this.metadata();
  }

  @Get('openid-configuration')
  @Header('Cache-Control', 'public, max-age=300')
  openIdConfiguration(): Promise<Record<string, unknown>> {
    if (!this.offersOpenId) throw new NotFoundException('This server does not offer OpenID Connect (no "openid" scope is configured)');
    return this.metadata();
  }

  private get offersOpenId(): boolean {
    return Object.hasOwn(this.options.scopes, OPENID_SCOPE);
  }

  private metadata(): Promise<Record<string, unknown>> {
    this.document ??= this.build().catch((error: unknown) => {
      this.document = undefined; // the keys could not load yet; try again on the next request
      throw error;
    });
    return this.document;
  }

  private async build(): Promise<Record<string, unknown>> {
    const { issuer, paths } = this.options;
    const { offered } = this.grants;
    const metadata: Record<string, unknown> = {
      issuer,
      token_endpoint: issuer + paths.token,
      revocation_endpoint: issuer + paths.revocation,
      introspection_endpoint: issuer + paths.introspection,
      jwks_uri: `${issuer}/${JWKS_PATH}`,
      ...(this.options.dynamicRegistration ? { registration_endpoint: issuer + paths.registration } : {}),
      grant_types_supported: offered.map((grant) => grant.grantType),
      // RFC 8414 §2 requires response_types_supported: none unless a grant (the code flow's) adds its own.
      response_types_supported: [],
      // What each grant adds: the code flow its authorization endpoint, the device flow its own.
      ...Object.assign({}, ...offered.map((grant) => grant.metadata?.() ?? {})),
      scopes_supported: Object.keys(this.options.scopes),
      token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      // RFC 9728 §4: the resources this server issues tokens for, when they are described.
      ...(this.options.protectedResource ? { protected_resources: this.options.resources.map(({ resource }) => resource) } : {}),
      // draft-ietf-oauth-client-id-metadata-document §5: https client ids are fetched as metadata documents.
      ...(this.options.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
    };
    if (!this.offersOpenId) return metadata;
    const { keys } = await this.keys.publicJwks();
    return {
      ...metadata,
      userinfo_endpoint: issuer + paths.userinfo,
      id_token_signing_alg_values_supported: [...new Set(keys.map((key) => key.alg))],
      subject_types_supported: ['public'],
      claims_supported: [...new Set([...ID_TOKEN_CLAIMS, ...this.options.claimsSupported])],
    };
  }
}
