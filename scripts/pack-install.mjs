// The packed tarball installed into an empty prefix, as a user's
// `npm install dbiam-doctor` would lay it out: shared by the packaging test
// (test/e2e/pack.test.ts) and `npm run bench`, which both judge its weight.
//
// No registry and no warm npm cache are needed (`--offline`, and tests may not
// leave loopback): each runtime dependency is packed from the repo's own
// node_modules, i.e. the version package-lock.json pins, and handed to the same
// `npm install`, which satisfies the tarball's dependency with it instead of
// asking the registry for the newest match of its range.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function npmRun(args, cwd, env, what) {
  const r = spawnSync(npm, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${what} exited ${r.status ?? r.signal ?? r.error?.message}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

/** `npm install --offline` of `tarball` into `prefix`, with the package's runtime dependencies packed into `dest` first. */
export function installTarball({ root, tarball, prefix, dest, env = process.env }) {
  const deps = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {});
  const depTarballs = deps.map((name) => {
    const out = npmRun(['pack', '--json', '--ignore-scripts', '--pack-destination', dest], join(root, 'node_modules', name), env, `npm pack (in node_modules/${name})`);
    return join(dest, JSON.parse(out)[0].filename);
  });
  npmRun(['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel', 'error', tarball, ...depTarballs], prefix, env, 'npm install --offline <tarball>');
}

/** Bytes of every file under a node_modules directory, and its packages (directories holding a package.json, scoped or not). */
export function weighNodeModules(dir) {
  let bytes = 0;
  const packages = new Set();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (/(^|[/\\])node_modules$/.test(d) && existsSync(join(p, 'package.json'))) packages.add(relative(dir, p));
        else if (/(^|[/\\])node_modules$/.test(d) && e.name.startsWith('@')) for (const s of readdirSync(p)) if (existsSync(join(p, s, 'package.json'))) packages.add(relative(dir, join(p, s)));
        walk(p);
      } else if (e.isFile()) bytes += statSync(p).size;
    }
  };
  walk(dir);
  return { bytes, packages: [...packages] };
}
