// Two of undici's own modules behind its index, which loads fetch, WebSocket,
// the cache and mock APIs too: without a proxy the doctor loads only the
// dispatcher it installs (src/adapters/proxy.ts). Their types are the index's.
declare module 'undici/lib/global.js' {
  export { setGlobalDispatcher, getGlobalDispatcher } from 'undici';
}
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
