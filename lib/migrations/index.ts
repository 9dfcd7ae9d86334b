import { DeviceAuthInitial1764000000000 } from './1764000000000-device-auth-initial';
import { DeviceAuthAppGrantsAndCodes1764200000000 } from './1764200000000-device-auth-app-grants-and-codes';
import { DeviceAuthOneStatementPoll1764300000000 } from './1764300000000-device-auth-one-statement-poll';
import { DeviceAuthPatExpiryWarnings1764400000000 } from './1764400000000-device-auth-pat-expiry-warnings';
import { DeviceAuthResourceIndicators1764500000000 } from './1764500000000-device-auth-resource-indicators';
import { DeviceAuthClientIdUrls1764600000000 } from './1764600000000-device-auth-client-id-urls';
import { DeviceAuthRepeatableDeviceExchange1764700000000 } from './1764700000000-device-auth-repeatable-device-exchange';
import { DeviceAuthPatPendingReveal1764850000000 } from './1764850000000-device-auth-pat-pending-reveal';

/** Add these to the host DataSource's `migrations` (they run on SQLite and PostgreSQL). */
export const DEVICE_AUTH_MIGRATIONS = [
  DeviceAuthInitial1764000000000,
  DeviceAuthAppGrantsAndCodes1764200000000,
  DeviceAuthOneStatementPoll1764300000000,
  DeviceAuthPatExpiryWarnings1764400000000,
  DeviceAuthResourceIndicators1764500000000,
  DeviceAuthClientIdUrls1764600000000,
  DeviceAuthRepeatableDeviceExchange1764700000000,
  DeviceAuthPatPendingReveal1764850000000,
];
