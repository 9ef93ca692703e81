/** Where a command writes; injectable so commands can be tested without spawning a process. */
export interface Output {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}
