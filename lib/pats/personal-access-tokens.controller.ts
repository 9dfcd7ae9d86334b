import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { isJsonBody } from '../http/json-body';
import { InvalidRequestError, OAuthError } from '../errors/oauth.error';
import { RateLimits } from '../limits/rate-limits.service';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import { NoStore } from '../oauth/no-store.decorator';
import { PersonalAccessTokensEnabled } from './personal-access-tokens-enabled.guard';
import type { PersonalAccessTokenView } from '../pages/device-auth-pages';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import { PersonalAccessTokenError } from '../errors/personal-access-token.error';
import { TokenOwner, TokenOwners } from '../guards/token-owner';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';

const DAY_SECONDS = 24 * 3600;

/** POST body: `{ name, scopes: [...], expiresInDays?: number | null, clientId? }`. */
function createInput(body: unknown, owner: TokenOwner) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequestError('Send a JSON object');
  const { name, scopes, expiresInDays, clientId } = body as Record<string, unknown>;
  if (typeof name !== 'string') throw new InvalidRequestError('name must be a string');
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string'))
    throw new InvalidRequestError('scopes must be a list of strings');
  if (expiresInDays !== undefined && expiresInDays !== null && (typeof expiresInDays !== 'number' || !Number.isInteger(expiresInDays))) {
    throw new InvalidRequestError('expiresInDays must be a whole number of days, or null for no expiry');
  }
  if (clientId !== undefined && typeof clientId !== 'string') throw new InvalidRequestError('clientId must be a string');
  const { bearerScopes } = owner;
  const beyondCaller = bearerScopes ? scopes.filter((scope) => !bearerScopes.includes(scope)) : [];
  if (beyondCaller.length > 0)
    throw new InvalidRequestError(`A token cannot create a PAT with scopes it does not have: ${beyondCaller.join(' ')}`);
  return {
    userId: owner.userId,
    name,
    scopes: scopes as string[],
    expiresInSeconds: expiresInDays === undefined ? undefined : expiresInDays === null ? null : expiresInDays * DAY_SECONDS,
    clientId: clientId as string | undefined,
  };
}

/**
 * The JSON API behind "API tokens" (path from options.paths.personalAccessTokens): the signed-in
 * user, or a CLI holding the management scope, creates, lists and revokes their own PATs.
 * Creation takes `application/json` only, which a cross-site form cannot send.
 */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseGuards(PersonalAccessTokensEnabled)
@UseFilters(OAuthExceptionFilter)
export class PersonalAccessTokensController {
  constructor(
    private readonly owners: TokenOwners,
    private readonly tokens: PersonalAccessTokensService,
    private readonly limits: RateLimits,
  ) {}

  /** The caller, whose requests are counted against `rateLimits.personalAccessTokenRequests`. */
  private async ownerOf(request: DeviceAuthRequest, response: unknown): Promise<TokenOwner> {
    const owner = await this.owners.fromRequest(request, response);
    await this.limits.refuseOverLimit('personalAccessTokenRequests', owner.userId, 'personal access token requests');
    return owner;
  }

  @Get()
  @NoStore()
  async list(@Req() request: DeviceAuthRequest, @Res({ passthrough: true }) response: unknown): Promise<PersonalAccessTokenView[]> {
    const owner = await this.ownerOf(request, response);
    return this.tokens.list(owner.userId);
  }

  @Post()
  @NoStore()
  async create(
    @Req() request: DeviceAuthRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<PersonalAccessTokenView & { token: string }> {
    const owner = await this.ownerOf(request, response);
    if (!isJsonBody(request)) throw new InvalidRequestError('Send the new token as application/json in UTF-8');
    try {
      const { token, view } = await this.tokens.create(createInput(request.body, owner));
      return { token, ...view };
    } catch (error) {
      if (error instanceof PersonalAccessTokenError) throw new InvalidRequestError(error.message);
      throw error;
    }
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Req() request: DeviceAuthRequest, @Res({ passthrough: true }) response: unknown, @Param('id') id: string): Promise<void> {
    const owner = await this.ownerOf(request, response);
    // In the API's own error format, like every other answer of it.
    if (!(await this.tokens.revoke(owner.userId, id))) throw new OAuthError('invalid_request', 'No such active token of yours', 404);
  }
}
