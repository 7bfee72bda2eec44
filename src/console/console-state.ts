/** The console's navigation: a pure reducer over key presses, so the keys are tested without a terminal. */
export const PANELS = ['cache', 'queue', 'retrying', 'failures', 'activity'] as const;
export type PanelName = (typeof PANELS)[number];

export type ConsoleState = {
  view: 'overview' | 'failures' | 'detail' | 'help';
  focus: PanelName;
  selected: number;
  /** A retry waiting for y (this delivery) or p (its whole period). */
  confirming: boolean;
};

export const initialState: ConsoleState = { view: 'overview', focus: 'failures', selected: 0, confirming: false };

export type KeyAction =
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'enter' }
  | { type: 'back' }
  | { type: 'failures' }
  | { type: 'help' }
  | { type: 'ask-retry' }
  | { type: 'cancel' }
  | { type: 'clamp'; count: number };

const move = (focus: PanelName, by: number): PanelName =>
  PANELS[(PANELS.indexOf(focus) + by + PANELS.length) % PANELS.length] ?? 'failures';

export function consoleReducer(s: ConsoleState, a: KeyAction): ConsoleState {
  switch (a.type) {
    case 'next':
      return s.view === 'overview' ? { ...s, focus: move(s.focus, 1) } : s;
    case 'prev':
      return s.view === 'overview' ? { ...s, focus: move(s.focus, -1) } : s;
    case 'up':
      return s.view === 'failures'
        ? { ...s, selected: Math.max(0, s.selected - 1) }
        : s.view === 'overview'
          ? { ...s, focus: move(s.focus, -1) }
          : s;
    case 'down':
      return s.view === 'failures'
        ? { ...s, selected: s.selected + 1 }
        : s.view === 'overview'
          ? { ...s, focus: move(s.focus, 1) }
          : s;
    case 'enter':
      if (s.view === 'overview') return s.focus === 'failures' ? { ...s, view: 'failures' } : s;
      return s.view === 'failures' ? { ...s, view: 'detail' } : s;
    case 'back':
      if (s.confirming) return { ...s, confirming: false };
      return { ...s, view: s.view === 'detail' ? 'failures' : 'overview' };
    case 'failures':
      return { ...s, view: 'failures', focus: 'failures' };
    case 'help':
      return { ...s, view: s.view === 'help' ? 'overview' : 'help' };
    case 'ask-retry':
      return s.view === 'failures' || s.view === 'detail' ? { ...s, confirming: true } : s;
    case 'cancel':
      return { ...s, confirming: false };
    case 'clamp':
      return { ...s, selected: Math.max(0, Math.min(s.selected, a.count - 1)) };
  }
}
