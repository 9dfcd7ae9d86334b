import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** What each event carries. No event ever carries a token or code value. */
export interface DeviceAuthEventMap {
  /** A user approved a device's request on the verification page. */
  'device_authorization.approved': { clientId: string; userId: string; scope: string };
  /** A user denied a device's request. */
  'device_authorization.denied': { clientId: string; userId: string };
  /** Tokens left the token endpoint: a new grant, or a refresh of one. `userId` is null for an app's own token. */
  'tokens.issued': { grantId: string; clientId: string; userId: string | null; scope: string; grantType: string };
  /** A spent refresh token came back after its grace window: the whole family was revoked. */
  'refresh_token.reuse_detected': { familyId: string; clientId: string; userId: string | null };
  /** A user approved an app on the consent page of the code flow. */
  'authorization.approved': { clientId: string; userId: string; scope: string };
  /** A user denied an app on the consent page. */
  'authorization.denied': { clientId: string; userId: string };
  /** A redeemed authorization code came back: the grant it created was revoked (RFC 6749 §4.1.2). */
  'authorization_code.reuse_detected': { grantId: string; clientId: string; userId: string | null };
  /**
   * A secret scanner reported a token of ours found in public (`url`, `source` as it
   * said); it was revoked if it still worked. Turn it into an email to the user.
   */
  'token.leaked': {
    kind: 'personal_access_token' | 'refresh_token' | 'access_token';
    tokenId: string;
    userId: string | null;
    clientId: string | null;
    wasActive: boolean;
    url: string | null;
    source: string | null;
  };
  /** A PAT ends within `days` (a threshold of `personalAccessTokens.expiryWarningDays`): tell its owner to renew it. */
  'personal_access_token.expiring': { tokenId: string; userId: string; name: string; expiresAt: Date; days: number };
  /** A PAT was revoked: by its owner (API or page) or because a secret scanner found it (`leaked`). */
  'personal_access_token.revoked': { tokenId: string; userId: string; reason: 'revoked' | 'leaked' };
  /** An app registered itself through the dynamic registration endpoint (RFC 7591), from `ip`. */
  'client.registered': { clientId: string; name: string; ip: string | null };
  /** A grant was revoked through the revocation endpoint or by host code. `userId` is null for an app's own grant. */
  'token.revoked': { grantId: string; clientId: string; userId: string | null };
}

export type DeviceAuthEventName = keyof DeviceAuthEventMap;

export type DeviceAuthEventListener<E extends DeviceAuthEventName> = (payload: DeviceAuthEventMap[E]) => void | Promise<void>;

/** `options.events`: a callback per event, e.g. `{ 'refresh_token.reuse_detected': (e) => audit.warn(e) }`. */
export type DeviceAuthEventCallbacks = { [E in DeviceAuthEventName]?: DeviceAuthEventListener<E> };

/**
 * Typed events a host subscribes to (audit logs, alerts). A failing listener is logged and never
 * fails the request that raised the event.
 */
@Injectable()
export class DeviceAuthEvents {
  private readonly emitter = new EventEmitter();
  private readonly logger = new Logger('DeviceAuthEvents');

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends DeviceAuthEventName>(event: E, listener: DeviceAuthEventListener<E>): () => void {
    const safe = (payload: DeviceAuthEventMap[E]): void => {
      Promise.resolve()
        .then(() => listener(payload))
        .catch((error: unknown) => this.logger.error(`A listener of "${event}" failed: ${String(error)}`));
    };
    this.emitter.on(event, safe);
    return () => this.emitter.off(event, safe);
  }

  emit<E extends DeviceAuthEventName>(event: E, payload: DeviceAuthEventMap[E]): void {
    this.emitter.emit(event, payload);
  }

  /** Subscribes every callback of `options.events`. */
  subscribeAll(callbacks: DeviceAuthEventCallbacks): void {
    for (const [event, listener] of Object.entries(callbacks) as [DeviceAuthEventName, DeviceAuthEventListener<DeviceAuthEventName>][]) {
      if (listener) this.on(event, listener);
    }
  }
}
