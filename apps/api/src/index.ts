export { buildApp } from './app.ts';
export type { Services } from './services.ts';
