#!/usr/bin/env node
// Renders the results table of a `npm run bench -- --json FILE` document (also used by run.mjs).
//
//   node bench/report.mjs bench/out/results/S.json [more.json …]
import * as fs from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const f3 = (x) => (typeof x === 'number' ? x.toFixed(3) : '-');
const range = (lo, hi) => (typeof lo === 'number' && typeof hi === 'number' ? `${lo.toFixed(2)}–${hi.toFixed(2)}` : '-');

/** The scenario entries of a results document (every key except machine and bench). */
export function scenarioEntries(doc) {
  return Object.entries(doc).filter(([k]) => k !== 'machine' && k !== 'bench');
}

/** A Markdown table of medians, ranges, ratios, RSS and load. */
export function table(results) {
  const rows = [['scenario', 'gob median s', 'baseline median s', 'gob/baseline', 'gob min–max s', 'baseline min–max s', 'gob / baseline peak RSS MB', 'load1 start–end', 'notes']];
  for (const [key, e] of Object.entries(results).filter(([k]) => k !== 'machine' && k !== 'bench')) {
    // Older documents have no min/max fields: take them from the runs.
    const secs = (side) => (e.runs ?? []).map((r) => r[side]?.seconds).filter((x) => typeof x === 'number');
    e.gob_min_s ??= Math.min(...secs('gob'));
    e.gob_max_s ??= Math.max(...secs('gob'));
    e.baseline_min_s ??= Math.min(...secs('baseline'));
    e.baseline_max_s ??= Math.max(...secs('baseline'));
    rows.push([
      key,
      f3(e.gob_median_s),
      f3(e.baseline_median_s),
      typeof e.ratio === 'number' ? e.ratio.toFixed(2) : '-',
      range(e.gob_min_s, e.gob_max_s),
      range(e.baseline_min_s, e.baseline_max_s),
      `${typeof e.gob_peak_rss_mb_median === 'number' ? e.gob_peak_rss_mb_median.toFixed(0) : '-'} / ${typeof e.baseline_peak_rss_mb_median === 'number' ? e.baseline_peak_rss_mb_median.toFixed(0) : '-'}`,
      `${e.load1_start.toFixed(2)}–${e.load1_end.toFixed(2)}`,
      e.anomalies !== undefined ? `${e.anomalies.length} anomalies` : '',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** A header line describing the machine and the run. */
export function header(doc) {
  const m = doc.machine;
  const b = doc.bench;
  return (
    `preset ${b.preset} (seed ${b.seed}: ${b.services} services, ${b.repo_stats.packages} packages, ${b.repo_stats.goFiles} files), ` +
    `${b.runs_per_side} runs per side after ${b.warmup_rounds} warm-up round(s)\n` +
    `${m.date} · ${m.cpu_model} · ${m.cores} cores · ${m.go} · node ${m.node} · gob ${m.gob_dist_commit ?? m.gob_commit} dist ${m.gob_dist ?? '?'} · ` +
    `load avg start ${m.loadavg_start.join(' ')}, end ${m.loadavg_end.join(' ')}`
  );
}

function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: node bench/report.mjs RESULTS.json …\n');
    process.exit(2);
  }
  for (const f of files) {
    const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
    process.stdout.write(`${header(doc)}\n\n${table(doc)}\n\n`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
