import { Box, Text } from 'ink';
import type { BuildSummary, FinishedAction } from './store.js';
import { useTerminalSize } from './terminal-size.js';
import { statusColor, summaryLine, summaryTable, TABLE_HEAD, tableWidths, truncateStart, type TableRow } from './text.js';

/**
 * The end of a build: a table of the actions (target, platform, status, time, cache source; see
 * summaryTable for big builds), the summary line the plain reporter prints, and the output paths.
 */
export function Summary({ summary, results, showOutputs }: { summary: BuildSummary; results: readonly FinishedAction[]; showOutputs: boolean }) {
  const { columns } = useTerminalSize();
  const { rows, omitted } = summaryTable(results);
  const w = tableWidths(rows, columns);
  const hits = omitted.local + omitted.remote;
  const ok = summary.ok && !summary.interrupted;
  return (
    <Box flexDirection="column" marginTop={1}>
      {rows.length > 0 || hits > 0 ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text bold wrap="truncate-end">
            {cells(TABLE_HEAD, w)}
          </Text>
          {rows.map((r, i) => (
            <Text key={i} wrap="truncate-end">
              {truncateStart(r.target, w.target).padEnd(w.target)}  {r.platform.padEnd(w.platform)}  <Text color={statusColor(r.status)}>{r.status.padEnd(w.status)}</Text>
              {'  '}
              {r.time.padStart(w.time)}  {r.cache}
            </Text>
          ))}
          {hits > 0 ? (
            <Text dimColor>
              … and {hits} cache {hits === 1 ? 'hit' : 'hits'} ({omitted.local} local, {omitted.remote} remote), listed above
            </Text>
          ) : null}
        </Box>
      ) : null}
      <Text bold color={ok ? 'green' : 'red'}>
        {summaryLine(summary)}
      </Text>
      {showOutputs && !summary.dryRun ? summary.outputs.map((o) => <Text key={o}>{o}</Text>) : null}
    </Box>
  );
}

function cells(r: TableRow | typeof TABLE_HEAD, w: Record<keyof TableRow, number>): string {
  return `${r.target.padEnd(w.target)}  ${r.platform.padEnd(w.platform)}  ${r.status.padEnd(w.status)}  ${r.time.padStart(w.time)}  ${r.cache}`;
}
