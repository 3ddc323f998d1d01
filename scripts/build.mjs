// Bundles the CLI and the pure-JS packages it runs (Ink, React, the oci-*
// clients with oci-common and its dependencies, node-forge, undici) into
// dist/, so an install fetches our tarball and node-oracledb, and a cold start
// does not resolve hundreds of modules. Code splitting keeps each heavy part
// in chunks of its own that load only on the path that needs them: Ink/React
// for the interactive screen, each oci-* client in the adapter that calls it
// (dynamic import()), node-forge for the demo's simulator and the throw-away
// wallet.
//
// node-oracledb stays external, a real dependency: it finds its Thick-mode
// binary (build/Release/*.node) by paths relative to its own lib/ directory;
// its lib/oracledb.js says a bundle needs that directory copied beside it for
// Thick mode and nothing for Thin mode (oracle/node-oracledb#1156). The doctor
// itself uses Thin mode only; bundling that was tried (the direct-* demo
// scenarios pass) but the package is kept whole, so the driver is the one its
// documentation describes and users can upgrade it on its own.
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { patchStyledCharsToString } from './ink-patches.mjs';
import { BANNER, mergeChunks, outputOf, outputsOf, staticClosure } from './merge-chunks.mjs';

const root = new URL('..', import.meta.url).pathname;

/**
 * Ink's reconciler imports './devtools.js' (which needs react-devtools-core,
 * not a dependency) only when DEV=true; bundled, it would ship as a dead chunk.
 * Left as an unresolvable relative import, Ink prints its own "install
 * react-devtools-core" hint in that case, as it does in an unbundled install.
 */
const noInkDevtools = {
  name: 'no-ink-devtools',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) => (/[/\\]ink[/\\]build[/\\]/.test(args.importer) ? { path: './ink-devtools-not-bundled.js', external: true } : undefined));
  },
};

/**
 * An esbuild plugin that rewrites the files `filter` matches: `patch` gets a
 * file's text and path and returns the text to bundle, or throws when the file
 * no longer has the shape it expects (the build then fails, rather than ship
 * without the patch unnoticed).
 */
function sourcePatch(name, filter, patch) {
  return {
    name,
    setup(b) {
      b.onLoad({ filter }, async (args) => ({ contents: patch(await readFile(args.path, 'utf8'), args.path), loader: 'js' }));
    },
  };
}

/**
 * yoga-layout (Ink's layout engine) carries its WebAssembly as a base64 data:
 * URL and, wherever a global fetch exists, reads it with fetch(). In Node that
 * first loads Node's own fetch implementation (undici, inside Node) and then
 * decodes the URL through it: tens of milliseconds before Ink's first frame.
 * Its own synchronous decoder (the path it takes where fetch is missing) gives
 * the same bytes, so the bundle takes that path. The build fails if yoga's
 * code changes shape, rather than shipping without the patch unnoticed.
 */
const yogaWithoutFetch = sourcePatch('yoga-without-fetch', /[/\\]yoga-layout[/\\]dist[/\\]binaries[/\\]yoga-wasm-base64-esm\.js$/, (source, file) => {
  const fetchCheck = /\|\|"function"!=typeof fetch\?/g;
  const found = source.match(fetchCheck)?.length ?? 0;
  if (found !== 2) throw new Error(`yoga-without-fetch: expected 2 fetch checks in ${file}, found ${found}; review the patch`);
  return source.replace(fetchCheck, '||!0?');
});

/** Ink's row-to-text step without the per-cell style diff between like-styled cells (scripts/ink-patches.mjs). */
const styledCharsFastPath = sourcePatch('styled-chars-fast-path', /[/\\]@alcalzone[/\\]ansi-tokenize[/\\]build[/\\]styledChars\.js$/, patchStyledCharsToString);

