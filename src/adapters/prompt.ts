// A password read from the terminal without echo: raw mode, so no character
// reaches the screen; Backspace edits, Enter ends, Ctrl+C cancels.

export type HiddenAnswer = { cancelled: false; value: string } | { cancelled: true };

/** The parts of a terminal stdin the prompt needs. */
export type PromptInput = Pick<NodeJS.ReadStream, 'isTTY' | 'isRaw' | 'setRawMode' | 'on' | 'off' | 'resume' | 'pause'>;

/** Whether `stdin` is a terminal the prompt can switch to raw mode. */
export function canPrompt(stdin: PromptInput | undefined): stdin is PromptInput {
  return stdin?.isTTY === true && typeof stdin.setRawMode === 'function';
}

export function readHidden(stdin: PromptInput, out: { write(s: string): unknown }, prompt: string): Promise<HiddenAnswer> {
  return new Promise((resolve) => {
    const wasRaw = stdin.isRaw === true;
    let chars: string[] = [];
    const finish = (answer: HiddenAnswer): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      out.write('\n');
      chars = [];
      resolve(answer);
    };
    // Inside an escape sequence (arrow keys: ESC [ A): skipped up to its final letter or ~.
    let escape: 'none' | 'esc' | 'csi' = 'none';
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (escape === 'esc') {
          escape = ch === '[' || ch === 'O' ? 'csi' : 'none';
          continue;
        }
        if (escape === 'csi') {
          if (/[A-Za-z~]/.test(ch)) escape = 'none';
          continue;
        }
        if (ch === '\r' || ch === '\n') return finish({ cancelled: false, value: chars.join('') });
        if (ch === '\u0003') return finish({ cancelled: true }); // Ctrl+C
        if (ch === '\u0004') return finish({ cancelled: false, value: chars.join('') }); // Ctrl+D ends the line too
        if (ch === '\u001b') escape = 'esc';
        else if (ch === '\u007f' || ch === '\b') chars.pop();
        else if (ch >= ' ') chars.push(ch); // other control characters are ignored
      }
    };
    const onEnd = (): void => finish({ cancelled: true });
    // Raw mode before the prompt shows: nothing typed early may echo, and Ctrl+C arrives as a key.
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
    out.write(prompt);
  });
}
