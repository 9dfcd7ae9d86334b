function scopeList(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((name) => name !== ''))];
}

/** True when every scope of `requested` is among `granted` (both space-delimited). */
export function scopeCovers(granted: string, requested: string): boolean {
  const grantedScopes = scopeList(granted);
  return scopeList(requested).every((scope) => grantedScopes.includes(scope));
}

export { scopeList };
