// Driver releases that brought a TLS setting the doctor's fixes use, from the
// driver's release notes: a version before `since` cannot follow the fix, and
// "upgrade to `since`" is the finding.
import { PY_NOTES as NOTES } from '../client-releases.js';
import { compareVersions } from '../explain/known-bugs.js';

export interface DriverFeature {
  driver: 'python-oracledb';
  /** First release that has it. */
  since: string;
  /** The setting, as the fix names it. */
  setting: string;
  /** What is missing before `since`, in one sentence. */
  without: string;
  source: string;
}

export const DRIVER_FEATURES = {
  pythonSslContext: {
    driver: 'python-oracledb',
    since: '2.0.0',
    setting: 'ssl_context',
    without: 'connect() has no ssl_context parameter, so a CA file (or certifi) cannot be handed to it',
    source: `${NOTES} (2.0.0: parameter ssl_context added, issue 259)`,
  },
  pythonWalletOneWay: {
    driver: 'python-oracledb',
    since: '1.2.0',
    setting: 'wallet_location',
    without: 'thin mode cannot use a wallet for one-way TLS: only certificates the OS recognises are trusted',
    source: `${NOTES} (1.2.0: wallet for one-way TLS connections, issue 65)`,
  },
} as const satisfies Record<string, DriverFeature>;

/** The features `version` lacks, of those given; nothing when the version is unknown. */
export function missingFeatures(version: string | undefined, features: readonly DriverFeature[]): DriverFeature[] {
  if (!version || !/^\d+(\.\d+)*/.test(version)) return [];
  return features.filter((f) => compareVersions(version, f.since) < 0);
}
