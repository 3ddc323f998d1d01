// node-oracledb ships no type declarations; the adapter (src/adapters/oracle-db.ts)
// types the small part of it the doctor uses.
declare module 'oracledb' {
  const oracledb: unknown;
  export default oracledb;
}
