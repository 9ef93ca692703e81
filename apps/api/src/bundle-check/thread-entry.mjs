// Worker threads on Node 20 do not apply `--import` loader hooks to their entry module, so the
// TypeScript thread code is reached through this plain-JS entry that registers tsx first.
import { register } from 'tsx/esm/api';

register();
await import('./bundle-thread.ts');
