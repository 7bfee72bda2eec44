import type { ReactNode } from 'react';
import { Box, Text } from 'ink';

type Props = { title: string; focused?: boolean; color?: string; width?: number; grow?: boolean; children: ReactNode };

/** A bordered panel; the focused one is drawn in cyan with a marker. */
export function Panel({ title, focused = false, color, width, grow = false, children }: Props) {
  return (
    <Box
      flexDirection="column"
      borderStyle={focused ? 'double' : 'single'}
      borderColor={focused ? 'cyan' : color}
      paddingX={1}
      width={width}
      flexGrow={grow ? 1 : 0}
      flexShrink={width === undefined ? 1 : 0}
    >
      <Text bold color={focused ? 'cyan' : color}>
        {focused ? '▸ ' : ''}
        {title}
      </Text>
      {children}
    </Box>
  );
}
