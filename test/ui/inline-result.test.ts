// What the screen leaves in the terminal's history when it closes: each
// problem, then what to do about it — the fix command, or the fix in words
// when it has none; never a command that only looks.
import { describe, expect, it } from 'vitest';
import type { Panel, ScreenModel } from '../../src/core/view-model.js';
import { inlineResult } from '../../src/ui/inline-result.js';

const LOOK = 'openssl s_client -connect db.example:1522 -servername db.example -showcerts </dev/null';

function panel(over: Partial<Panel>): Panel {
  return { key: 'k', status: 'fail', code: 'tls.untrusted-root', title: 'Untrusted root', checkTitle: 'TLS certificate chain', detail: '', evidence: [], fixText: '', commands: [], inspect: [], ...over };
}

function model(panels: Panel[]): ScreenModel {
  return { tool: { name: 'dbiam-doctor', version: '1.2.3' }, header: [], rows: [], summaryLine: '3 passed, 0 warnings, 2 failed, 0 errors, 0 skipped in 1.0 s', panels, done: true };
}

describe('inlineResult', () => {
  it('puts the fix command under its problem, and the fix in words when only commands that look exist', () => {
    const out = inlineResult(
      model([
        panel({ fixText: 'Trust the CA.', commands: ['export NODE_EXTRA_CA_CERTS=/path/to/ca.pem'], inspect: [LOOK] }),
        panel({
          key: 'k2',
          code: 'net.tcp-refused',
          title: 'Nothing listens on db.example:1522',
          checkTitle: 'DNS and TCP',
          fixText: 'Check the port in the connect string (1522 for TLS on Autonomous Database). Then run again.',
          inspect: ['nc -vz db.example 1522'],
        }),
      ]),
    );
    expect(out.split('\n')).toEqual([
      'dbiam-doctor 1.2.3',
      '3 passed, 0 warnings, 2 failed, 0 errors, 0 skipped in 1.0 s',
      '✖ Untrusted root (tls.untrusted-root · TLS certificate chain)',
      'export NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
      '✖ Nothing listens on db.example:1522 (net.tcp-refused · DNS and TCP)',
      '→ Check the port in the connect string.',
      '',
    ]);
  });
});
