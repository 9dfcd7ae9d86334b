/** Start-up fails with this, naming the option, rather than the first request failing later. */
export class DeviceAuthOptionsError extends Error {
  constructor(option: string, problem: string) {
    super(`nest-device-auth: option "${option}" ${problem}`);
    this.name = 'DeviceAuthOptionsError';
  }
}
