// The model runner is a child process (session.run is blocking native code); this plain-JS entry
// registers tsx so the TypeScript runner can load.
import { register } from 'tsx/esm/api';

register();
await import('./runner-process.ts');
