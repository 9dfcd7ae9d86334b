import { subjectClaim, userIdOfSubject } from '../../../lib/tokens/token-subject';

describe('token subjects (RFC 9068 §5)', () => {
  it('names a user by their id and an app by client:<client_id>', () => {
    expect(subjectClaim('ci-bot', 'user-1')).toBe('user-1');
    expect(subjectClaim('ci-bot', null)).toBe('client:ci-bot');
  });

  it('reads both back, and refuses an app subject that names another client', () => {
    expect(userIdOfSubject('user-1', 'ci-bot')).toBe('user-1');
    expect(userIdOfSubject('client:ci-bot', 'ci-bot')).toBeNull();
    expect(userIdOfSubject('client:other-bot', 'ci-bot')).toBeUndefined();
  });

  it('refuses to mint a user subject that could pass for an app', () => {
    expect(() => subjectClaim('ci-bot', 'client:ci-bot')).toThrow(/must not start with "client:"/);
  });
});
