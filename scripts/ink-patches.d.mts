export function patchStyledCharsToString(source: string): string;
