import { describedIn, describeScopes } from '../../../lib/pages/scope-descriptions';

describe('scope descriptions in the language of the page', () => {
  const profile = { en: 'Read your profile', de: 'Ihr Profil lesen', 'pt-BR': 'Ler seu perfil' };

  it.each([
    ['de', 'Ihr Profil lesen'],
    ['DE', 'Ihr Profil lesen'],
    ['de-AT', 'Ihr Profil lesen'],
    ['pt-BR', 'Ler seu perfil'],
    ['pt', 'Ler seu perfil'],
    ['en', 'Read your profile'],
    ['fr', 'Read your profile'],
  ])('a page in %s reads %j', (language, text) => {
    expect(describedIn(profile, language)).toBe(text);
  });

  it('takes the first text when there is neither the language nor English', () => {
    expect(describedIn({ de: 'Ihr Profil lesen', fr: 'Lire votre profil' }, 'ja')).toBe('Ihr Profil lesen');
  });

  it('finds English under a regional tag', () => {
    expect(describedIn({ de: 'Ihr Profil lesen', 'en-GB': 'Read your profile' }, 'fr')).toBe('Read your profile');
  });

  it('shows one text in every language', () => {
    expect(describedIn('Read your listings', 'de')).toBe('Read your listings');
  });

  it('lists the scopes in the order asked, a scope the server does not describe by its name', () => {
    expect(
      describeScopes({ 'user:read': profile, 'listings:read': 'Read your listings' }, ['listings:read', 'user:read', 'admin'], 'de'),
    ).toEqual([
      { name: 'listings:read', description: 'Read your listings' },
      { name: 'user:read', description: 'Ihr Profil lesen' },
      { name: 'admin', description: 'admin' },
    ]);
  });

  it('does not take a scope name from the object prototype for a description', () => {
    expect(describeScopes({}, ['constructor'], 'en')).toEqual([{ name: 'constructor', description: 'constructor' }]);
  });
});
