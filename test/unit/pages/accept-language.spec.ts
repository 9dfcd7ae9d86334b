import { DEVICE_AUTH_MESSAGES_DE, messagesByLanguage } from '../../../lib';

const FRENCH = { language: 'fr', 'enterCode.title': 'Connecter un appareil' };
const pick = messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE, fr: FRENCH });
const languageFor = (acceptLanguage: string | undefined) => pick(acceptLanguage).language ?? 'en';

describe('messagesByLanguage: the table for an Accept-Language header', () => {
  it.each<[string | undefined, string]>([
    [undefined, 'en'],
    ['', 'en'],
    ['de', 'de'],
    ['DE-at', 'de'],
    ['fr-CA,fr;q=0.9', 'fr'],
    ['it, de;q=0.5', 'de'],
    ['en-US,de;q=0.9', 'en'],
    ['de;q=0.4, fr;q=0.8', 'fr'],
    ['fr;q=0, de', 'de'],
    ['*, fr;q=0.5', 'fr'],
    ['it, es', 'en'],
    ['de;q=garbage', 'de'],
  ])('%p → %s', (acceptLanguage, language) => {
    expect(languageFor(acceptLanguage)).toBe(language);
  });

  it('answers with the table given, so keys it lacks fall back to English', () => {
    expect(pick('fr')).toBe(FRENCH);
  });
});
