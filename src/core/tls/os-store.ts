// Where each OS keeps its CA bundle as one PEM file, by documented path, so
// the OS store can be read on every Node version (tls.getCACertificates only
// exists from Node 22.15 / 23.10). macOS keeps its roots in the keychain and
// Windows in the registry-backed certificate store: neither is a file.
export const OS_BUNDLE_FILES: readonly { path: string; os: string }[] = [
  { path: '/etc/ssl/certs/ca-certificates.crt', os: 'Debian/Ubuntu' },
  { path: '/etc/pki/tls/certs/ca-bundle.crt', os: 'Fedora/RHEL family' },
  { path: '/etc/ssl/ca-bundle.pem', os: 'openSUSE' },
  { path: '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', os: 'CentOS/RHEL 7+' },
  { path: '/etc/ssl/cert.pem', os: 'Alpine' },
];

/** Why the OS store has no file to read on this platform, or undefined when it may. */
export function osStoreNotAFile(platform: string): string | undefined {
  if (platform === 'darwin') return 'macOS keeps its roots in the keychain (security find-certificate -a -p lists them), not in a file the doctor reads';
  if (platform === 'win32') return 'Windows keeps its roots in the system certificate store (certutil -store Root lists them), not in a file the doctor reads';
  return undefined;
}
