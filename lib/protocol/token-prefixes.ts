/** Token prefixes, one per kind, so a leaked value says what it is (and secret scanners can match it). */
export const TOKEN_PREFIX = {
  deviceCode: 'bdc_',
  refreshToken: 'brt_',
  authorizationCode: 'bac_',
} as const;
