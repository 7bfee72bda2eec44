import { Text } from 'ink';

/** `12 s`, `4 min`: how old the data on screen is. */
export const age = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
};

type Props = { error: string | null; goodAt: number | null; now: number };

/** Marks data as stale: the last call failed, so what is shown is from the last good answer. */
export function StaleNote({ error, goodAt, now }: Props) {
  if (!error) return null;
  return (
    <Text color="yellow" wrap="wrap">
      STALE{goodAt === null ? '' : `: data from ${age(now - goodAt)} ago`} · {error}
    </Text>
  );
}
