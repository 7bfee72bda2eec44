/** The console's navigation: a pure reducer over key presses, so the keys are tested without a terminal. */
export const PANELS = ['cache', 'queue', 'retrying', 'failures', 'suspended', 'activity'] as const;
export type PanelName = (typeof PANELS)[number];
export type View = 'overview' | 'failures' | 'detail' | 'suspended' | 'help' | 'search' | 'subscription';

export type ConsoleState = {
  view: View;
  focus: PanelName;
  /** The selected row of the failures or suspended list. */
  selected: number;
  /** A retry waiting for y (this delivery) or p (its whole period). */
  confirming: boolean;
  /** Where esc goes back to. */
  history: View[];
};

export const initialState: ConsoleState = {
  view: 'overview',
  focus: 'failures',
  selected: 0,
  confirming: false,
  history: [],
};

export type KeyAction =
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'enter' }
  | { type: 'back' }
  | { type: 'failures' }
  | { type: 'help' }
  | { type: 'search' }
  | { type: 'subscription' }
  | { type: 'ask-retry' }
  | { type: 'cancel' }
  | { type: 'clamp'; count: number };

const move = (focus: PanelName, by: number): PanelName =>
  PANELS[(PANELS.indexOf(focus) + by + PANELS.length) % PANELS.length] ?? 'failures';
const lists: View[] = ['failures', 'suspended'];
const go = (s: ConsoleState, view: View): ConsoleState =>
  s.view === view ? s : { ...s, view, confirming: false, history: [...s.history, s.view] };

export function consoleReducer(s: ConsoleState, a: KeyAction): ConsoleState {
  switch (a.type) {
    case 'next':
    case 'prev':
      return s.view === 'overview' ? { ...s, focus: move(s.focus, a.type === 'next' ? 1 : -1) } : s;
    case 'up':
    case 'down': {
      const by = a.type === 'down' ? 1 : -1;
      if (lists.includes(s.view)) return { ...s, selected: Math.max(0, s.selected + by) };
      return s.view === 'overview' ? { ...s, focus: move(s.focus, by) } : s;
    }
    case 'enter':
      if (s.view === 'overview' && (s.focus === 'failures' || s.focus === 'suspended'))
        return { ...go(s, s.focus), selected: 0 };
      return s.view === 'failures' ? go(s, 'detail') : s;
    case 'back': {
      if (s.confirming) return { ...s, confirming: false };
      const view = s.history.at(-1) ?? 'overview';
      return { ...s, view, history: s.history.slice(0, -1) };
    }
    case 'failures':
      return { ...go(s, 'failures'), focus: 'failures' };
    case 'help':
      return s.view === 'help' ? consoleReducer(s, { type: 'back' }) : go(s, 'help');
    case 'search':
      return go(s, 'search');
    case 'subscription':
      return go(s, 'subscription');
    case 'ask-retry':
      return s.view === 'failures' || s.view === 'detail' ? { ...s, confirming: true } : s;
    case 'cancel':
      return { ...s, confirming: false };
    case 'clamp':
      return { ...s, selected: Math.max(0, Math.min(s.selected, a.count - 1)) };
  }
}
