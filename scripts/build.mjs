// Bundles the CLI so a cold start does not resolve hundreds of modules.
// Ink/React land in a separate chunk loaded only for the interactive screen.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/bin.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  // Ink imports react-devtools-core only in its devtools mode. The OCI SDK,
  // node-oracledb and node-forge stay runtime dependencies, loaded with
  // import() by the checks that need them: they are CommonJS packages that
  // read files beside themselves, and most runs never touch oracledb.
  external: ['react-devtools-core', 'oci-*', 'oracledb', 'node-forge', 'undici'],
  // CommonJS dependencies (react) call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __doctorCreateRequire } from 'node:module'; const require = __doctorCreateRequire(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"' },
  logLevel: 'warning',
  absWorkingDir: new URL('..', import.meta.url).pathname,
});
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
