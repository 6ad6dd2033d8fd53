// Builds a mocha run over the given compiled suite files. Both launchers (code-server +
// playwright here, @vscode/test-electron where VS Code can be downloaded) load an index that
// calls this. Prints one machine-readable result line the launcher counts.
import * as path from 'node:path';
import Mocha from 'mocha';

export function runSuites(dir: string, files: string[]): () => Promise<void> {
  return () => {
    // LINGER_TEST_GREP (passed on by launch.mjs): only the tests whose full title matches, e.g. "many hosts".
    const grep = process.env.LINGER_TEST_GREP;
    const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
    for (const f of files) mocha.addFile(path.join(dir, f));
    return new Promise<void>((resolve, reject) => {
      const runner = mocha.run((failures) => {
        const s = runner.stats;
        console.log(`LINGER_MOCHA_RESULT ${JSON.stringify({ passed: s?.passes ?? 0, failed: failures, pending: s?.pending ?? 0 })}`);
        if (failures) reject(new Error(`${failures} tests failed.`)); else resolve();
      });
    });
  };
}
