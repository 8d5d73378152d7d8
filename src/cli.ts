#!/usr/bin/env node
// The executable: runs the command line and sets the exit code; nothing else ends the process.
// It runs unconditionally (no "am I the main module?" test): that test needs the module URL,
// which the esbuild CommonJS bundle of the single executable does not have.
import { EXIT, main } from './command-line.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
    // Normally nothing is left and the process ends now. A worker thread stuck in a system call
    // (an audit reading a file that blocks) cannot be terminated, and process.exit() would wait to
    // join it; so whatever still holds the process shortly after main is done, SIGTERM's default
    // action ends it (systemd counts SIGTERM as a clean exit). Unref'd: it never delays an exit.
    setTimeout(() => {
      process.stderr.write('scs-node-audit: still running after shutdown (a worker thread is stuck); ending by SIGTERM\n');
      process.removeAllListeners('SIGTERM');
      process.kill(process.pid, 'SIGTERM');
    }, 500).unref();
  },
  (error: unknown) => {
    process.stderr.write(`scs-node-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.auditFailed;
  },
);
