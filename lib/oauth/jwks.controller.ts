import { Controller, Get, Header, UseInterceptors } from '@nestjs/common';
import type { JWK } from 'jose';
import { SigningKeys } from '../tokens/signing-keys.service';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';

export const JWKS_PATH = '.well-known/jwks.json';

/** The public keys that verify our access tokens (RFC 7517), for resource servers elsewhere. */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller(JWKS_PATH)
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  get(): Promise<{ keys: JWK[] }> {
    return this.keys.publicJwks();
  }
}
