// The checks of the way to the database (the connect string, TCP, TLS, the
// wallet directory): loaded on their own when a run selects only these
// (`--only tls.chain`), as the OCI-side checks need much more code.
export { connectTargetCheck } from '../network/target.js';
export { reachCheck } from '../network/reach.js';
export { tlsChainCheck } from '../tls/chain.js';
export { walletDirCheck } from '../wallet/dir.js';
