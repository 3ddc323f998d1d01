// tls.driver-too-old: "upgrade to N" for the client's driver release, when
// the TLS fix needs a setting it lacks (client-releases.ts) or a DN-matching
// bug of it (explain/known-bugs.ts) hits this certificate or connect string.
// python-oracledb's version comes from the probe, node-oracledb's from
// --project; without a version nothing is said.
import { CLIENT_RELEASES, missingReleases, type ClientRelease } from '../../core/client-releases.js';
import { dnMatchBugs, type DnMatchContext } from '../../core/tls/dn-match-bugs.js';
import type { DoctorDeps } from '../deps.js';
import type { ClientTrust } from './client-trust.js';

export interface DriverUpgrade {
  title: string;
  evidence: Record<string, string>;
  fixText: string;
  commands: string[];
}

/** The settings each client's CA fix hands over (clientTrustFix, and chain.ts's node fix). */
const CA_SETTINGS: Partial<Record<ClientTrust['client'], ClientRelease[]>> = {
  python: [CLIENT_RELEASES.pythonSslContext, CLIENT_RELEASES.pythonWalletOneWay],
  node: [CLIENT_RELEASES.nodeWalletContent],
};

function install(client: 'node' | 'python', version: string, deps: DoctorDeps): string {
  return client === 'python' ? `${deps.options.python ?? 'python3'} -m pip install --upgrade 'oracledb>=${version}'` : `npm install 'oracledb@>=${version}'`;
}

export function driverUpgrades(client: ClientTrust, deps: DoctorDeps, c: { needsCa: boolean; dn: DnMatchContext }): DriverUpgrade[] {
  const kind = client.client;
  const version = client.driverVersion;
  if ((kind !== 'python' && kind !== 'node') || !version) return [];
  const name = kind === 'python' ? 'python-oracledb' : 'node-oracledb';
  const where = kind === 'python' ? 'in the environment your program runs in' : `in ${deps.options.project ?? 'your application'}`;
  const out: DriverUpgrade[] = [];
  if (c.needsCa) {
    for (const { release: f, upgradeTo } of missingReleases(version, CA_SETTINGS[kind] ?? [])) {
      out.push({
        title: `${name} ${version}: ${f.without ?? `it predates ${f.feature}`} — upgrade to ${upgradeTo} or later`,
        evidence: { installed: `${name} ${version}`, needed: `${f.feature}, from ${upgradeTo}`, 'release notes': f.source },
        fixText: `Upgrade ${name} to ${upgradeTo} or later (${where}), then apply the ${f.feature} fix.`,
        commands: [install(kind, upgradeTo, deps)],
      });
    }
  }
  for (const bug of dnMatchBugs(kind, version, c.dn)) {
    const fixed = bug.fixedIn as string;
    out.push({
      title: `${name} ${version}: ${bug.what} — upgrade to ${fixed} or later`,
      evidence: { installed: `${name} ${version}`, 'fixed in': fixed, 'release notes': bug.source },
      fixText: `Upgrade ${name} to ${fixed} or later (${where}): the bug is in that release's DN matching; the match the doctor shows is what a fixed release decides.`,
      commands: [install(kind, fixed, deps)],
    });
  }
  return out;
}
