import { formatDiagnostic } from '@gob/core';
import { Box, Text } from 'ink';
import type { FinishedAction, StaticItem } from './store.js';
import { Summary } from './summary.js';
import { useTerminalSize } from './terminal-size.js';
import { actionDetail, headerLine, labelColumnWidth, statusColor, statusMark, statusWord, truncateStart } from './text.js';

export interface StaticItemProps {
  readonly item: StaticItem;
  /** Column widths, so finished lines line up. */
  readonly labelWidth: number;
  readonly platformWidth: number;
  /** A dry run, whose lines have a wider status word (`would build`). */
  readonly dryRun: boolean;
  readonly source?: ((file: string) => string | undefined) | undefined;
  readonly showOutputs: boolean;
}

/** One entry of the log printed above the live area; drawn once, never redrawn. */
export function StaticItemView({ item, labelWidth, platformWidth, dryRun, source, showOutputs }: StaticItemProps) {
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
      return <ActionLine action={item.action} labelWidth={labelWidth} platformWidth={platformWidth} dryRun={dryRun} />;
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

/** Room a finished line keeps for what follows the platform (`remote cache, 1.2s`) when labels are cut. */
const DETAIL_ROOM = 18;

function ActionLine(props: { action: FinishedAction; labelWidth: number; platformWidth: number; dryRun: boolean }) {
  const { action, platformWidth } = props;
  const { columns } = useTerminalSize();
  const color = statusColor(action.status);
  const word = statusWord(action, props.dryRun);
  // mark, space, status word, space; then two spaces, the platform, two spaces and the detail.
  const width = labelColumnWidth(props.labelWidth, columns, 2 + word.length + 1 + 2 + platformWidth + 2 + DETAIL_ROOM);
  return (
    <Text wrap="truncate-end">
      <Text color={color}>
        {statusMark(action)} {word}
      </Text>{' '}
      {truncateStart(action.label, width).padEnd(width)}  <Text dimColor>{action.platform.padEnd(platformWidth)}</Text>  {actionDetail(action)}
    </Text>
  );
}
