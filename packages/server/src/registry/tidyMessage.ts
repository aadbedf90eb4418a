import { cutText } from '../shared/cutText.js';
import { oneLine } from '../shared/oneLine.js';

/** Messages are cut here so that one chatty check cannot crowd the probe's reply line. */
export const MAX_MESSAGE_CHARS = 200;

/**
 * A message as it may leave the process: one line without blanks at either end, at most
 * {@link MAX_MESSAGE_CHARS} characters. It may come out empty.
 */
export function tidyMessage(message: string): string {
  return cutText(oneLine(message).trim(), MAX_MESSAGE_CHARS);
}
