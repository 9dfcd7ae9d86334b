import { type PersonalAccessTokenRefusal, refusalDescription } from './personal-access-token-refusal';

/** A refusal the caller can show as is (400 on the API, a message on the page). */
/** A PAT the service will not create, and why (`refusal`, for wording it in the user's language). */
export class PersonalAccessTokenError extends Error {
  constructor(readonly refusal: PersonalAccessTokenRefusal) {
    super(refusalDescription(refusal));
  }
}
