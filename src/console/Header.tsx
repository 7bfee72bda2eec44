import { Box, Text } from 'ink';
import { clock } from './format.js';

type Props = { url: string; database: string | null; at: string | null; problem: string | null };

/** Title line: which service, its database, the last refresh, and whether the last poll failed. */
export function Header({ url, database, at, problem }: Props) {
  return (
    <Box justifyContent="space-between" borderStyle="round" borderColor="magenta" paddingX={1}>
      <Text bold color="magenta">Vision&apos;AI&apos;re console</Text>
      <Text wrap="truncate-end">
        {url} · db <Text color="cyan">{database ?? 'unknown'}</Text> · {problem ? <Text color="red" bold>{problem}</Text> : <Text color="green">live</Text>} · {clock(at)} UTC
      </Text>
    </Box>
  );
}