/**
 * Each oci-* package's lib/{model,request,response}/index.js requires every
 * one of its modules up front (oci-database: 1,743 of them) only to re-export
 * one name from each; a run uses a handful. Bundled as they are, every one of
 * those module bodies is compiled and run when the client loads. Rewritten, each
 * re-export is a getter that requires its module on first use: the same
 * object, loaded when something reads it (the modules only define functions
 * and enums).
 *
 * Of the models, only those the bundle can reach are bundled at all: the ones
 * the package's own code kept in the bundle names (the client's kept methods,
 * its waiters: `model.Name` / `models.Name`), the ones named anywhere in src/,
 * and, transitively, the models those name. Reading any other gives an error
 * that says so, not undefined. The build fails if an index changes shape,
 * rather than shipping without the rewrite unnoticed.
 */
const MODEL_REFERENCE = /\bmodels?\.([A-Z]\w*)/g;

function reachableModels(indexPath, reExports) {
  const lib = dirname(dirname(indexPath));
  const reached = new Set();
  const queue = [];
  const reach = (text) => {
    for (const m of text.matchAll(MODEL_REFERENCE)) if (!reached.has(m[1])) reached.add(m[1]), queue.push(m[1]);
  };
  for (const f of readdirSync(lib)) {
    if (!f.endsWith('.js')) continue;
    reach(f === 'client.js' ? keptClientSource(join(lib, f)) : WAITER_FILE.test(f) ? keptWaiterSource(join(lib, f)) : readFileSync(join(lib, f), 'utf8'));
  }
  const byName = new Map(reExports.map((r) => [r.name, r]));
  const used = wordsOfSrc();
  for (const r of reExports) if (used.has(r.name) && !reached.has(r.name)) reached.add(r.name), queue.push(r.name);
  while (queue.length > 0) {
    const r = byName.get(queue.pop());
    if (r) reach(readFileSync(join(dirname(indexPath), `${r.path}.js`), 'utf8'));
  }
  return reached;
}

