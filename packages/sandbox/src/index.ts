export {
  probeSandbox,
  runSandboxed,
  SANDBOX_PROGRAM_DIR,
  sandboxSubmissionPath,
  type SandboxLimits,
  type SandboxProbe,
  type SandboxRequest,
  type SandboxResult,
} from './bubblewrap.ts';
export { runUnconfined } from './unconfined.ts';
