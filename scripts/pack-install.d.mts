export function installTarball(opts: { root: string; tarball: string; prefix: string; dest: string; env?: NodeJS.ProcessEnv }): void;
export function weighNodeModules(dir: string): { bytes: number; packages: string[] };
