/**
 * The CLI's words, from the one message table, always in English: scripts match its output, and a console's code page
 * may not show Cyrillic.
 */
import { renderMessage, translator, type Message } from '../../shared/messages';

export const t = translator('en');

export function say(m: Message): string {
  return renderMessage('en', m);
}
