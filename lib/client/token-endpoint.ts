import type { ServerMetadata } from './discovery';
import { OAuthResponseError } from './errors';

/** RFC 6749 §5.1, with the expiry turned into a point in time. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  scope?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** What every login flow ends with: the tokens, and the metadata it discovered on the way. */
export interface LoginResult extends TokenSet {
  metadata: ServerMetadata;
}

interface TokenResponseBody {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** POSTs a form to an OAuth endpoint; resolves with the JSON body, or throws OAuthResponseError. */
export async function postForm<T>(url: string, fields: Record<string, string>, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<T> {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
    signal,
  });
  const text = await response.text();
  let body: { error?: string; error_description?: string };
  try {
    body = text === '' ? {} : (JSON.parse(text) as typeof body);
  } catch {
    throw new OAuthResponseError('invalid_response', `HTTP ${response.status} with a body that is not JSON`, response.status);
  }
  if (!response.ok || body.error) throw new OAuthResponseError(body.error ?? 'server_error', body.error_description, response.status);
  return body as T;
}

/** Calls the token endpoint and returns the tokens, with `expires_in` anchored at `now`. */
export async function requestTokens(
  tokenEndpoint: string,
  fields: Record<string, string>,
  now: number,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<TokenSet> {
  const body = await postForm<TokenResponseBody>(tokenEndpoint, fields, fetchImpl, signal);
  if (!body.access_token) throw new OAuthResponseError('invalid_response', 'The token response has no access_token', 200);
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    scope: body.scope,
    expiresAt: now + (body.expires_in ?? 3600) * 1000,
  };
}
