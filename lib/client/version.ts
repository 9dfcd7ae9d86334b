/** This package's version, for the User-Agent; a unit test keeps it equal to package.json's. */
export const KIT_VERSION = '0.1.0';
