#!/usr/bin/env node
// The mljudge command. Registers the TypeScript loader, then runs the CLI's entry module.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
