import type { DefenderApi } from '../../shared/ipc';

declare global {
  interface Window {
    /** Put there by the preload (or the browser harness); absent when the page is opened on its own. */
    defender?: DefenderApi;
  }
}
