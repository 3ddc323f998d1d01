// Preloaded into a CLI a test starts (--require): every RSA key the process
// makes, through either of node:crypto's key generators, is logged as one line
// to $DBIAM_KEYGEN_LOG. ES modules' named imports of node:crypto see the
// wrappers too (module.syncBuiltinESMExports).
'use strict';
const crypto = require('node:crypto');
const { appendFileSync } = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');

const log = process.env.DBIAM_KEYGEN_LOG;
if (log) {
  for (const name of ['generateKeyPair', 'generateKeyPairSync']) {
    const real = crypto[name];
    crypto[name] = function logged(type, options, ...rest) {
      appendFileSync(log, `${name} ${type} ${options && options.modulusLength}\n`);
      return real.call(this, type, options, ...rest);
    };
  }
  syncBuiltinESMExports();
}
