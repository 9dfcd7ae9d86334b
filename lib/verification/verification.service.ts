import { Injectable } from '@nestjs/common';
import { OAuthClient } from '../entities/client.entity';
import { DeviceAuthorization } from '../entities/device-authorization.entity';
import { DeviceAuthEvents } from '../events/device-auth-events';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { ClientsService } from '../clients/clients.service';
import { DeviceAuthorizationStore } from '../storage/device-authorization.store';
import { mayActFor } from '../entities/personal-app-owner';
import { CsrfTokens } from '../pages/csrf-tokens.service';
import { hmacHex } from '../tokens/hashing';
import { ServerSecret } from '../tokens/server-secret.service';
import { normalizeUserCode } from '../tokens/user-code';

/** A request the signed-in user may still approve or deny. */
export interface PendingRequest {
  authorization: DeviceAuthorization;
  client: OAuthClient;
  /** Canonical user code (no separators). */
  userCode: string;
}

export type Decision = 'approved' | 'denied';

export type DecisionOutcome = 'decided' | 'wrong-user' | 'no-longer-pending';

/** What a typed code leads to, for the signed-in user. */
export type CodeLookup =
  | { outcome: 'pending'; pending: PendingRequest }
  /** This user approved or denied it already (Back, a reload, the link again): no guess. */
  | { outcome: 'decided'; decision: Decision; clientName: string }
  /** A real code past its lifetime, not decided by this user: no guess either, it existed. */
  | { outcome: 'expired' }
  /** Unknown, not a code at all, or used by someone else: one answer, so a guesser learns nothing (RFC 8628 §5.1). */
  | { outcome: 'invalid' };

@Injectable()
export class VerificationService {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: DeviceAuthorizationStore,
    private readonly clients: ClientsService,
    private readonly secret: ServerSecret,
    private readonly events: DeviceAuthEvents,
    private readonly csrf: CsrfTokens,
  ) {}

  /** What the typed code is to this user: a request to decide, their own earlier decision, an expired code, or nothing. */
  async lookUp(typedCode: string, user: DeviceAuthUser): Promise<CodeLookup> {
    const userCode = normalizeUserCode(typedCode, this.options.deviceCode);
    if (userCode === null) return { outcome: 'invalid' };
    const authorization = await this.store.findByUserCodeHash(hmacHex(await this.secret.get(), userCode));
    if (!authorization) return { outcome: 'invalid' };
    if (authorization.status !== 'pending' && authorization.userId === user.id) {
      const client = await this.clients.findById(authorization.clientId);
      const decision: Decision = authorization.status === 'denied' ? 'denied' : 'approved';
      return { outcome: 'decided', decision, clientName: client?.name ?? authorization.clientId };
    }
    if (this.options.clock.now() >= authorization.expiresAt) return { outcome: 'expired' };
    if (authorization.status !== 'pending') return { outcome: 'invalid' };
    const client = await this.clients.findById(authorization.clientId);
    return client ? { outcome: 'pending', pending: { authorization, client, userCode } } : { outcome: 'invalid' };
  }

  /** A personal app's requests belong to its one bound user. */
  mayDecide(user: DeviceAuthUser, client: OAuthClient): boolean {
    return mayActFor(client, user.id);
  }

  async decide(pending: PendingRequest, user: DeviceAuthUser, decision: Decision): Promise<DecisionOutcome> {
    if (!this.mayDecide(user, pending.client)) return 'wrong-user';
    const decided = await this.store.decide(pending.authorization.id, decision, user.id, this.options.clock.now());
    if (!decided) return 'no-longer-pending';
    const { clientId, scope } = pending.authorization;
    if (decision === 'approved') this.events.emit('device_authorization.approved', { clientId, userId: user.id, scope });
    else this.events.emit('device_authorization.denied', { clientId, userId: user.id });
    return 'decided';
  }

  /** Bound to this user and this request, so a forged POST cannot approve. */
  csrfToken(user: DeviceAuthUser, pending: PendingRequest): Promise<string> {
    return this.csrf.issue(user.id, `device\n${pending.authorization.id}`);
  }

  isValidCsrfToken(user: DeviceAuthUser, pending: PendingRequest, presented: string | undefined): Promise<boolean> {
    return this.csrf.isValid(user.id, `device\n${pending.authorization.id}`, presented);
  }
}
