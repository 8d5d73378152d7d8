#!/usr/bin/env node
// The executable: runs the command line and sets the exit code; nothing else ends the process.
// It runs unconditionally (no "am I the main module?" test): that test needs the module URL,
// which the esbuild CommonJS bundle of the single executable does not have.
import { EXIT, main } from './command-line.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`scs-node-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.auditFailed;
  },
);
