/**
 * 1 MiB: more than any CI file or manifest a person writes.
 * @public
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/**
 * The note for a file over the size limit, the same wherever it was skipped.
 * @public
 */
export const oversizedNote = (size: number, maxBytes: number) =>
  `Skipped: ${size} bytes is more than the limit of ${maxBytes} bytes`;

// Git's own heuristic: a NUL byte in the first 8000 bytes means binary.
const BINARY_SNIFF_BYTES = 8000;

/** The file's text, or why it was skipped. */
export function readText(
  content: Buffer | string,
  maxBytes: number,
): { text: string } | { skipped: string } {
  const size =
    typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > maxBytes) {
    return {
      skipped: oversizedNote(size, maxBytes),
    };
  }
  const binary =
    typeof content === 'string'
      ? content.slice(0, BINARY_SNIFF_BYTES).includes('\u0000')
      : content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
  if (binary) {
    return { skipped: 'Skipped: binary content' };
  }
  const text = typeof content === 'string' ? content : content.toString('utf8');
  return { text: text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n') };
}

/** Repository-relative with `/` separators and no leading `./` or `/`. */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
}
