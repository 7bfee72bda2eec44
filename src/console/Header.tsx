import { Box, Text } from 'ink';
import { clock } from './format.js';

type Props = { url: string; database: string | null; at: string | null; problem: string | null; compact?: boolean };

/** Title line: which service, its database, the last refresh, and whether the last poll failed. */
export function Header({ url, database, at, problem, compact = false }: Props) {
  return (
    <Box
      justifyContent="space-between"
      borderStyle={compact ? undefined : 'round'}
      borderColor="magenta"
      paddingX={1}
      columnGap={2}
    >
      <Text bold color="magenta" wrap="truncate-end">
        Vision&apos;AI&apos;re console
      </Text>
      <Text wrap="truncate-end">
        {url} · db <Text color="cyan">{database ?? 'unknown'}</Text> ·{' '}
        {problem ? (
          <Text color="red" bold>
            {problem}
          </Text>
        ) : (
          <Text color="green">live</Text>
        )}{' '}
        · {clock(at)} UTC
      </Text>
    </Box>
  );
}
