/** Why a PAT was not created: the API tokens page words it in the user's language, the JSON API in English. */
export type PersonalAccessTokenRefusal =
  | { kind: 'turnedOff' }
  | { kind: 'nameLength'; maxLength: number }
  | { kind: 'nameControlCharacters' }
  | { kind: 'notPersonalApp' }
  | { kind: 'noScopes' }
  | { kind: 'scopesNotAllowed'; scopes: string }
  | { kind: 'noExpiryNotAllowed' }
  | { kind: 'expiryRange'; maxDays: number };

/** The JSON API's `error_description` (English, as every OAuth error description is). */
export function refusalDescription(refusal: PersonalAccessTokenRefusal): string {
  switch (refusal.kind) {
    case 'turnedOff':
      return 'personal access tokens are turned off (personalAccessTokens: false)';
    case 'nameLength':
      return `name is required, at most ${refusal.maxLength} characters`;
    case 'nameControlCharacters':
      return 'name must not contain control characters';
    case 'notPersonalApp':
      return 'clientId must be a personal app bound to this user';
    case 'noScopes':
      return 'scopes must be a non-empty list of scope names';
    case 'scopesNotAllowed':
      return `scopes not allowed for this token: ${refusal.scopes}`;
    case 'noExpiryNotAllowed':
      return 'tokens that never expire are not allowed here';
    case 'expiryRange':
      return `expiry must be between 1 second and ${refusal.maxDays} days`;
  }
}
