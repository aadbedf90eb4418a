/** Messages are cut here so that one chatty check cannot crowd the probe's reply line. */
export const MAX_MESSAGE_CHARS = 200;

/**
 * Line breaks and other control characters. The CLI prints one line per probe and kubelet shows
 * it in pod events, so none of these may reach a message or a check name.
 */
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029]/u;
/** One of them and the blanks and control characters after it, which become one space. */
const CONTROL_RUN = /[\p{Cc}\u2028\u2029][\s\p{Cc}]*/gu;

/** Whether `text` shows as one line: no line break or other control character. */
export function isOneLine(text: string): boolean {
  return !CONTROL_CHARACTER.test(text);
}

/**
 * A message as it may leave the process: one line without blanks at either end, at most
 * {@link MAX_MESSAGE_CHARS} characters. It may come out empty.
 */
export function tidyMessage(message: string): string {
  const line = message.replace(CONTROL_RUN, ' ').trim();
  if (line.length <= MAX_MESSAGE_CHARS) return line;
  let end = MAX_MESSAGE_CHARS - 1;
  // Never leave half of a surrogate pair at the cut.
  if (/[\ud800-\udbff]/.test(line.charAt(end - 1))) end--;
  return `${line.slice(0, end)}…`;
}
