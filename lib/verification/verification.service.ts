import { Injectable } from '@nestjs/common';
import { OAuthClient } from '../entities/client.entity';
import { DeviceAuthorization } from '../entities/device-authorization.entity';
import { DeviceAuthEvents } from '../events/device-auth-events';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { ClientsService } from '../clients/clients.service';
import { DeviceAuthorizationStore } from '../storage/device-authorization.store';
import { mayActFor } from '../clients/personal-app-owner';
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

  /** The pending, unexpired request behind a typed code; null for unknown, expired and used codes alike. */
  async findPending(typedCode: string): Promise<PendingRequest | null> {
    const userCode = normalizeUserCode(typedCode, this.options.deviceCode);
    if (userCode === null) return null;
    const authorization = await this.store.findByUserCodeHash(hmacHex(await this.secret.get(), userCode));
    if (!authorization || authorization.status !== 'pending' || this.options.clock.now() >= authorization.expiresAt) return null;
    const client = await this.clients.findById(authorization.clientId);
    return client ? { authorization, client, userCode } : null;
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
