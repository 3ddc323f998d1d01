// Loopback guard: no test, script or benchmark may reach an address other than
// loopback (127.0.0.0/8, ::1, localhost) — not the instance metadata address
// 169.254.169.254, not a private range, not a public name through DNS.
//
// Installed in every vitest worker (test/helpers/loopback-guard-setup.ts) and,
// through NODE_OPTIONS=--require, in every Node process they spawn (the built
// CLI, npm, the benchmark's runs). A blocked connect fails at once with
// ELOOPBACKGUARD (no hang), is printed on stderr, and is appended to the file
// named by DBIAM_LOOPBACK_GUARD_LOG so the test that caused it fails even when
// the product turned the error into a finding.
'use strict';
const net = require('node:net');
const dns = require('node:dns');
const fs = require('node:fs');
const childProcess = require('node:child_process');
const { syncBuiltinESMExports } = require('node:module');

const INSTALLED = Symbol.for('dbiam-doctor.loopback-guard');

/** True for names and addresses that stay on this machine. */
function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default host is localhost
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

function violations() {
  if (!globalThis.__dbiamLoopbackViolations) globalThis.__dbiamLoopbackViolations = [];
  return globalThis.__dbiamLoopbackViolations;
}

function record(what) {
  const line = `loopback guard: blocked ${what} (pid ${process.pid})`;
  violations().push(line);
  const log = process.env.DBIAM_LOOPBACK_GUARD_LOG;
  if (log) {
    try {
      fs.appendFileSync(log, `${line}\n`);
    } catch {
      // the log is a courtesy; the stderr line below still says it
    }
  }
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // stderr closed: nothing more to do
  }
}

function guardError(what) {
  const err = new Error(`loopback guard: ${what} is not a loopback address (tests reach 127.0.0.1 and ::1 only)`);
  err.code = 'ELOOPBACKGUARD';
  return err;
}

/** host and port of a Socket#connect call, whatever form its arguments take. */
function targetOf(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // net.connect passes its normalised [options, cb]
  if (first && typeof first === 'object') {
    if (typeof first.path === 'string') return undefined; // a Unix socket: local by nature
    return { host: first.host, port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // a socket path
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

/** The variables that carry the guard into a child (for environments built by hand, e.g. a pty helper's). */
function guardEnv() {
  const out = {};
  if (process.env.NODE_OPTIONS) out.NODE_OPTIONS = process.env.NODE_OPTIONS;
  if (process.env.DBIAM_LOOPBACK_GUARD_LOG) out.DBIAM_LOOPBACK_GUARD_LOG = process.env.DBIAM_LOOPBACK_GUARD_LOG;
  return out;
}

function install() {
  if (globalThis[INSTALLED]) return;
  globalThis[INSTALLED] = true;

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = targetOf(args);
    if (target && !isLoopbackHost(target.host)) {
      const what = `connect to ${target.host}:${target.port}`;
      record(what);
      const err = guardError(`${target.host}`);
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return connect.apply(this, args);
  };

  // Name lookups: only loopback names and literal addresses.
  const wrapCallback = (name, original) =>
    function guardedLookup(hostname, ...rest) {
      if (!isLoopbackHost(hostname) && !net.isIP(String(hostname))) {
        record(`dns.${name}(${hostname})`);
        const cb = rest.find((a) => typeof a === 'function');
        const err = guardError(String(hostname));
        err.code = 'ENOTFOUND';
        err.hostname = hostname;
        if (cb) process.nextTick(() => cb(err));
        return {};
      }
      return original.call(this, hostname, ...rest);
    };
  const wrapPromise = (name, original) =>
    async function guardedLookup(hostname, ...rest) {
      if (!isLoopbackHost(hostname) && !net.isIP(String(hostname))) {
        record(`dns.promises.${name}(${hostname})`);
        const err = guardError(String(hostname));
        err.code = 'ENOTFOUND';
        err.hostname = hostname;
        throw err;
      }
      return original.call(this, hostname, ...rest);
    };
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveSrv', 'resolveTxt']) {
    if (typeof dns[name] === 'function') dns[name] = wrapCallback(name, dns[name]);
    if (typeof dns.promises[name] === 'function') dns.promises[name] = wrapPromise(name, dns.promises[name]);
  }

  // Children inherit the guard even when a test hands them a whole environment.
  const withGuardEnv = (original) =>
    function guardedSpawn(...args) {
      const i = args.findIndex((a) => a && typeof a === 'object' && !Array.isArray(a));
      if (i >= 0 && args[i].env) {
        const extra = guardEnv();
        const env = { ...args[i].env };
        if (extra.NODE_OPTIONS && !String(env.NODE_OPTIONS ?? '').includes(extra.NODE_OPTIONS)) {
          env.NODE_OPTIONS = env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ${extra.NODE_OPTIONS}` : extra.NODE_OPTIONS;
        }
        if (extra.DBIAM_LOOPBACK_GUARD_LOG && !env.DBIAM_LOOPBACK_GUARD_LOG) env.DBIAM_LOOPBACK_GUARD_LOG = extra.DBIAM_LOOPBACK_GUARD_LOG;
        args[i] = { ...args[i], env };
      }
      return original.apply(this, args);
    };
  for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {
    childProcess[name] = withGuardEnv(childProcess[name]);
  }
  syncBuiltinESMExports();
}

/** Every violation seen so far, here and in children (through the log), and forgets them. */
function takeViolations() {
  const found = violations().splice(0);
  const log = process.env.DBIAM_LOOPBACK_GUARD_LOG;
  if (log) {
    try {
      found.push(...fs.readFileSync(log, 'utf8').split('\n').filter(Boolean));
      fs.writeFileSync(log, '');
    } catch {
      // no child has written yet
    }
  }
  return [...new Set(found)];
}

install();

module.exports = { isLoopbackHost, takeViolations, guardEnv };
