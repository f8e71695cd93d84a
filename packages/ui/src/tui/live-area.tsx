import { Box, Text } from 'ink';
import type { Planning, RunningAction, TuiState } from './store.js';
import { plural } from '../format.js';
import { useTerminalSize } from './terminal-size.js';
import { progressBar, spinnerFrame, truncate, truncateStart } from './text.js';

/** At most this many running actions are listed, however many run and however tall the terminal. */
export const MAX_RUNNING_SHOWN = 10;

/**
 * The part of the screen redrawn on every frame: the actions running now (oldest first, with a
 * spinner and a ticking clock) and the progress line. It stays a few lines tall whatever the size
 * of the build, so hundreds of actions cost nothing here.
 */
export function LiveArea({ state, now, platformWidth }: { state: TuiState; now: number; platformWidth: number }) {
  const { columns, rows } = useTerminalSize();
  // Leave room for the progress line, the "more" line and a line of slack: were the live area
  // as tall as the terminal, Ink would clear the whole screen (scrollback too) on every frame.
  const max = Math.max(0, Math.min(MAX_RUNNING_SHOWN, rows - 4));
  const shown = state.running.slice(0, max);
  const hidden = rows >= 3 ? state.running.length - shown.length : 0;
  return (
    <Box flexDirection="column">
      {shown.map((r) => (
        <RunningLine key={r.id} action={r} now={now} columns={columns} labelWidth={state.labelWidth} platformWidth={platformWidth} />
      ))}
      {hidden > 0 ? <Text dimColor>{truncate(shown.length > 0 ? `  … and ${hidden} more running` : `  ${hidden} running`, columns)}</Text> : null}
      <ProgressLine state={state} now={now} columns={columns} />
    </Box>
  );
}

/**
 * The live area before the build starts, while gob plans from scratch: what it is doing and for
 * how long, so a plan that waits for go to download modules does not look like a hang.
 */
export function PlanningLine({ planning, now }: { planning: Planning; now: number }) {
  const { columns } = useTerminalSize();
  const n = planning.downloading;
  const what = n === undefined ? 'planning' : `planning: go is downloading ${plural(n, 'module')} into the module cache`;
  const elapsed = clock(now - planning.since);
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{spinnerFrame(now)}</Text> {truncate(what, Math.max(8, columns - 4 - elapsed.length))}  <Text dimColor>{elapsed}</Text>
    </Text>
  );
}

function RunningLine(props: { action: RunningAction; now: number; columns: number; labelWidth: number; platformWidth: number }) {
  const { action, now, columns } = props;
  const elapsed = clock(now - action.startedAt);
  const platform = action.platform.padEnd(props.platformWidth);
  // spinner + space, label, two spaces, platform, two spaces, clock
  const room = columns - 2 - 2 - platform.length - 2 - elapsed.length;
  const width = Math.max(8, Math.min(props.labelWidth, room));
  const label = truncateStart(action.label, width).padEnd(width);
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{spinnerFrame(now)}</Text> {label}  <Text dimColor>{platform}</Text>  {elapsed}
    </Text>
  );
}

function ProgressLine({ state, now, columns }: { state: TuiState; now: number; columns: number }) {
  const c = state.counts;
  const counts = `${state.done}/${state.total}`;
  const built = `built ${c.built}`;
  const cached = `cached ${c.cached} (local ${c.cachedLocal}, remote ${c.cachedRemote})`;
  const failed = `failed ${c.failed}`;
  const time = state.startedAt === undefined ? '' : clock(now - state.startedAt);
  const rest = `  ${counts}  ${built} · ${cached} · ${failed}  ${time}`;
  const barWidth = Math.max(10, Math.min(30, columns - rest.length - 2));
  return (
    <Text wrap="truncate-end">
      <Text color="green">{progressBar(state.done, state.total, barWidth)}</Text>
      {`  ${counts}  `}
      <Text color="green">{built}</Text>
      {' · '}
      <Text color="cyan">{cached}</Text>
      {' · '}
      <Text color={c.failed > 0 ? 'red' : undefined}>{failed}</Text>
      <Text dimColor>{`  ${time}`}</Text>
    </Text>
  );
}

/** A running clock: tenths of a second under a minute, so the width hardly moves. */
export function clock(ms: number): string {
  const t = Math.max(0, ms);
  if (t < 60_000) return `${(t / 1000).toFixed(1)}s`;
  const m = Math.floor(t / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
