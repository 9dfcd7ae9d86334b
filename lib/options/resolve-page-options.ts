import type { DeviceAuthMessages, DeviceAuthMessagesOption } from '../messages/messages';
import { DEFAULT_MESSAGES } from './defaults';
import { DeviceAuthOptionsError } from '../errors/options.error';

/** BCP 47 in its common shapes (`de`, `pt-BR`, `zh-Hant-TW`): it becomes `<html lang>`. */
export const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

/** Known keys only, each of its English default's kind: a typo would otherwise silently change nothing. */
function checkMessages(table: unknown): Partial<DeviceAuthMessages> {
  if (table === null || typeof table !== 'object' || Array.isArray(table)) {
    throw new DeviceAuthOptionsError('messages', 'must be an object of messages by key, or a function of Accept-Language returning one');
  }
  for (const [key, value] of Object.entries(table)) {
    if (!Object.hasOwn(DEFAULT_MESSAGES, key)) throw new DeviceAuthOptionsError('messages', `has an unknown key ${JSON.stringify(key)}`);
    const kind = typeof DEFAULT_MESSAGES[key as keyof DeviceAuthMessages];
    if (typeof value !== kind)
      throw new DeviceAuthOptionsError(`messages.${key}`, kind === 'function' ? 'must be a function of its values' : 'must be a string');
  }
  const { language } = table as Partial<DeviceAuthMessages>;
  if (language !== undefined && !LANGUAGE_TAG.test(language))
    throw new DeviceAuthOptionsError('messages.language', `must be a language tag such as "de", got ${JSON.stringify(language)}`);
  return table as Partial<DeviceAuthMessages>;
}

/** The complete table for a request's Accept-Language: the host's keys over the English defaults. */
export function resolveMessages(option: DeviceAuthMessagesOption = {}): (acceptLanguage: string | undefined) => DeviceAuthMessages {
  if (typeof option !== 'function') {
    const messages = { ...DEFAULT_MESSAGES, ...checkMessages(option) };
    return () => messages;
  }
  // Checked once now (the answer to no Accept-Language), and again on each request, for the other answers.
  checkMessages(option(undefined));
  return (acceptLanguage) => ({ ...DEFAULT_MESSAGES, ...checkMessages(option(acceptLanguage)) });
}
