/** Every sentence of the sample host's own pages (home, sign-in), by key: plain text, escaped where shown. */
export interface SamplePageMessages {
  /** BCP 47 tag: the pages' `<html lang>`. */
  language: string;
  'home.title': string;
  'home.signedOut': string;
  'home.signIn': string;
  /** Before the signed-in user's name, which the page shows in bold. */
  'home.signedInAs': string;
  'home.approveDevice': string;
  'home.apiTokens': string;
  'home.signOut': string;
  'login.title': string;
  'login.username': string;
  'login.password': string;
  'login.submit': string;
  'login.incorrect': string;
  'login.notAForm': string;
  'login.unreadable': string;
  /** A sign-in form without this browser's CSRF token, or posted from another site (login CSRF). */
  'login.refused': string;
}

export const SAMPLE_PAGE_MESSAGES_EN: SamplePageMessages = {
  language: 'en',
  'home.title': 'Sample app',
  'home.signedOut': 'You are not signed in.',
  'home.signIn': 'Sign in',
  'home.signedInAs': 'Signed in as',
  'home.approveDevice': 'Approve a device',
  'home.apiTokens': 'API tokens',
  'home.signOut': 'Sign out',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.incorrect': 'Incorrect username or password.',
  'login.notAForm': 'Send the sign-in form as a form.',
  'login.unreadable': 'The form could not be read.',
  'login.refused': 'This sign-in form has expired or was sent from another site, so you were not signed in. Sign in here.',
};

export const SAMPLE_PAGE_MESSAGES_DE: SamplePageMessages = {
  language: 'de',
  'home.title': 'Beispiel-App',
  'home.signedOut': 'Sie sind nicht angemeldet.',
  'home.signIn': 'Anmelden',
  'home.signedInAs': 'Angemeldet als',
  'home.approveDevice': 'Ein Gerät verbinden',
  'home.apiTokens': 'API-Tokens',
  'home.signOut': 'Abmelden',
  'login.title': 'Anmelden',
  'login.username': 'Benutzername',
  'login.password': 'Passwort',
  'login.submit': 'Anmelden',
  'login.incorrect': 'Benutzername oder Passwort ist falsch.',
  'login.notAForm': 'Senden Sie das Anmeldeformular als Formular.',
  'login.unreadable': 'Das Formular konnte nicht gelesen werden.',
  'login.refused':
    'Dieses Anmeldeformular ist abgelaufen oder wurde von einer anderen Website gesendet; Sie wurden nicht angemeldet. Melden Sie sich hier an.',
};
