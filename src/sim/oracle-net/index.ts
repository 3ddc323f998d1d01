// The database stand-in behind the simulated listener: hand
// `adbBackend({ fixture, databaseId, issuer })` to `startListener({ database })`.
export { adbBackend, parseAuthHeader, runStatement, ORA_25707, ORA_25708, type AdbBackendOptions, type TokenRejection } from './adb.js';
export { ORA_00900, ORA_00942, type DatabaseBackend, type DbSession, type LogonVerdict, type OraError, type StatementAnswer, type TokenLogon } from './backend.js';
export { serveSession, type SessionEnd, type SessionLog, type SessionOptions } from './session.js';
