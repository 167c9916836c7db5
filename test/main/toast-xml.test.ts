/**
 * Every toast the app can show, in both languages, against the rules of Microsoft's toast schema that apply
 * (learn.microsoft.com/uwp/schemas/tiles/toastschema): element names and nesting, one ToastGeneric binding with at most
 * three texts, at most five actions each with content and arguments, activation types the schema knows, and the 5 KB
 * payload limit; and a builder that escapes whatever text it is given.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activationUrl, createTokenBook, findActivation, PROTOCOL_SCHEME } from '../../app/main/activation';
import {
  freshnessNotification,
  notificationContent,
  notificationFor,
  reminderNotification,
  type NotificationSpec,
} from '../../app/main/notifications';
import { buildToastXml, TOAST_MAX_BYTES } from '../../app/main/toast-xml';
import type { Lang } from '../../app/shared/messages';
import { outcomeOf } from '../support/outcome';
import { child, descendants, parseXml, type XmlElement } from '../support/xml';

/** Element → the attributes the schema defines for it, and the children it may hold. */
const SCHEMA: Record<string, { attributes: string[]; children: string[] }> = {
  toast: {
    attributes: ['launch', 'duration', 'displayTimestamp', 'scenario', 'useButtonStyle', 'activationType'],
    children: ['visual', 'audio', 'commands', 'actions', 'header'],
  },
  visual: { attributes: ['lang', 'baseUri', 'addImageQuery', 'version'], children: ['binding'] },
  binding: { attributes: ['template', 'fallback', 'lang', 'addImageQuery', 'baseUri'], children: ['text', 'image', 'group'] },
  text: { attributes: ['id', 'lang', 'placement', 'hint-callScenarioCenterAlign', 'hint-maxLines'], children: [] },
  actions: { attributes: [], children: ['input', 'action'] },
  action: {
    attributes: [
      'content',
      'arguments',
      'activationType',
      'afterActivationBehavior',
      'placement',
      'imageUri',
      'hint-inputId',
      'hint-buttonStyle',
      'hint-toolTip',
    ],
    children: [],
  },
};
const ACTIVATION_TYPES = ['foreground', 'background', 'protocol'];

function checkElement(element: XmlElement): void {
  const rule = SCHEMA[element.name];
  assert.ok(rule, `<${element.name}> is not an element of the toast schema`);
  for (const name of Object.keys(element.attributes)) assert.ok(rule.attributes.includes(name), `<${element.name} ${name}> is not in the schema`);
  for (const c of element.children) {
    assert.ok(rule.children.includes(c.name), `<${c.name}> may not sit in <${element.name}>`);
    checkElement(c);
  }
}

function validateToast(xml: string): XmlElement {
  assert.ok(Buffer.byteLength(xml, 'utf16le') <= TOAST_MAX_BYTES, `payload of ${Buffer.byteLength(xml, 'utf16le')} bytes is over 5 KB`);
  const toast = parseXml(xml);
  assert.equal(toast.name, 'toast');
  checkElement(toast);
  const visual = toast.children.filter((c) => c.name === 'visual');
  assert.equal(visual.length, 1, 'exactly one <visual>');
  const bindings = visual[0]!.children.filter((c) => c.name === 'binding');
  assert.equal(bindings.length, 1, 'exactly one <binding>');
  assert.equal(bindings[0]!.attributes.template, 'ToastGeneric');
  const texts = descendants(bindings[0]!, 'text');
  assert.ok(texts.length >= 1 && texts.length <= 3, 'one to three texts');
  for (const text of texts) assert.notEqual(text.text.trim(), '', 'no empty text');
  const actions = descendants(toast, 'action');
  assert.ok(actions.length <= 5, 'at most five actions');
  for (const action of [toast, ...actions]) {
    const type = action.attributes.activationType ?? 'foreground';
    assert.ok(ACTIVATION_TYPES.includes(type), `activationType ${type}`);
    const target = action.name === 'toast' ? action.attributes.launch : action.attributes.arguments;
    assert.ok(target, `<${action.name}> has its ${action.name === 'toast' ? 'launch' : 'arguments'}`);
    if (type === 'protocol') assert.ok(findActivation([target]), `${target} is one of this app's own URLs`);
  }
  for (const action of actions) assert.notEqual(action.attributes.content?.trim() ?? '', '', 'a button has a label');
  return toast;
}

