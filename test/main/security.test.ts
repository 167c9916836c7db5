import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTENT_SECURITY_POLICY,
  guardApp,
  guardSession,
  isAppUrl,
  REMOTE_URL_PATTERNS,
  type GuardedContents,
  type GuardedSession,
} from '../../app/main/security';
import type { PreventableEvent } from '../../app/main/ports';
import { Emitter } from './electron-fakes';

const APP_URL = 'file:///C:/Program%20Files/Defender%20Updater/resources/app.asar/out/renderer/index.html';

class FakeContents extends Emitter implements GuardedContents {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  /** Fires a navigation-like event; returns whether it was blocked. */
  attempt(event: string, url?: string): boolean {
    let blocked = false;
    const e: PreventableEvent = { preventDefault: () => (blocked = true) };
    this.fire(event, e, url);
    return blocked;
  }
}

function guardedContents(): FakeContents {
  const app = new Emitter();
  guardApp<FakeContents>(app, APP_URL);
  const contents = new FakeContents();
  app.fire('web-contents-created', {}, contents);
  return contents;
}

test('window.open is denied for any URL', () => {
  const contents = guardedContents();
  for (const url of ['https://example.com', APP_URL, 'file:///C:/Windows/System32/cmd.exe', 'about:blank']) {
    assert.deepEqual(contents.openHandler?.({ url }), { action: 'deny' });
  }
});

test('navigation away from the app page is blocked; staying on it is not', () => {
  const contents = guardedContents();
  assert.equal(contents.attempt('will-navigate', 'https://evil.example/'), true);
  assert.equal(contents.attempt('will-navigate', 'file:///C:/Users/me/Downloads/page.html'), true);
  assert.equal(contents.attempt('will-navigate', 'javascript:alert(1)'), true);
  assert.equal(contents.attempt('will-navigate', 'not a url'), true);
  assert.equal(contents.attempt('will-redirect', 'https://evil.example/'), true);
  assert.equal(contents.attempt('will-navigate', APP_URL + '#/settings'), false);
  assert.equal(contents.attempt('will-attach-webview'), true, 'no webviews');
});

test('isAppUrl compares the page, not a prefix', () => {
  assert.equal(isAppUrl(APP_URL, APP_URL), true);
  assert.equal(isAppUrl(APP_URL + '?x=1', APP_URL), true);
  assert.equal(isAppUrl(APP_URL + '.evil.html', APP_URL), false);
  assert.equal(isAppUrl(APP_URL.replace('index.html', 'index2.html'), APP_URL), false);
  assert.equal(
    isAppUrl('http://localhost/out/renderer/index.html', 'http://localhost/out/renderer/index.html'),
    false,
    'only the packaged file page',
  );
});

class FakeSession implements GuardedSession {
  permissionRequest: Parameters<GuardedSession['setPermissionRequestHandler']>[0] | null = null;
  permissionCheck: Parameters<GuardedSession['setPermissionCheckHandler']>[0] | null = null;
  headers: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0] | null = null;
  before: { filter: { urls: string[] }; listener: Parameters<GuardedSession['webRequest']['onBeforeRequest']>[1] } | null = null;
  webRequest = {
    onHeadersReceived: (listener: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0]) => {
      this.headers = listener;
    },
    onBeforeRequest: (filter: { urls: string[] }, listener: Parameters<GuardedSession['webRequest']['onBeforeRequest']>[1]) => {
      this.before = { filter, listener };
    },
  };
  setPermissionRequestHandler(handler: Parameters<GuardedSession['setPermissionRequestHandler']>[0]): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: Parameters<GuardedSession['setPermissionCheckHandler']>[0]): void {
    this.permissionCheck = handler;
  }
}

test('every permission request and check is denied', () => {
  const session = new FakeSession();
  guardSession(session);
  for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
    const answers: boolean[] = [];
    session.permissionRequest?.({}, permission, (granted) => answers.push(granted));
    assert.deepEqual(answers, [false], permission);
    assert.equal(session.permissionCheck?.({}, permission), false, permission);
  }
});

test('responses carry the CSP and remote requests are cancelled', () => {
  const session = new FakeSession();
  guardSession(session);
  const responses: { responseHeaders?: Record<string, string[] | string>; cancel?: boolean }[] = [];
  session.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => responses.push(r));
  assert.deepEqual(responses[0]?.responseHeaders, { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  assert.match(CONTENT_SECURITY_POLICY, /^default-src 'self'/);
  assert.deepEqual(session.before?.filter.urls, REMOTE_URL_PATTERNS);
  const cancels: { cancel?: boolean }[] = [];
  session.before?.listener({ url: 'https://cdn.example/x.js' }, (r) => cancels.push(r));
  assert.deepEqual(cancels, [{ cancel: true }]);
});
