// The drivers' release notes, each at the commit read: the one place their
// addresses are written (client-releases.ts and explain/known-bugs.ts cite them).

/** python-oracledb's release notes. */
export const PY_NOTES = 'https://github.com/oracle/python-oracledb/blob/60eb3222453860a394a03b1ef392a41fd701b2d5/doc/src/release_notes.rst';
/** node-oracledb's release notes. */
export const NODE_NOTES = 'https://github.com/oracle/node-oracledb/blob/b7d957d6720ca106e639793aba6b659bfe3b0119/doc/src/release_notes.rst';
