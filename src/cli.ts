// The executable: runs the command line and sets the exit code; nothing else ends the process.
// It runs unconditionally (no "am I the main module?" test): in the bundles (dist/bundle/app.js,
// the single executable) src/launch.ts is the main module and runs this one.
import { enableCompileCache } from 'node:module';
import path from 'node:path';
import { liveAuditWorkers } from './audit-thread.js';

// Run as dist/src/cli.js, Node compiles the ~80 modules of an audit at every start; its compile
// cache keeps the result (https://nodejs.org/api/module.html#module-compile-cache). In dist/, not
// in its default $TMPDIR: there another local user could plant code for a root run to execute,
// while whoever can write dist/ can change the program anyway. The bundle (dist/bundle/app.js)
// and the single executable run this module through src/launch.ts, with a code cache of their
// own (src/code-cache.ts); there it is not the main module (scripts/bundle.sh defines
// import.meta.main false). The command line is imported after this, so that its modules are the
// ones cached.
if (import.meta.main) enableCompileCache(path.join(import.meta.dirname, '..', '.compile-cache'));

void import('./command-line.js').then(({ EXIT, main }) =>
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
      // Normally nothing is left and the process ends now. A worker thread stuck in a system call
      // (an audit reading a file that blocks) cannot be terminated, and process.exit() would wait
      // to join it; so if an audit worker still holds the process shortly after main is done,
      // SIGTERM's default action ends it (systemd counts SIGTERM as a clean exit). Only then:
      // `--once` keeps its exit code. Unref'd: it never delays an exit.
      setTimeout(() => {
        if (liveAuditWorkers() === 0) return;
        process.stderr.write(
          'scs-node-audit: still running after shutdown (a worker thread is stuck); ending by SIGTERM\n',
        );
        process.removeAllListeners('SIGTERM');
        process.kill(process.pid, 'SIGTERM');
      }, 500).unref();
    },
    (error: unknown) => {
      process.stderr.write(
        `scs-node-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT.auditFailed;
    },
  ),
);
