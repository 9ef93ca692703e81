/** The built `mljudge` command: apps/cli/dist/mljudge.mjs, the one file users install. */
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../apps/cli/dist/mljudge.mjs', import.meta.url));