const lazyOciIndexes = sourcePatch('lazy-oci-indexes', /[/\\]oci-[a-z]+[/\\]lib[/\\](model|request|response)[/\\]index\.js$/, (source, file) => {
  const reExport = /^const (\w+) = __importStar\(require\("(\.\/[\w-]+)"\)\);\nexports\.(\w+) = \1\.(\w+);$/gm;
  const reExports = [...source.matchAll(reExport)].map((m) => ({ path: m[2], name: m[3], member: m[4] }));
  const reached = /[/\\]model[/\\]index\.js$/.test(file) ? reachableModels(file, reExports) : undefined;
  const pkg = /[/\\](oci-[a-z]+)[/\\]lib[/\\]/.exec(file)?.[1];
  let count = 0;
  const contents = source.replace(reExport, (_m, _local, path, name, member) => {
    count += 1;
    if (reached && !reached.has(name)) return `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: false, configurable: true, get: function () { return leftOut(${JSON.stringify(name)}); } });`;
    return `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, configurable: true, get: function () { return require(${JSON.stringify(path)}).${member}; } });`;
  });
  const leftOut = `function leftOut(name) { throw new Error(${JSON.stringify(`${pkg} model `)} + name + " is not in dbiam-doctor's bundle: nothing in it or in src/ names it (scripts/build.mjs, lazy-oci-indexes)"); }\n`;
  const eager = (contents.match(/= __importStar\(require\(/g) ?? []).length;
  // response/ and request/ indexes of small packages may hold no modules; an index with eager requires left is a new shape.
  if (eager > 1 || (count === 0 && /require\("\.\//.test(source))) throw new Error(`lazy-oci-indexes: ${file}: ${count} re-exports rewritten, ${eager} eager requires left; review the patch`);
  return reached ? leftOut + contents : contents;
});

/**
 * oci-common's index requires every one of its modules when it loads, among
 * them the instance, resource and OKE principal providers and the session
 * provider, and through them jsonwebtoken (with semver, jws, lodash) and the
 * federation clients, in a run that signs with an API key or a session
 * token (CPU profile of a demo: 20 of the 31 ms of oci-identity's first
 * import went to compiling oci-common's modules; 3 ms after this patch).
 * Rewritten, each export is a getter that requires its module on first
 * read: the same objects, loaded when something reads them. The build fails
 * if the index changes shape, rather than shipping without the rewrite
 * unnoticed.
 */
const lazyOciCommonIndex = sourcePatch('lazy-oci-common-index', /[/\\]oci-common[/\\]index\.js$/, (source, file) => {
  const declaration = /^const (\w+) = (__importStar|__importDefault)?\(?require\("(\.\/lib\/[\w/-]+)"\)\)?;$/gm;
  const modules = new Map();
  // The modules up to the retrier, which every client reads, load together and
  // in the index's order (and before any other): they require one another in
  // cycles (region and developertoolconfiguration) that resolve only in that
  // order.
  const coreLoads = [];
  let contents = source.replace(declaration, (_m, local, wrap, path) => {
    modules.set(local, path);
    const load = wrap ? `${wrap}(require(${JSON.stringify(path)}))` : `require(${JSON.stringify(path)})`;
    const inCore = coreLoads.length === 0 || !coreLoads.at(-1).endsWith('require("./lib/retrier");');
    if (inCore) coreLoads.push(`${local}$loaded = ${load};`);
    return `var ${local}$loaded; function ${local}$() { return ${local}$loaded || (core$(), ${local}$loaded${inCore ? '' : ` = ${load}`}); }`;
  });
  if (!coreLoads.at(-1)?.endsWith('require("./lib/retrier");')) throw new Error(`lazy-oci-common-index: ${file}: no ./lib/retrier among its modules; review the patch`);
  // A module that throws while loading throws again on the next read, as an eager index would have at every import.
  contents += `\nvar core$done; function core$() { if (core$done) return; core$done = true; try { ${coreLoads.join(' ')} } catch (e) { core$done = false; throw e; } }\n`;
  const getter = (name, value) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, configurable: true, get: function () { return ${value}; } });`;
  let exportsRewritten = 0;
  contents = contents.replace(/^exports\.(\w+) = (\w+)(\.\w+)?;$/gm, (m, name, local, member = '') => {
    if (!modules.has(local)) return m;
    exportsRewritten += 1;
    return getter(name, `${local}$()${member}`);
  });
  contents = contents.replace(/^Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)(\.\w+); \} \}\);$/gm, (m, name, local, member) => {
    if (!modules.has(local)) return m;
    exportsRewritten += 1;
    return getter(name, `${local}$()${member}`);
  });
  // Outside the loaders, no module is named but through its loader.
  const rest = contents.replace(/^var \w+\$loaded; function \w+\$\(\) \{[^\n]*\}$|^var core\$done; function core\$\(\) \{[^\n]*\}$|^\s*(\/\*\*?|\*|\/\/).*$/gm, '');
  const leftEager = [...modules.keys()].filter((local) => new RegExp(`(?<![\\w$."])${local}\\b(?!\\$)`).test(rest));
  if (modules.size < 20 || exportsRewritten < 40 || leftEager.length > 0 || /require\(/.test(rest)) {
    throw new Error(`lazy-oci-common-index: ${file}: ${modules.size} modules, ${exportsRewritten} exports rewritten, read eagerly: ${leftEager.join(', ') || 'none'}; review the patch`);
  }
  return contents;
});

/**
 * oci-common's request signer asks, before every signature, whether the
 * provider is a config file's `auth_type=instance_principal` stand-in
 * (lib/auth/helpers/delegate-auth-provider.js), and that module requires the
 * instance principal provider up front, which brings in the federation client
 * and jsonwebtoken (with semver, jws, lodash): compiled and run in every
 * process that signs a request, for a branch an API key never takes. Here the
 * provider is required where that branch builds it: the same module, loaded
 * when it is used. The build fails if the module changes shape.
 */
const instancePrincipalOnUse = sourcePatch('instance-principal-on-use', /[/\\]oci-common[/\\]lib[/\\]auth[/\\]helpers[/\\]delegate-auth-provider\.js$/, (source, file) => {
  const eager = 'const instance_principals_authentication_detail_provider_1 = __importDefault(require("../instance-principals-authentication-detail-provider"));';
  const use = 'new instance_principals_authentication_detail_provider_1.default()';
  if (source.split(eager).length !== 2 || source.split('instance_principals_authentication_detail_provider_1').length !== 3 || !source.includes(use)) {
    throw new Error(`instance-principal-on-use: ${file} uses the instance principal provider otherwise; review the patch`);
  }
  return source.replace(eager, '').replace(use, 'new (__importDefault(require("../instance-principals-authentication-detail-provider")).default)()');
});

/**
 * node-fetch 2 (oci-common loads it through isomorphic-fetch) requires
 * whatwg-url at load time for one fallback, `Url.URL || whatwgUrl.URL` (twice), read
 * only where Node's url module has no URL (Node < 10). Loading whatwg-url
 * builds tr46's Unicode mapping table (a 260 kB array): tens of milliseconds
 * of every OCI client's first load, for a value never read. Here node-fetch
 * gets Node's own URL in its place. The build fails if node-fetch reads
 * whatwg-url for anything else.
 */
const nodeFetchWithoutWhatwgUrl = sourcePatch('node-fetch-without-whatwg-url', /[/\\]node-fetch[/\\]lib[/\\]index\.js$/, (source, file) => {
  const require = "var whatwgUrl = _interopDefault(require('whatwg-url'));";
  const uses = source.match(/whatwgUrl/g)?.length ?? 0;
  const fallbacks = source.match(/= Url\.URL \|\| whatwgUrl\.URL;/g)?.length ?? 0;
  if (!source.includes(require) || fallbacks === 0 || uses !== 1 + fallbacks) throw new Error(`node-fetch-without-whatwg-url: ${file} uses whatwg-url otherwise; review the patch`);
  return source.replace(require, "var whatwgUrl = { URL: require('url').URL };");
});

/**
 * http-signature (which oci-common signs every request with) is handed the
 * private key as PEM and parses it with sshpk, in JavaScript, on every
 * request: about 2 ms each, tens of milliseconds in a run that makes a dozen
 * calls. Here the parsed key is kept by its PEM text, so each distinct key is
 * parsed once per process; the signature is made as before, by the same code
 * from the same key. The build fails if the parse it replaces changes shape.
 */
const httpSignatureKeyOnce = sourcePatch('http-signature-key-once', /[/\\]http-signature[/\\]lib[/\\]signer\.js$/, (source, file) => {
  const parse = "if (typeof (key) === 'string' || Buffer.isBuffer(key))\n        key = sshpk.parsePrivateKey(options.key);";
  if (source.split(parse).length !== 2) throw new Error(`http-signature-key-once: ${file} parses the key otherwise; review the patch`);
  const once = [
    'var parsedKeys = new Map();',
    'function parsedPrivateKey(pem) {',
    "  var text = typeof (pem) === 'string' ? pem : pem.toString('latin1');",
    '  var key = parsedKeys.get(text);',
    '  if (key === undefined) {',
    '    key = sshpk.parsePrivateKey(pem);',
    '    if (parsedKeys.size >= 16) parsedKeys.clear();',
    '    parsedKeys.set(text, key);',
    '  }',
    '  return key;',
    '}',
    '',
  ].join('\n');
  return once + source.replace(parse, "if (typeof (key) === 'string' || Buffer.isBuffer(key))\n        key = parsedPrivateKey(options.key);");
});

/**
 * sshpk signs (for http-signature, so for every OCI request) by handing
 * OpenSSL the key as PEM, re-encoded from its parts in JavaScript each time,
 * which OpenSSL then parses again: about a millisecond per request. Here a
 * key's first signature reads the PEM into a Node KeyObject kept on the key;
 * with the parsed key kept above, later requests sign with it directly. Same
 * key, same algorithm, same signature. The build fails if the line it
 * replaces changes.
 */
const sshpkKeyObjectOnce = sourcePatch('sshpk-key-object-once', /[/\\]sshpk[/\\]lib[/\\]private-key\.js$/, (source, file) => {
  const line = "var key = this.toBuffer('pkcs1');";
  if (source.split(line).length !== 2 || !source.includes("var crypto = require('crypto');")) throw new Error(`sshpk-key-object-once: ${file} signs otherwise; review the patch`);
  return source.replace(line, "var key = this._nodeKeyObject || (this._nodeKeyObject = crypto.createPrivateKey(this.toBuffer('pkcs1')));");
});

/** Every identifier in src/ (code, strings, comments): a name found there is taken as used. */
let srcWords;
function wordsOfSrc() {
  if (srcWords) return srcWords;
  srcWords = new Set();
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    for (const w of readFileSync(join(entry.parentPath ?? entry.path, entry.name), 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []) srcWords.add(w);
  }
  return srcWords;
}

/**
 * Each oci-* client is one class with a method per API operation (oci-database:
 * 470 of them, 1.4 MB of its 1.9 MB client.js) and the doctor calls a handful.
 * CommonJS classes are not tree-shaken, so every run that loads a client parsed
 * them all. This is the tree-shaking done by hand: an operation method, or a
 * paginator over one, whose name appears nowhere in src/ (code, strings or
 * comments: a name that is there is kept) is left out of the bundle; the
 * class, its constructor, accessors and helpers stay as they are. The build
 * fails when a method kept calls one left out (this.name(...)), and when a
 * client's shape is not the one this expects.
 */
/**
 * `source` with some of its classes' methods cut out: `drop` sees each method's
 * name and text and says whether it goes; the rest of the file is untouched.
 */
function withoutMethods(path, source, drop) {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const cuts = [];
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    for (const member of statement.members) {
      if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
      if (drop(member.name.text, member.getText(file))) cuts.push({ start: member.getFullStart(), end: member.getEnd() });
    }
  }
  let contents = source;
  for (const c of cuts.reverse()) contents = contents.slice(0, c.start) + contents.slice(c.end);
  return contents;
}

const keptClients = new Map();
function keptClientSource(path) {
  if (keptClients.has(path)) return keptClients.get(path);
  const used = wordsOfSrc();
  const dropped = new Set();
  const kept = [];
  let operations = 0;
  const contents = withoutMethods(path, readFileSync(path, 'utf8'), (name, text) => {
    const operation = /\bconst operationName = "/.test(text);
    const paginator = /^list\w*(RecordIterator|ResponseIterator)$|^listAll\w*$/.test(name);
    if (operation) operations += 1;
    if ((operation || paginator) && !used.has(name)) return dropped.add(name), true;
    kept.push({ name, text });
    return false;
  });
  if (operations === 0) throw new Error(`used-oci-operations: ${path}: no operation methods found; review the plugin`);
  for (const k of kept) {
    for (const m of k.text.matchAll(/\bthis\.(\w+)\(/g)) if (dropped.has(m[1])) throw new Error(`used-oci-operations: ${path}: ${k.name} calls ${m[1]}, which was left out; review the plugin`);
  }
  keptClients.set(path, contents);
  return contents;
}

/**
 * Each client's waiter class (lib/<service>-waiter.js) has a method per
 * operation or resource it can wait on (oci-database: 333 of them, a third of
 * the package's bundled code, and most of the models the bundle keeps are
 * named only there); the doctor waits on none. The same hand tree-shaking: a
 * `forX` method whose name appears nowhere in src/ is left out. The build
 * fails when a method kept calls a client operation that src/ does not name
 * (that operation was left out of the client above), and when a waiter's
 * shape is not the one this expects.
 */
const WAITER_FILE = /^[a-z]+-waiter\.js$/;
const keptWaiters = new Map();
function keptWaiterSource(path) {
  if (keptWaiters.has(path)) return keptWaiters.get(path);
  const used = wordsOfSrc();
  let waits = 0;
  const contents = withoutMethods(path, readFileSync(path, 'utf8'), (name, text) => {
    if (!/^for[A-Z]/.test(name)) return false;
    waits += 1;
    if (!used.has(name)) return true;
    for (const m of text.matchAll(/\bthis\.client\.(\w+)\(/g)) if (!used.has(m[1])) throw new Error(`used-oci-waiters: ${path}: ${name} calls the client's ${m[1]}, which was left out; review the plugin`);
    return false;
  });
  if (waits === 0) throw new Error(`used-oci-waiters: ${path}: no waiter methods found; review the plugin`);
  keptWaiters.set(path, contents);
  return contents;
}

const usedOciOperations = {
  name: 'used-oci-operations',
  setup(b) {
    b.onLoad({ filter: /[/\\]oci-[a-z]+[/\\]lib[/\\]client\.js$/ }, (args) => ({ contents: keptClientSource(args.path), loader: 'js' }));
    b.onLoad({ filter: /[/\\]oci-[a-z]+[/\\]lib[/\\][a-z]+-waiter\.js$/ }, (args) => ({ contents: keptWaiterSource(args.path), loader: 'js' }));
  },
};

/**
 * How dist/ is bundled, less its entry and output: exported so a benchmark
 * can bundle a floor script (scripts/floor-first-call.ts) exactly as the
 * doctor is, patches included.
 */
export const bundleOptions = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  external: ['oracledb'],
  plugins: [noInkDevtools, yogaWithoutFetch, styledCharsFastPath, lazyOciIndexes, lazyOciCommonIndex, instancePrincipalOnUse, nodeFetchWithoutWhatwgUrl, usedOciOperations, httpSignatureKeyOnce, sshpkKeyObjectOnce],
  banner: { js: BANNER },
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"' },
  logLevel: 'warning',
  absWorkingDir: root,
};

// Imported (by a benchmark), this module only gives its options.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDist();

async function buildDist() {
  rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
  const { metafile } = await build({ ...bundleOptions, entryPoints: { cli: 'src/bin.ts' }, outdir: 'dist', metafile: true });

  // A doctor run's files joined into three (scripts/merge-chunks.mjs): main.js
  // holds what dist/cli.js loads before anything else (dist/cli.js stays the
  // entry, importing it); the doctor's modules' file (the run, its live facts)
  // also takes the checks of the way to the database (the connect group, which
  // nearly every run selects) and their chunks; reports.js takes the chunks of
  // those that the commands which run no checks (diff, summarize, policy
  // explain, setup) share with a run (the report writers, the verdict), so
  // those commands do not load the run's code. The rest stays as esbuild split it.
  const outputs = outputsOf(metafile);
  const startup = staticClosure(outputs, 'cli.js');
  const doctor = outputOf(outputs, 'src/commands/doctor/load.ts');
  const connect = outputOf(outputs, 'src/checks/groups/connect.ts');
  const run = new Set([doctor, ...staticClosure(outputs, doctor), ...staticClosure(outputs, connect)].filter((f) => !startup.has(f)));
  const withoutChecks = ['src/commands/diff/command.ts', 'src/commands/summarize/command.ts', 'src/commands/policy-explain/command.ts', 'src/commands/setup/command.ts', 'src/ui/setup/run.tsx'];
  const shared = new Set(withoutChecks.flatMap((e) => [...staticClosure(outputs, outputOf(outputs, e))]).filter((f) => run.has(f) && f !== doctor));
  await mergeChunks(
    join(root, 'dist'),
    outputs,
    [
      { file: 'main.js', takes: [...startup] },
      { file: 'reports.js', takes: [...shared] },
      { file: doctor, takes: [...run].filter((f) => !shared.has(f)) },
    ],
    ['cli.js'],
  );
  chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
}
