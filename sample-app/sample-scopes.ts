import type { ScopeDescriptionText } from '../lib';

/** The scopes this API offers, with the description users see when they approve a device, in English and German. */
export const SAMPLE_SCOPES: Record<string, ScopeDescriptionText> = {
  'user:read': { en: 'Read your profile', de: 'Ihr Profil lesen' },
  'listings:read': { en: 'Read your listings', de: 'Ihre Inserate lesen' },
  'listings:write': { en: 'Create and change your listings', de: 'Ihre Inserate anlegen und ändern' },
  'tokens:manage': { en: 'Create, list and revoke your API tokens', de: 'Ihre API-Tokens erstellen, auflisten und widerrufen' },
  openid: { en: 'Sign you in to the app with your account', de: 'Sie mit Ihrem Konto bei der App anmelden' },
  profile: { en: 'See your name and username', de: 'Ihren Namen und Benutzernamen sehen' },
  email: { en: 'See your email address', de: 'Ihre E-Mail-Adresse sehen' },
  offline_access: { en: 'Stay signed in until you sign out', de: 'Angemeldet bleiben, bis Sie sich abmelden' },
};

/** The scope that lets a CLI manage its user's personal access tokens. */
export const TOKEN_MANAGEMENT_SCOPE = 'tokens:manage';
