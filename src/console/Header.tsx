import { Box, Text } from 'ink';

type Props = { at: Date; database: string; cacheBackend: string; health: string };

/** Title line: what the console is connected to and when it last refreshed. */
export function Header({ at, database, cacheBackend, health }: Props) {
  return (
    <Box justifyContent="space-between" borderStyle="round" borderColor="magenta" paddingX={1}>
      <Text bold color="magenta">Vision'AI're · console</Text>
      <Text>
        db <Text color="cyan">{database}</Text> · cache <Text color="cyan">{cacheBackend}</Text>{' '}
        <Text color={health === 'healthy' ? 'green' : 'yellow'}>{health}</Text> · {at.toISOString().slice(11, 19)} UTC
      </Text>
    </Box>
  );
}
