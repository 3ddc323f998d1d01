// A CommonJS package loaded with import(): Node gives its exports as named
// exports and as `default`; the bundle (dist/) gives them as `default` only.
// Read through this, one `await import('pkg')` works in both.
export function cjsModule<T extends object>(namespace: T): T {
  const exported = (namespace as { default?: unknown }).default;
  return exported !== null && typeof exported === 'object' ? (exported as T) : namespace;
}
