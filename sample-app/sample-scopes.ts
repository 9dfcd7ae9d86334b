/** The scopes this API offers, with the description users see when they approve a device. */
export const SAMPLE_SCOPES: Record<string, string> = {
  'user:read': 'Read your profile',
  'listings:read': 'Read your listings',
  'listings:write': 'Create and change your listings',
  'tokens:manage': 'Create, list and revoke your API tokens',
  openid: 'Sign you in to the app with your account',
  profile: 'See your name and username',
  email: 'See your email address',
  offline_access: 'Stay signed in until you sign out',
};

/** The scope that lets a CLI manage its user's personal access tokens. */
export const TOKEN_MANAGEMENT_SCOPE = 'tokens:manage';
