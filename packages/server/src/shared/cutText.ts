/**
 * The one rule for cutting text that is too long: it ends in an ellipsis (`…`), counted in the
 * limit, and never splits a character (half of a surrogate pair, or of a UTF-8 sequence). The
 * server counts characters (messages, lines of text); the CLI counts bytes (Docker and kubelet
 * keep bytes).
 */
const ELLIPSIS = '…';

/** `text` in at most `maxChars` UTF-16 code units, the last of them `…` when it is cut. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, whole(text, maxChars - ELLIPSIS.length))}${ELLIPSIS}`;
}

/** `text` in at most `maxBytes` of UTF-8, ending in `…` (3 bytes) when it is cut. */
export function cutBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let end = Math.min(text.length, maxBytes);
  while (end > 0 && Buffer.byteLength(text.slice(0, end)) > maxBytes - 3) end--;
  return `${text.slice(0, whole(text, end))}${ELLIPSIS}`;
}

/** `end`, or one less when the cut would leave half of a surrogate pair before it. */
function whole(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
