// Turning a descriptor's retries off for the doctor's one probe, and saying
// what the user's driver would do with them (node-oracledb connStrategy.js:
// 1 + RETRY_COUNT rounds, RETRY_DELAY seconds apart, 1 s when unset).
import { describe, expect, it } from 'vitest';
import { retryStory, withoutRetries } from '../../src/core/connect/retry.js';
import { resolveConnectTarget } from '../../src/core/connect/resolve.js';

const ADB = '(description= (retry_count=20)(retry_delay=3)(address=(protocol=tcps)(port=1522)(host=adb.us-ashburn-1.oraclecloud.com))(connect_data=(service_name=abc_low.adb.oraclecloud.com))(security=(ssl_server_dn_match=yes)))';

describe('retries', () => {
  it('an ADB descriptor resolves with its retry plan', () => {
    const r = resolveConnectTarget(ADB);
    expect(r.ok && r.target.retry).toEqual({ count: 20, delaySeconds: 3 });
    const ez = resolveConnectTarget('tcps://db.example.com:1522/svc?retry_count=5');
    expect(ez.ok && ez.target.retry).toEqual({ count: 5 });
  });

  it('withoutRetries sets RETRY_COUNT=0 in every DESCRIPTION and keeps the rest', () => {
    expect(withoutRetries(ADB)).toBe(
      '(description=(RETRY_COUNT=0)(address=(protocol=tcps)(port=1522)(host=adb.us-ashburn-1.oraclecloud.com))(connect_data=(service_name=abc_low.adb.oraclecloud.com))(security=(ssl_server_dn_match=yes)))',
    );
    const list = '(DESCRIPTION_LIST=(DESCRIPTION=(RETRY_COUNT=3)(ADDRESS=(PROTOCOL=TCPS)(HOST=a)(PORT=1522)))(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=b)(PORT=1522))))';
    expect(withoutRetries(list)).toBe('(DESCRIPTION_LIST=(DESCRIPTION=(RETRY_COUNT=0)(ADDRESS=(PROTOCOL=TCPS)(HOST=a)(PORT=1522)))(DESCRIPTION=(RETRY_COUNT=0)(ADDRESS=(PROTOCOL=TCPS)(HOST=b)(PORT=1522))))');
    expect(withoutRetries('(DESCRIPTION=(ADDRESS=')).toBe('(DESCRIPTION=(ADDRESS=');
  });

  it('retryStory says how long the driver would keep trying', () => {
    expect(retryStory({ count: 20, delaySeconds: 3 }, 1)).toMatch(/^node-oracledb would try 21 times \(retry_count=20\), 3 s apart: about 60 s, plus each attempt's own time, before it reports this error\./);
    expect(retryStory({ count: 4 }, 2)).toMatch(/^node-oracledb would try the 2 addresses 5 times \(retry_count=4\), 1 s apart \(the default delay\): about 4 s/);
    expect(retryStory({ count: 0 }, 1)).toBeUndefined();
    expect(retryStory(undefined, 1)).toBeUndefined();
  });
});
