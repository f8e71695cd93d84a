import { Static } from 'ink';
import { LiveArea, PlanningLine } from './live-area.js';
import { StaticItemView } from './static-item.js';
import type { TuiState } from './store.js';

export interface AppProps {
  readonly state: TuiState;
  /** The clock the spinners and elapsed times are drawn at (epoch ms). */
  readonly now: number;
  readonly source?: ((file: string) => string | undefined) | undefined;
  readonly showOutputs: boolean;
  /** False for the last frame: only the log stays on the terminal. */
  readonly live?: boolean | undefined;
}

/**
 * The whole screen, drawn from the view state: the `<Static>` log (header, finished actions,
 * failure output, diagnostics, summary) and below it the live area, which disappears once the
 * build has finished so nothing but the log stays on the terminal.
 */
export function App({ state, now, source, showOutputs, live = true }: AppProps) {
  const platformWidth = Math.max(0, ...(state.build?.platforms ?? []).map((p) => p.length));
  return (
    <>
      <Static items={[...state.items]}>
        {(item) => (
          <StaticItemView
            key={item.key}
            item={item}
            labelWidth={state.labelWidth}
            platformWidth={platformWidth}
            dryRun={state.build?.dryRun === true}
            source={source}
            showOutputs={showOutputs}
          />
        )}
      </Static>
      {live && state.build !== undefined && state.finished === undefined ? <LiveArea state={state} now={now} platformWidth={platformWidth} /> : null}
      {live && state.build === undefined && state.planning !== undefined && state.finished === undefined ? <PlanningLine planning={state.planning} now={now} /> : null}
    </>
  );
}
