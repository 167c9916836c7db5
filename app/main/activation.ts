/**
 * The app's URL scheme, `defender-updater:`, which toast buttons launch (toast-xml.ts). Windows starts the app with
 * the URL as an argument; a running app gets it through the single-instance handler (second-instance argv).
 *
 * Any program or web page can launch a URL of a registered scheme, so a URL alone never acts: each toast carries a
 * random token, and only a URL with a token this app issued (for that very action) does what its button says. Anything
 * else, a forged link, or a toast clicked after the app restarted, only opens the window, where every action is one
 * click away.
 */

export const PROTOCOL_SCHEME = 'defender-updater';

export const ACTIVATION_ACTIONS = ['open', 'restart-now', 'later', 'update-now'] as const;
export type ActivationAction = (typeof ACTIVATION_ACTIONS)[number];

const PATHS: Record<ActivationAction, string> = {
  open: 'open',
  'restart-now': 'reboot/restart-now',
  later: 'reboot/later',
  'update-now': 'update/now',
};

export interface Activation {
  action: ActivationAction;
  token: string | null;
}

export function activationUrl(action: ActivationAction, token: string): string {
  return `${PROTOCOL_SCHEME}://${PATHS[action]}?token=${encodeURIComponent(token)}`;
}

/** The activation URL in a command line, if there is one; anything malformed is no activation. */
export function findActivation(argv: readonly string[]): Activation | null {
  const prefix = `${PROTOCOL_SCHEME}:`;
  const arg = argv.find((a) => a.toLowerCase().startsWith(prefix));
  if (!arg || arg.length > 512) return null;
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    return null;
  }
  const path = `${url.host}${url.pathname}`.replace(/\/+$/, '').toLowerCase();
  const action = ACTIVATION_ACTIONS.find((a) => PATHS[a] === path);
  if (!action) return null;
  const token = url.searchParams.get('token');
  return { action, token: token && /^[A-Za-z0-9_-]{16,64}$/.test(token) ? token : null };
}

/** Tokens of the toasts this run of the app showed, each good for the actions of its own toast. */
export interface TokenBook {
  issue(actions: readonly ActivationAction[]): string;
  /** The action the activation may perform: its own if the token was issued for it, else `open`. */
  admit(activation: Activation): ActivationAction;
}

/** The last 20 toasts stay actionable: Action Center keeps a few, and older ones still open the window. */
export function createTokenBook(randomToken: () => string, keep = 20): TokenBook {
  const issued = new Map<string, readonly ActivationAction[]>();
  return {
    issue(actions) {
      const token = randomToken();
      issued.set(token, actions);
      while (issued.size > keep) issued.delete(issued.keys().next().value!);
      return token;
    },
    admit(activation) {
      if (activation.action === 'open' || activation.token === null) return 'open';
      return issued.get(activation.token)?.includes(activation.action) ? activation.action : 'open';
    },
  };
}

/** What an admitted activation does, through the same paths as the window's buttons. */
export interface ActivationActions {
  openWindow(): void;
  answerReboot(answer: 'restart-now' | 'later'): void;
  startUpdate(): void;
}

/**
 * Restart now and Update now also open the window, where the countdown (with Cancel restart) or the progress is;
 * Later is the one answer that wants nothing more on screen.
 */
export function routeActivation(action: ActivationAction, actions: ActivationActions): void {
  switch (action) {
    case 'open':
      actions.openWindow();
      break;
    case 'restart-now':
      actions.openWindow();
      actions.answerReboot('restart-now');
      break;
    case 'later':
      actions.answerReboot('later');
      break;
    case 'update-now':
      actions.openWindow();
      actions.startUpdate();
      break;
  }
}
