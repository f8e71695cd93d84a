export {
  ALL_TARGETS_NAMES,
  TARGET_NAME_PATTERN,
  bareNameLabel,
  formatPattern,
  labelDir,
  labelName,
  makeLabel,
  parseLabel,
  parsePattern,
  shortLabel,
} from './label.js';
export type { TargetPattern } from './label.js';
export { filterByKind, lookupLabel, resolvePatterns, suggestLabels, unknownTargetDiagnostic } from './resolve.js';
export { closest, didYouMean, editDistance } from './suggest.js';
