import type { OAuthClient } from '../entities/client.entity';

/** Registered apps, by client id. */
export abstract class ClientStore {
  abstract findById(clientId: string): Promise<OAuthClient | null>;

  /** Fails when the client id is taken. */
  abstract insert(client: OAuthClient): Promise<void>;
}
