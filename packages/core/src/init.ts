/** `gob init`, loaded on first use (it needs the YAML parser and fast-glob). */
import type { InitOptions, InitResult } from './init/init-workspace.js';
import type { Diagnostic } from './diagnostics.js';
import type { Result } from './util/result.js';

export type { InitOptions, InitResult } from './init/init-workspace.js';

export async function initWorkspace(opts: InitOptions): Promise<Result<InitResult, Diagnostic[]>> {
  const { initWorkspace: init } = await import('./init/init-workspace.js');
  return init(opts);
}
