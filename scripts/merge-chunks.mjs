// Joins the chunks a doctor run always loads into a few files, after the
// code-splitting build. esbuild splits by which entry points reach a module:
// every dynamic import() is an entry, and modules shared by different sets of
// them land in chunks of their own. A `--only tls.chain` run loaded 27 files
// that way, most of them a few hundred bytes, and in Node 20 each file costs
// the ES module loader a resolve, a read, a compile and a link.
//
// A host file takes in a set of chunks (a second esbuild pass bundles them
// into it); each chunk it took keeps its file name as a stub that re-exports
// the same bindings from the host, so the modules that still import it get
// the one instance there is, never a copy. A stub nothing imports any more is
// removed. The chunks a host takes are evaluated when the host is, in the
// order their importers gave them: a host takes only chunks that the files
// loaded with it import statically (and the dynamic entries named, which are
// then evaluated with the host rather than on their import()).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The line every output file starts with (build.mjs's banner): CommonJS packages (react, oci-*) call require(), so the ESM bundle gives them one. */
export const BANNER = "import { createRequire as __doctorCreateRequire } from 'node:module'; const require = __doctorCreateRequire(import.meta.url);";

/** The export name a host gives a chunk's export. */
const alias = (chunk, name) => `__m_${chunk.replace(/\W/g, '_')}_${name}`;

/** The build's JavaScript outputs by file name: what each imports (its own files only), exports, and was built from. */
export function outputsOf(metafile) {
  const outputs = new Map();
  for (const [path, o] of Object.entries(metafile.outputs)) {
    if (!path.endsWith('.js')) continue;
    outputs.set(basename(path), { imports: o.imports.filter((i) => !i.external).map((i) => ({ path: basename(i.path), kind: i.kind })), exports: o.exports, entryPoint: o.entryPoint });
  }
  return outputs;
}

/**
 * @param {string} outdir the build's output directory
 * @param {ReturnType<typeof outputsOf>} outputs
 * @param {{ file: string, takes: string[] }[]} hosts each host: the file it is
 *   written to and the files it takes; it keeps the exports of the first
 * @param {string[]} entries the files run directly (kept though nothing imports them)
 */
export async function mergeChunks(outdir, outputs, hosts, entries) {
  const source = new Map([...outputs.keys()].map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));

  /** file → the host file that took it */
  const hostOf = new Map();
  const plans = hosts.map((h) => {
    const takes = h.takes.filter((f) => !hostOf.has(f));
    for (const f of takes) {
      if (!outputs.has(f)) throw new Error(`merge-chunks: ${h.file} would take ${f}, which the build did not write`);
      hostOf.set(f, h.file);
    }
    return { file: h.file, takes };
  });

  for (const plan of plans) {
    const [own] = plan.takes;
    const taken = new Set(plan.takes);
    // The host's own exports under their names (a default too), then every taken chunk's under its aliases, in the order given.
    const ownExports = outputs.get(own).exports;
    const entry = [
      ownExports.length === 0 ? `import ${JSON.stringify(`./${own}`)};` : `export { ${ownExports.join(', ')} } from ${JSON.stringify(`./${own}`)};`,
      ...plan.takes.map((f) => (outputs.get(f).exports.length === 0 ? `import ${JSON.stringify(`./${f}`)};` : `export { ${outputs.get(f).exports.map((e) => `${e} as ${alias(f, e)}`).join(', ')} } from ${JSON.stringify(`./${f}`)};`)),
    ];
    const result = await build({
      stdin: { contents: entry.join('\n'), resolveDir: outdir, sourcefile: `${plan.file} (merged)`, loader: 'js' },
      write: false,
      outfile: join(outdir, plan.file),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minify: true,
      legalComments: 'none',
      external: ['oracledb'],
      banner: { js: BANNER },
      logLevel: 'warning',
      plugins: [
        {
          name: 'merge-chunks',
          setup(b) {
            b.onResolve({ filter: /^\.\/[\w.-]+\.js$/ }, (args) => {
              const f = args.path.slice(2);
              if (args.namespace === 'stub') return { path: args.path, external: true };
              if (args.kind === 'dynamic-import' || !outputs.has(f)) return { path: args.path, external: true };
              if (taken.has(f)) return { path: f, namespace: 'stage1' };
              if (hostOf.has(f)) return { path: f, namespace: 'stub' };
              return { path: args.path, external: true };
            });
            // Each chunk declares its own `require` (the banner): one per file is enough, and the host has it.
            b.onLoad({ filter: /.*/, namespace: 'stage1' }, (args) => {
              const text = source.get(args.path).replace(/^#!.*\n/, '');
              if (!text.startsWith(BANNER)) throw new Error(`merge-chunks: ${args.path} does not start with the require banner; review the step`);
              return { contents: text.slice(BANNER.length), resolveDir: outdir, loader: 'js' };
            });
            b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubSource(args.path), resolveDir: outdir, loader: 'js' }));
          },
        },
      ],
    });
    writeFileSync(join(outdir, plan.file), result.outputFiles[0].text);
  }

  function stubSource(f) {
    const names = outputs.get(f).exports;
    const from = JSON.stringify(`./${hostOf.get(f)}`);
    const hashbang = /^#!.*\n/.exec(source.get(f))?.[0] ?? '';
    return hashbang + (names.length === 0 ? `import ${from};\n` : `export { ${names.map((e) => `${alias(f, e)} as ${e}`).join(', ')} } from ${from};\n`);
  }
  const hostFiles = new Set(plans.map((p) => p.file));
  for (const f of hostOf.keys()) if (!hostFiles.has(f)) writeFileSync(join(outdir, f), stubSource(f));

  // A stub that no remaining file imports is dead weight.
  const present = new Set([...outputs.keys(), ...hostFiles]);
  for (;;) {
    const referenced = new Set();
    for (const f of present) for (const m of readFileSync(join(outdir, f), 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])\.\/([\w.-]+\.js)\1/g)) referenced.add(m[2]);
    const dead = [...hostOf.keys()].filter((f) => present.has(f) && !hostFiles.has(f) && !entries.includes(f) && !referenced.has(f));
    if (dead.length === 0) break;
    for (const f of dead) rmSync(join(outdir, f)), present.delete(f);
  }
}

/** The files a file statically imports, itself included, transitively. */
export function staticClosure(outputs, file) {
  const seen = new Set([file]);
  const queue = [file];
  for (let f = queue.pop(); f !== undefined; f = queue.pop()) {
    for (const i of outputs.get(f)?.imports ?? []) if (i.kind === 'import-statement' && !seen.has(i.path)) seen.add(i.path), queue.push(i.path);
  }
  return seen;
}

/** The output file built from an entry point (a source path such as src/commands/doctor/load.ts). */
export function outputOf(outputs, entryPoint) {
  const found = [...outputs].find(([, o]) => o.entryPoint === entryPoint);
  if (!found) throw new Error(`merge-chunks: no output for ${entryPoint}`);
  return found[0];
}
