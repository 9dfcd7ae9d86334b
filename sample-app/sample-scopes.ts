/** The scopes this API offers, with the description users see when they approve a device. */
export const SAMPLE_SCOPES: Record<string, string> = {
  'user:read': 'Read your profile',
  'listings:read': 'Read your listings',
  'listings:write': 'Create and change your listings',
};
