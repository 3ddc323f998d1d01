// Copies text to the clipboard: OSC 52 through the terminal (works over SSH
// and in tmux with set-clipboard), plus the system clipboard tool when one exists.
import { spawn } from 'node:child_process';

export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

const TOOLS: Record<string, [string, string[]][]> = {
  darwin: [['pbcopy', []]],
  win32: [['clip', []]],
  linux: [
    ['wl-copy', []],
    ['xclip', ['-selection', 'clipboard']],
    ['xsel', ['--clipboard', '--input']],
  ],
};

function tryTool(cmd: string, args: string[], text: string, env: Record<string, string | undefined>): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok: boolean): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(ok);
      }
    };
    // The run's environment, the one the DISPLAY checks below read (the demo's keeps what the tools need).
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'ignore'], env });
    // A clipboard tool that waits for a display that is not there must not hang the screen.
    const timer = setTimeout(() => {
      child.kill();
      done(false);
    }, 2000);
    child.on('error', () => done(false));
    child.on('close', (code) => done(code === 0));
    child.stdin.on('error', () => done(false));
    child.stdin.end(text);
  });
}

/** Returns the name of the system tool that took the text, if any. */
export async function copyToSystemClipboard(text: string, platform: NodeJS.Platform, env: Record<string, string | undefined>): Promise<string | undefined> {
  for (const [cmd, args] of TOOLS[platform] ?? []) {
    if (platform === 'linux' && cmd === 'wl-copy' && !env.WAYLAND_DISPLAY) continue;
    if (platform === 'linux' && cmd !== 'wl-copy' && !env.DISPLAY) continue;
    if (await tryTool(cmd, args, text, env)) return cmd;
  }
  return undefined;
}
