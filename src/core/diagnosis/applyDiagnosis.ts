// What a diagnosis changes in a run's findings: each symptom is blamed on the verified cause that
// explains it best (and becomes an error when its detector says so), or on the most likely cause
// that no trial refuted, as a hypothesis. The message says which, with the trial's figures.
// A verified "train longer" does not take the blame from a hazard the linter found in the config
// that explains the symptom and that no trial settled (untested or inconclusive): more epochs can
// lower the error of a model that is still wrong by construction, so the hazard stays the blamed
// cause, as a hypothesis, and "train longer" is named as what also helps, with its trial figures.

import { detectorFor } from '../detectors';
import { isTrainLonger } from '../detectors/configFacts';
import { causelessMessage, findingMessage, severityFor, symptomSeverity } from '../detectors/finding';
import { SLOPE_MIN_EPOCHS } from '../detectors/history';
import { formatNumber, formatSignedPercent } from '../format';
import type { RunFinding } from '../run/types';
import type { Diagnosis, DiagnosisCandidate } from './types';
import { compareVerified, openStaticHazard } from './verdict';

/** `epochsRun`: the epochs the run trained (a run of one or two has no loss slope, so its symptoms are not softened). */
export function applyDiagnosis(findings: readonly RunFinding[], diagnosis: Diagnosis, epochsRun?: number): RunFinding[] {
  return findings.map((finding) => {
    const detector = detectorFor(finding.code);
    if (!detector) return finding;
    const explaining = diagnosis.candidates.filter((c) => c.explains.includes(finding.code));
    const bestVerified = explaining.filter((c) => c.verdict === 'verified').sort(compareVerified)[0];
    const openHazard = bestVerified && isTrainLonger(bestVerified.changes) ? openStaticHazard(explaining) : undefined;
    const verified = openHazard ? undefined : bestVerified;
    /** A verified "train longer" that an open static hazard keeps from the blame. */
    const alsoHelps = openHazard ? bestVerified : undefined;
    // Among unproven causes, one whose trial cleared this very symptom has the most evidence.
    const clearedHere = (c: DiagnosisCandidate) =>
      c.trial && diagnosis.control?.symptoms.includes(finding.code) && !c.trial.failure && !c.trial.symptoms.includes(finding.code) ? 1 : 0;
    // "Train longer" stays after every cause in the config, as in the ranking.
    const hypothesis = explaining
      .filter((c) => c.verdict !== 'refuted')
      .sort((a, b) => clearedHere(b) - clearedHere(a) || Number(isTrainLonger(a.changes)) - Number(isTrainLonger(b.changes)) || b.score - a.score)[0];
    const chosen = verified ?? openHazard ?? hypothesis;
    const measurement = finding.measurement ?? finding.message;
    const detectorSeverity = symptomSeverity(detector, { measurement, data: finding.data ?? {} });
    // Nothing but "train longer" (or nothing) suspected, and the linter finds no hazard in the config.
    const noHazard = diagnosis.staticHazards !== undefined && diagnosis.staticHazards.length === 0 && (epochsRun === undefined || epochsRun >= SLOPE_MIN_EPOCHS);
    const onlyGeneric = noHazard && explaining.filter((c) => c.verdict !== 'refuted').every((c) => isTrainLonger(c.changes));
    if (!chosen) {
      const refuted = explaining.map((c) => c.title).join('; ');
      const severity = severityFor(detectorSeverity, 'hypothesis', onlyGeneric);
      return {
        ...finding,
        configPath: '',
        severity,
        certainty: 'hypothesis',
        message: refuted ? `${measurement}. No cause could be confirmed: trials refuted ${refuted}.` : causelessMessage(measurement, severity),
        fix: undefined,
      };
    }
    const certainty = chosen === verified ? 'verified' : 'hypothesis';
    const verification = certainty === 'verified' ? trialSentence(chosen, diagnosis) : undefined;
    const cause = { configPath: chosen.configPath, reason: chosen.reason };
    return {
      ...finding,
      configPath: chosen.configPath,
      severity: severityFor(detectorSeverity, certainty, onlyGeneric),
      certainty,
      message: `${findingMessage(measurement, cause, certainty, verification ?? chosen.why ?? (openHazard ? 'no trial settled it' : undefined))}${
        alsoHelps ? ` Training longer also helps (${trialSentence(alsoHelps, diagnosis)}), but does not remove this hazard.` : ''
      }`,
      fix: { title: chosen.title, safety: 'unsafe', changes: chosen.changes },
      ...(verification ? { verification } : {}),
    };
  });
}

/** "model.outputActivation = linear: validation error -73 % against the control in a 4-epoch trial on 512 windows, 9 s". */
export function trialSentence(candidate: DiagnosisCandidate, diagnosis: Diagnosis): string {
  const trial = candidate.trial;
  const change = candidate.changes.map((c) => `${c.path} = ${typeof c.value === 'string' ? c.value : JSON.stringify(c.value)}`).join(', ');
  if (!trial) return change;
  if (trial.failure) return `${change}: the trial ${trial.failure === 'timed out' ? 'timed out' : `failed (${trial.failure})`}`;
  const error =
    candidate.errorChange === undefined
      ? ''
      : `${diagnosis.control?.nmse === null ? 'error (control diverged)' : 'error'} ${formatSignedPercent(candidate.errorChange)} against the control, `;
  return `${change}: ${error}${trial.epochs}-epoch trial on ${trial.trainWindows} windows, ${formatNumber(Number(trial.seconds.toFixed(1)))} s`;
}
