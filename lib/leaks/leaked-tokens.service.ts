import { Injectable } from '@nestjs/common';
import { DeviceAuthEvents } from '../events/device-auth-events';
import { PersonalAccessTokensService } from '../pats/personal-access-tokens.service';
import { GrantRevocation } from '../tokens/grant-revocation.service';
import { sha256Hex } from '../tokens/hashing';
import { PresentedTokens } from '../tokens/presented-token.service';

/** One finding of a report, as GitHub's secret scanning sends it. */
export interface LeakFinding {
  token: string;
  type: string;
  url: string | null;
  source: string | null;
}

/** The answer for one finding: the token's digest (never the token itself) and whether it was ours. */
export interface LeakVerdict {
  token_hash: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

/** Revokes every live PAT, refresh token and access token a scanner found in public, and says which were real. */
@Injectable()
export class LeakedTokens {
  constructor(
    private readonly personalAccessTokens: PersonalAccessTokensService,
    private readonly presentedTokens: PresentedTokens,
    private readonly grants: GrantRevocation,
    private readonly events: DeviceAuthEvents,
  ) {}

  async report(findings: LeakFinding[]): Promise<LeakVerdict[]> {
    const verdicts: LeakVerdict[] = [];
    for (const finding of findings) {
      const ours = await this.revoke(finding);
      verdicts.push({ token_hash: sha256Hex(finding.token), token_type: finding.type, label: ours ? 'true_positive' : 'false_positive' });
    }
    return verdicts;
  }

  /** True when the value is a token of ours (revoked now if it still worked). */
  private async revoke(finding: LeakFinding): Promise<boolean> {
    const where = { url: finding.url, source: finding.source };
    const personal = await this.personalAccessTokens.revokeLeaked(finding.token);
    if (personal) {
      const { row, wasActive } = personal;
      this.events.emit('token.leaked', {
        kind: 'personal_access_token',
        tokenId: row.id,
        userId: row.userId,
        clientId: row.clientId,
        wasActive,
        ...where,
      });
      return true;
    }
    // A refresh token, or (rarely found, having no prefix) an access token: the grant behind it ends.
    const presented = await this.presentedTokens.find(finding.token);
    if (!presented) return false;
    const { grant } = presented;
    const wasActive = grant.revokedAt === null;
    if (wasActive) await this.grants.revoke(grant, 'revoked');
    const [kind, tokenId] =
      presented.kind === 'refresh_token'
        ? (['refresh_token', presented.refreshToken.id] as const)
        : (['access_token', presented.accessToken.jti] as const);
    this.events.emit('token.leaked', { kind, tokenId, userId: grant.userId, clientId: grant.clientId, wasActive, ...where });
    return true;
  }
}
