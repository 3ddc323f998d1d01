// The statements that prove the chain end to end, run as the principal: who
// the database thinks the session is, and the roles it holds. One owner for
// both paths (node-oracledb direct, and Database Tools' executeSql).
export const IDENTITY_QUERY =
  "select sys_context('userenv','current_schema'), sys_context('userenv','session_user'), sys_context('userenv','authenticated_identity'), sys_context('userenv','authentication_method'), sys_context('userenv','enterprise_identity') from dual";
export const ROLES_QUERY = 'select role from session_roles order by role';
