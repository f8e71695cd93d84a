import { formatDiagnostic } from '@gob/core';
import { Box, Text } from 'ink';
import type { FinishedAction, StaticItem } from './store.js';
import { Summary } from './summary.js';
import { actionDetail, headerLine, statusColor, statusMark, statusWord } from './text.js';

export interface StaticItemProps {
  readonly item: StaticItem;
  /** Column widths, so finished lines line up. */
  readonly labelWidth: number;
  readonly platformWidth: number;
  readonly source?: ((file: string) => string | undefined) | undefined;
  readonly showOutputs: boolean;
}

/** One entry of the log printed above the live area; drawn once, never redrawn. */
export function StaticItemView({ item, labelWidth, platformWidth, source, showOutputs }: StaticItemProps) {
  switch (item.kind) {
    case 'header':
      return (
        <Box flexDirection="column" marginBottom={1}>
          <Text bold wrap="truncate-end">
            {headerLine(item.build)}
          </Text>
          <Text dimColor wrap="truncate-end">
            workspace {item.build.workspace}
          </Text>
        </Box>
      );
    case 'action':
      return <ActionLine action={item.action} labelWidth={labelWidth} platformWidth={platformWidth} />;
    case 'output':
      // The compiler's own words, in full and unwrapped by us: this is what the user came for.
      return (
        <Box borderStyle="bold" borderColor="red" borderTop={false} borderRight={false} borderBottom={false} paddingLeft={1}>
          <Text>{item.text.trimEnd()}</Text>
        </Box>
      );
    case 'diagnostic':
      return <Text color={item.diagnostic.severity === 'error' ? 'red' : 'yellow'}>{formatDiagnostic(item.diagnostic, source)}</Text>;
    case 'log':
      return (
        <Text color={item.level === 'error' ? 'red' : 'yellow'}>
          {item.level}: {item.message}
        </Text>
      );
    case 'summary':
      return <Summary summary={item.summary} results={item.results} showOutputs={showOutputs} />;
  }
}

function ActionLine({ action, labelWidth, platformWidth }: { action: FinishedAction; labelWidth: number; platformWidth: number }) {
  const color = statusColor(action.status);
  return (
    <Text wrap="truncate-end">
      <Text color={color}>
        {statusMark(action)} {statusWord(action)}
      </Text>{' '}
      {action.label.padEnd(labelWidth)}  <Text dimColor>{action.platform.padEnd(platformWidth)}</Text>  {actionDetail(action)}
    </Text>
  );
}
