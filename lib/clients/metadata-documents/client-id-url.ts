import { OAuthClient } from '../../entities/client.entity';
import { isHttpsOrLocal } from '../../protocol/url-rules';

/** The longest client ID URL accepted: the width of the client id columns of grants, tokens and codes. */
export const MAX_CLIENT_ID_URL_LENGTH = 255;

/** Whether a client id is meant as a metadata document URL: registered ids cannot contain a colon. */
export const looksLikeClientIdUrl = (clientId: string): boolean => /^https?:\/\//i.test(clientId);

/**
 * Why a client id cannot be a Client Identifier URL (draft-ietf-oauth-client-id-metadata-document §3),
 * or null: https (http on this machine only with `allowLocal`), a path, no credentials, no fragment, no
 * dot segments. The id is kept as given: the document's `client_id` must equal it character for character.
 */
export function clientIdUrlProblem(clientId: string, allowLocal: boolean): string | null {
  if (clientId.length > MAX_CLIENT_ID_URL_LENGTH) return `a client ID URL may have at most ${MAX_CLIENT_ID_URL_LENGTH} characters`;
  if (!URL.canParse(clientId)) return 'the client ID is not a valid URL';
  const url = new URL(clientId);
  const local = allowLocal && url.protocol === 'http:' && isHttpsOrLocal(url);
  if (url.protocol !== 'https:' && !local) return 'a client ID URL must use https';
  const authorityAndPath = /^[a-z]+:\/\/([^/?#]*)(\/[^?#]*)?/i.exec(clientId);
  if (authorityAndPath?.[1].includes('@')) return 'a client ID URL must not contain credentials';
  if (clientId.includes('#')) return 'a client ID URL must not contain a fragment';
  const path = authorityAndPath?.[2];
  if (path === undefined) return 'a client ID URL must contain a path';
  if (path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return 'a client ID URL must not contain . or .. segments';
  return null;
}

/**
 * The host that names an app known only by its metadata document URL, for the consent pages (the
 * draft asks them to show it); undefined for a registered app.
 */
export function metadataDocumentHost(client: OAuthClient): string | undefined {
  return looksLikeClientIdUrl(client.clientId) ? new URL(client.clientId).host : undefined;
}
