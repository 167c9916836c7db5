/**
 * Intl.DateTimeFormat objects, built once per language, options and time-zone offset. Building one costs a few hundred
 * times more than formatting with it (a 500-entry History view spent most of its time building one per row).
 * A format keeps the time zone it was built in, so the current offset is part of the key: a laptop that changes time
 * zone while the app sits in the tray shows the new zone's times, as a format built per call did.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang} ${new Date().getTimezoneOffset()} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, options);
    formats.set(key, format);
  }
  return format;
}
