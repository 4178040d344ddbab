// Diagnosis trials in the calling thread, one at a time: for tests and hosts without the worker
// bundle. Each trial still honours the plan's timeout and the caller's cancellation. Like a
// trial worker, it reads the data once for the trials that share it.

import type { BackendName } from '../config/types';
import type { ConfigSourceFile } from '../run/types';
import type { TrialRunner } from './diagnose';
import { TrialDataCache } from './trial';
import { runTrialRequest } from './trialRequest';
import type { TrialOutcome, TrialPlan } from './types';

export class InProcessTrialRunner implements TrialRunner {
  readonly parallelism = 1;
  private readonly cache = new TrialDataCache();

  constructor(private readonly backend?: BackendName) {}

  async run(config: ConfigSourceFile, plan: TrialPlan, signal: AbortSignal | undefined): Promise<TrialOutcome> {
    // The plan's timeout is a cancellation like the caller's own.
    const timeout = AbortSignal.timeout(plan.timeoutSeconds * 1000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const outcome = await runTrialRequest(
      { type: 'trial', configFile: config.fileName, configText: config.text, plan, ...(this.backend ? { backend: this.backend } : {}) },
      () => undefined,
      combined,
      this.cache,
    );
    return outcome.failure === 'cancelled' && timeout.aborted && !signal?.aborted ? { ...outcome, failure: 'timed out' } : outcome;
  }
}