function everySpec(lang: Lang): NotificationSpec[] {
  return [
    notificationFor(outcomeOf({ result: 'reboot-required' }), lang)!,
    reminderNotification(lang),
    freshnessNotification({ kind: 'old', days: 45 }, lang),
    freshnessNotification({ kind: 'failing' }, lang),
  ];
}

for (const lang of ['en', 'ru'] as const) {
  test(`every toast with buttons is valid toast XML (${lang})`, () => {
    const book = createTokenBook(() => 'abcdefghijklmnop0123');
    for (const spec of everySpec(lang)) {
      const content = notificationContent(spec, lang, true, book);
      assert.ok(content.toastXml, spec.title);
      const toast = validateToast(content.toastXml);
      const [title, body] = descendants(toast, 'text').map((t) => t.text);
      assert.deepEqual([title, body], [spec.title, spec.bodyWithButtons]);
      assert.deepEqual(
        descendants(toast, 'action').map((a) => a.attributes.content),
        spec.buttons.map((b) => b.label),
      );
      assert.equal(child(child(toast, 'visual'), 'binding').attributes.lang, lang);
    }
  });
}

test('the builder escapes every text: markup, quotes and ampersands in a title, body or label stay text', () => {
  const hostile = `"/><action content="x" arguments="https://evil.example" activationType="protocol"/><text>&amp; <b> ' `;
  const xml = buildToastXml({
    title: hostile,
    body: `${hostile}\u0000\u0007`,
    launch: activationUrl('open', 'abcdefghijklmnop0123'),
    buttons: [{ content: hostile, uri: activationUrl('later', 'abcdefghijklmnop0123') }],
    lang: 'en',
  });
  const toast = validateToast(xml);
  assert.equal(descendants(toast, 'text')[0]?.text, hostile);
  assert.equal(descendants(toast, 'text')[1]?.text, hostile, 'characters XML cannot carry are dropped');
  assert.equal(descendants(toast, 'action').length, 1);
  assert.equal(descendants(toast, 'action')[0]?.attributes.content, hostile);
});

test('a long Defender text keeps the toast under the 5 KB limit', () => {
  const xml = buildToastXml({
    title: 'Update failed',
    body: 'Отказано в доступе. '.repeat(400),
    launch: activationUrl('open', 'abcdefghijklmnop0123'),
    buttons: [],
    lang: 'ru',
  });
  validateToast(xml);
});

test('more than five buttons is refused rather than sent to Windows', () => {
  const button = { content: 'x', uri: activationUrl('open', 'abcdefghijklmnop0123') };
  assert.throws(() => buildToastXml({ title: 't', body: 'b', launch: button.uri, buttons: Array(6).fill(button), lang: 'en' }), RangeError);
});

test('activation URLs are read back from any place in a command line, and nothing else passes for one', () => {
  const url = activationUrl('restart-now', 'abcdefghijklmnop0123');
  assert.equal(url, `${PROTOCOL_SCHEME}://reboot/restart-now?token=abcdefghijklmnop0123`);
  assert.deepEqual(findActivation(['C:\\Program Files\\DefenderUpdater.exe', '--allow-file-access-from-files', url]), {
    action: 'restart-now',
    token: 'abcdefghijklmnop0123',
  });
  assert.equal(findActivation(['app.exe', '--update']), null);
  assert.equal(findActivation([`${PROTOCOL_SCHEME}://reboot/format-disk?token=abcdefghijklmnop0123`]), null);
  assert.deepEqual(findActivation([`${PROTOCOL_SCHEME}://update/now?token=x"; rm -rf`]), { action: 'update-now', token: null });
});
