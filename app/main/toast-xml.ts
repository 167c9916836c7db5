/**
 * Windows toast XML for a notification with buttons (Electron's `actions` are macOS-only; `toastXml` is how Windows
 * gets buttons). Every text goes through one escaping function, so a Defender message or a path with `<`, `&` or a
 * quote can never change the document. The shape follows Microsoft's toast schema
 * (learn.microsoft.com/uwp/schemas/tiles/toastschema): `toast` holds one `visual` with one `binding` of template
 * `ToastGeneric` (at most three `text` elements: here title and body), then `actions` with at most five `action`
 * buttons. Every activation is `protocol`: a desktop app without a COM activator is started by its URL scheme
 * (activation.ts), and the single-instance handler hands the URL to the running app.
 */

/** The whole payload must stay under 5 KB, or Windows refuses it (0x803E0115 "notification content is too large"). */
export const TOAST_MAX_BYTES = 5 * 1024;
/** The `actions` element takes up to five buttons. */
export const TOAST_MAX_ACTIONS = 5;
/** A long body is cut here (Windows shows a few lines anyway); title and buttons are ours and short. */
const MAX_BODY = 600;

export interface ToastButton {
  content: string;
  /** The protocol URL Windows launches when the button is clicked. */
  uri: string;
}

export interface ToastSpec {
  title: string;
  body: string;
  /** The URL launched by a click on the toast itself. */
  launch: string;
  buttons: readonly ToastButton[];
  /** BCP-47 language of the texts (`en`, `ru`), for Windows' text shaping and screen readers. */
  lang: string;
}

/** XML-escapes text for an element or a double-quoted attribute; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- exactly the control characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function buildToastXml(spec: ToastSpec): string {
  if (spec.buttons.length > TOAST_MAX_ACTIONS) throw new RangeError(`a toast takes at most ${TOAST_MAX_ACTIONS} buttons`);
  const e = escapeXml;
  const buttons = spec.buttons.map((b) => `<action content="${e(b.content)}" arguments="${e(b.uri)}" activationType="protocol"/>`).join('');
  return (
    `<toast launch="${e(spec.launch)}" activationType="protocol">` +
    `<visual><binding template="ToastGeneric" lang="${e(spec.lang)}">` +
    `<text>${e(spec.title)}</text><text>${e(clip(spec.body, MAX_BODY))}</text>` +
    `</binding></visual>` +
    (buttons ? `<actions>${buttons}</actions>` : '') +
    `</toast>`
  );
}
