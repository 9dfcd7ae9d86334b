/** What a started sample-app instance prints on stdout, so the test that started it learns its port. */
const PREFIX = 'sample-app instance listening on port ';

export const listeningLine = (port: number): string => `${PREFIX}${port}\n`;

/** The port a line of the instance's output announces, or undefined for any other line. */
export function announcedPort(line: string): number | undefined {
  return line.startsWith(PREFIX) ? Number(line.slice(PREFIX.length)) : undefined;
}
