import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-http-bearer';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { InvalidAccessTokenError } from '../tokens/access-token.service';
import type { Principal } from './principal';
import { TokenVerifier } from './token-verifier.service';

export const BEARER_STRATEGY_NAME = 'nest-device-auth-bearer';

/** What passport attaches to a strategy for each request (missing from the mixin's typings). */
interface PassportActions {
  fail(status: number): void;
}

/** passport-http-bearer reading the Authorization header (or a form body), never the query string. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY_NAME) {
  constructor(
    @InjectDeviceAuthOptions() options: ResolvedDeviceAuthOptions,
    private readonly verifier: TokenVerifier,
  ) {
    super({ realm: options.issuer });
  }

  /**
   * Tokens in URLs leak into logs and Referer headers (RFC 9700 §2.5), so the query is never read.
   * A body token counts only in a form-encoded, non-GET request (RFC 6750 §2.2); anywhere else
   * it is a malformed request.
   */
  authenticate(request: Request, options?: object): void {
    const bodyToken = (request.body as Record<string, unknown> | undefined)?.access_token;
    if (bodyToken !== undefined && (request.method === 'GET' || !request.is('application/x-www-form-urlencoded'))) {
      return (this as unknown as PassportActions).fail(400);
    }
    const withoutQuery = Object.create(request, { query: { value: {} } }) as Request;
    super.authenticate(withoutQuery, options);
  }

  async validate(token: unknown): Promise<Principal | [false, string]> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) return [false, error.message];
      throw error;
    }
  }
}
