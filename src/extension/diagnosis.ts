// After a run with runtime findings, the editor diagnoses it the way `tsae train --diagnose`
// does: counterfactual trials in worker threads, with a cancellable progress notification, then
// the run's findings re-blamed on what the trials verified. The diagnosed summary is published as
// the run's final `finished` event again, so the config's diagnostics, the dashboard and the runs
// list all show the verified (or hypothetical) blame with its figures.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendName } from '../core/config/types';
import { diagnoseRunFolder } from '../core/diagnosis/diagnoseRunFolder';
import { WorkerTrialRunner } from '../core/diagnosis/workerTrialRunner';
import type { RunSummary } from '../core/run/types';
import type { TsaeContext } from './ctx';

/** Whether a finished run is worth diagnosing: it completed and a runtime detector fired. */
export function needsDiagnosis(summary: RunSummary): boolean {
  return summary.status === 'completed' && summary.diagnosis === undefined && summary.findings.some((f) => /^TSAE2\d\d$/.test(f.code));
}

export async function diagnoseFinishedRun(ctx: TsaeContext, configFile: string, runDir: string, workerFile: string, backend: BackendName): Promise<RunSummary | undefined> {
  const budgetSeconds = ctx.settings.diagnosisBudgetSeconds;
  if (budgetSeconds === 0) return undefined;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `TSAE: diagnosing ${path.basename(runDir)}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      // The trial workers live for this diagnosis only (a worker's wasm heap never shrinks).
      const runner = new WorkerTrialRunner(workerFile, backend);
      // The total counts only trials that will run; when candidates are left untried it shrinks, so the bar moves by the change in the done fraction.
      let reported = 0;
      try {
        const { diagnosis, summary } = await diagnoseRunFolder(runDir, {
          runner,
          ...(budgetSeconds !== undefined ? { budgetSeconds } : {}),
          signal: abort.signal,
          onProgress: (p) => {
            const percent = (100 * p.done) / Math.max(1, p.total);
            progress.report({ increment: Math.max(0, percent - reported), message: `trial ${p.done} of ${p.total} done (${p.label})` });
            reported = Math.max(reported, percent);
          },
        });
        const verified = diagnosis.candidates.filter((c) => c.verdict === 'verified').map((c) => c.title);
        ctx.output.info(`diagnosis of ${runDir}: ${diagnosis.status} in ${diagnosis.seconds.toFixed(1)} s${verified.length > 0 ? `; verified: ${verified.join('; ')}` : ''}`);
        for (const note of diagnosis.notes) ctx.output.info(`diagnosis note: ${note}`);
        ctx.publishRunEvent({ configFile, runDir, event: { type: 'finished', runDir, summary } });
        return summary;
      } catch (error) {
        ctx.output.error(`diagnosis of ${runDir} failed: ${(error as Error).message}`);
        void vscode.window.showWarningMessage(`TSAE: the run's findings could not be diagnosed: ${(error as Error).message}`);
        return undefined;
      } finally {
        subscription.dispose();
        await runner.close();
      }
    },
  );
}
