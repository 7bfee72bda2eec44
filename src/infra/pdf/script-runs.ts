/** The writing systems the PDF has a font for; `latin` covers Latin, accented Latin, Greek and Cyrillic. */
export type Script = 'latin' | 'cjk' | 'hangul' | 'arabic';

export type ScriptRun = { script: Script; text: string };

const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303F\uFF01-\uFF60\uFFE0-\uFFE6]/u;
const HANGUL = /\p{Script=Hangul}/u;
const ARABIC = /\p{Script=Arabic}/u;
/** Spaces, digits, punctuation and combining marks: they belong to the run around them. */
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

function scriptOf(ch: string): Script | null {
  if (CJK.test(ch)) return 'cjk';
  if (HANGUL.test(ch)) return 'hangul';
  if (ARABIC.test(ch)) return 'arabic';
  return NEUTRAL.test(ch) ? null : 'latin';
}

/**
 * Splits text into runs of one script, so that each run can be set in a font that has its
 * glyphs. Neutral characters (spaces, digits, punctuation) between two runs of one script stay in
 * that run; between two scripts they end the left run, unless it is right-to-left (Arabic): then
 * they start the next one, so that a space after an Arabic word is not laid out on its far side.
 * A neutral goes to a run only when that run's font has it (`covers`); otherwise it is set in Latin.
 */
export function scriptRuns(
  text: string,
  covers: (script: Script, codePoint: number) => boolean = () => true,
): ScriptRun[] {
  const runs: ScriptRun[] = [];
  const fits = (script: Script, s: string) => [...s].every((ch) => covers(script, ch.codePointAt(0)!));
  const push = (script: Script, s: string) => {
    const last = runs.at(-1);
    if (last?.script === script) last.text += s;
    else if (s) runs.push({ script, text: s });
  };
  let pending = '';
  for (const ch of text) {
    const own = scriptOf(ch);
    if (own === null) {
      pending += ch;
      continue;
    }
    const last = runs.at(-1);
    if (last && (last.script === own || last.script !== 'arabic') && fits(last.script, pending)) {
      last.text += pending;
    } else if (!fits(own, pending)) {
      push('latin', pending);
    } else {
      push(own, pending + ch);
      pending = '';
      continue;
    }
    pending = '';
    push(own, ch);
  }
  const last = runs.at(-1);
  if (last && last.script !== 'arabic' && fits(last.script, pending)) last.text += pending;
  else push('latin', pending);
  return runs;
}
