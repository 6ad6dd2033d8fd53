// The agent's settings are core/settings.ts's (one module for the extension, the agent and the
// CLI); re-exported here for the agent's modules.
export { LingerSettings } from '../core/settings';
