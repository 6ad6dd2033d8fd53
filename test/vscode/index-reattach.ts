// extensionTestsPath entry for the window opened after the reload: reattach phase 2 only.
import { runSuites } from './runner';

export const run = runSuites(__dirname, ['reattach.verify.test.js']);
