// The operator's settings: the config file and the command-line flags, validated before any audit.
// Parsing and merging are pure (text and flag values in, settings out) so tests need no files;
// `loadConfig` is the one place that reads the config file and the release table.
// This file is the entry other modules import; the parts live in src/config/ (issue 12).
export * from './config/settings.js';
export {
  cidrProblem,
  cidrScopeProblem,
  dateProblem,
  listenProblem,
  parseDuration,
  urlProblem,
} from './config/values.js';
export { CHECK_IDS, configKeys, SCHEMA, WAIVER_KEYS, type Rule } from './config/schema.js';
export * from './config/merge.js';
export * from './config/load.js';
