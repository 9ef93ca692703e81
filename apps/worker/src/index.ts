export { startWorker, type WorkerOptions, type WorkerProcess } from './worker-process.ts';
