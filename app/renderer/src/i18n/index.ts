/** The renderer's view of the one message table (app/shared/messages): the same keys, texts and formatting as main's. */
export {
  COUNTS,
  DICTIONARIES,
  formatAgo,
  formatCount,
  formatDateTime,
  formatElapsed,
  formatTime,
  renderMessage,
  resolveLanguage,
  translator,
  type CountKey,
  type Lang,
  type Message,
  type MessageKey,
  type Translate,
  type Vars,
} from '../../../shared/messages';
