import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { resourceChallenge } from '../resource/protected-resource-metadata';
import { presentedBearer } from '../protocol/bearer-credentials';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';
import type { Principal } from '../tokens/principal';
import { TokenVerifier } from './token-verifier.service';
import { temporarilyUnavailable } from '../errors/temporarily-unavailable.error';
import { HttpResponses } from '../pages/http-responses.service';
import { isDatabaseUnavailable } from '../storage/database-unavailable';

export const BEARER_STRATEGY_NAME = 'nest-device-auth-bearer';

/**
 * The least passport needs of a strategy: an `authenticate(request)`. PassportStrategy hands the
 * constructor a verify callback, which this strategy does not use: it verifies in authenticate().
 */
class PassportStrategyBase {
  authenticate(_request: unknown): void {}
}

/** What passport attaches to a strategy for each request (missing from the mixin's typings). */
interface PassportActions {
  success(user: Principal): void;
  fail(challenge: string | number, status?: number): void;
  error(error: unknown): void;
}

/**
 * The module's bearer tokens as a passport strategy, for Express hosts that compose strategies:
 * `AuthGuard(['session', 'nest-device-auth-bearer'])`. It reads tokens exactly as BearerTokenGuard
 * does (the same parser and verifier); scopes stay with @Scopes() and the guard. Hosts that need
 * nothing but bearer tokens use BearerTokenGuard, which also runs on Fastify.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(PassportStrategyBase, BEARER_STRATEGY_NAME) {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly verifier: TokenVerifier,
    private readonly responses: HttpResponses,
  ) {
    super();
  }

  /** Express hands the response along with the request; passport runs nowhere else (see above). */
  authenticate(request: DeviceAuthRequest & { res?: unknown }): void {
    const actions = this as unknown as PassportActions;
    const presented = presentedBearer(request);
    if (presented.outcome === 'malformed') return actions.fail(400);
    if (presented.outcome === 'absent') return actions.fail(resourceChallenge(this.options), 401);
    this.validate(presented.token).then(
      (principal) => actions.success(principal),
      (error: unknown) => {
        // As the guard answers: a valid token is not invalid because the database is away.
        if (isDatabaseUnavailable(error)) return actions.error(temporarilyUnavailable(this.responses, request.res));
        if (!(error instanceof InvalidAccessTokenError)) return actions.error(error);
        actions.fail(resourceChallenge(this.options, { error: 'invalid_token', error_description: error.description }), 401);
      },
    );
  }

  validate(token: string): Promise<Principal> {
    return this.verifier.verify(token);
  }
}
