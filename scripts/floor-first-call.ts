// A floor for the real-shaped benchmark (scripts/bench-latency.ts): a process
// that makes only the doctor's first OCI request, Who am I's GetUser, through
// the doctor's own adapter (src/adapters/oci-sdk.ts), bundled as dist/ is
// (scripts/build.mjs's options), with the session-token identity the served
// world's home holds. It checks nothing and prints no report: no doctor run
// can put that request on the wire sooner than this process does.
//
//   node <bundle> ENDPOINT USER_OCID TOKEN_FILE KEY_FILE REGION
import { readFileSync } from 'node:fs';
import { getUser } from '../src/adapters/oci-sdk.js';

const [endpoint, userId, tokenFile, keyFile, region] = process.argv.slice(2);
if (!endpoint || !userId || !tokenFile || !keyFile || !region) {
  process.stderr.write('usage: floor-first-call ENDPOINT USER_OCID TOKEN_FILE KEY_FILE REGION\n');
  process.exit(2);
}
const identity = { kind: 'token' as const, token: readFileSync(tokenFile, 'utf8').trim(), privateKeyPem: readFileSync(keyFile, 'utf8'), region };
const result = await getUser(identity, userId, { endpoints: { identity: endpoint }, env: {} });
process.stdout.write(result.ok ? `ok ${result.value.name}\n` : `failed ${result.status} ${result.code}\n`);
process.exitCode = result.ok ? 0 : 1;
