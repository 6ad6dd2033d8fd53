// extensionTestsPath entry (compiled to index.js): every suite, with reattach phase 1 last.
import { runSuites } from './runner';

export const run = runSuites(__dirname, [
  'commands.test.js', 'language.test.js', 'jobs.test.js', 'terminals.test.js', 'agent.test.js', 'progress.test.js', 'hosts.test.js', 'reattach.setup.test.js',
]);
