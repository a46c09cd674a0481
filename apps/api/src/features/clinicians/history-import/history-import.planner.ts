import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  isDomainError,
  refuse,
  isInstant,
  isLocalDate,
  toMillis,
  type ClinicianCommand,
  type ClinicianState,
  type Decider,
  type ClinicianEvent,
  type ImportedFrom,
} from '#app/domain';
import { ApiError } from '../../../platform/http/api-error.js';
import type { EventMetadata } from '../../../platform/write-path/event-metadata.js';
import type { WriteContext } from '../../../platform/write-path/write-context.js';
import { ClinicianStreams, type ClinicianDecider } from '../clinician-streams.js';
import { STAFF_ID_PATTERN } from '../../../platform/http/field-validators.js';
import type { ImportClinicianHistoryRequest } from './history-import.request.js';

interface Problem {
  readonly code: string;
  readonly reason: string;
}

export type HistoryCommand = (ClinicianCommand & { type: 'RecordTeamService' }) | (ClinicianCommand & { type: 'GrantCompetence' });

interface Planned {
  readonly row: number;
  readonly clinicianId: string;
  readonly command: HistoryCommand;
}

const FIELDS: Record<string, readonly string[]> = {
  teamService: ['kind', 'clinicianId', 'programme', 'role', 'from', 'to', 'teamRef', 'sourceDocument'],
  competence: ['kind', 'clinicianId', 'competence', 'grantedAt', 'expiresAt', 'sourceDocument'],
};
// eslint-disable-next-line no-control-regex -- refusing control characters is what this pattern is for
const TEXT = /^[^\u0000-\u001f]{1,300}$/;

/** A checked import: per clinician, the rows still to record (in row order) and how many are there already. */
export interface ImportPlan {
  readonly importId: string;
  readonly source: string;
  readonly rows: number;
  readonly work: ReadonlyArray<{ readonly clinicianId: string; readonly commands: readonly HistoryCommand[]; readonly present: number }>;
  /** the clinician decider over a list of rows, skipping rows recorded meanwhile */
  readonly decider: Decider<readonly HistoryCommand[], ClinicianEvent, ClinicianState>;
  readonly metadata: EventMetadata & { readonly import: { readonly importId: string; readonly source: string } };
}

/**
 * Go-live import of clinicians' earlier team service and dated competences (issue 11 §4), so the
 * competence rules (e.g. Forstå smerte primary: four earlier teams as apprentice or secondary) hold from the
 * first day. Every row is checked against the clinic's catalogue and the clinician's stream before anything
 * is written; one bad row refuses the whole import with every bad row named. Rows already recorded with the
 * same content are skipped, so the same import twice records nothing the second time.
 *
 * Appends are per clinician stream (the event store has no multi-stream transaction): if the process dies
 * between two clinicians, sending the same import again records exactly the rest. This checks and plans;
 * ImportClinicianHistoryHandler writes the plan.
 */
@Injectable()
export class HistoryImportPlanner {
  constructor(@Inject(ClinicianStreams) private readonly clinicians: ClinicianStreams) {}

  async plan(ctx: WriteContext, body: ImportClinicianHistoryRequest, now: string): Promise<ImportPlan> {
    const { decider, catalogue } = await this.clinicians.decider(ctx.actor.clinicId);
    const source = body.source.trim();
    const importId = `imp-${sha256(JSON.stringify([ctx.actor.clinicId, source, body.rows])).slice(0, 20)}`;
    const problems = new Map<number, Problem[]>();
    const flag = (row: number, code: string, reason: string) => problems.set(row, [...(problems.get(row) ?? []), { code, reason }]);
    const imported = (row: Record<string, unknown>, extra: Partial<ImportedFrom> = {}): ImportedFrom => ({
      importId,
      source,
      sourceDocument: String(row.sourceDocument).trim(),
      importedBy: ctx.actor.staffId,
      importedAt: now,
      ...extra,
    });

    // 1. each row on its own: fields, vocabulary, dates
    const planned: Planned[] = [];
    body.rows.forEach((raw, index) => {
      const n = index + 1;
      const row = raw as unknown as Record<string, unknown>;
      const kind = row.kind;
      if (kind !== 'teamService' && kind !== 'competence') {
        flag(n, 'UNKNOWN_KIND', 'kind must be teamService or competence.');
        return;
      }
      for (const key of Object.keys(row)) if (!FIELDS[kind].includes(key)) flag(n, 'UNKNOWN_FIELD', `A ${kind} row has no field ${key}.`);
      const clinicianId = row.clinicianId;
      if (typeof clinicianId !== 'string' || !STAFF_ID_PATTERN.test(clinicianId))
        flag(n, 'CLINICIAN_ID_INVALID', 'clinicianId must be the id of a registered clinician.');
      if (typeof row.sourceDocument !== 'string' || !/\S/.test(row.sourceDocument) || !TEXT.test(row.sourceDocument)) {
        flag(n, 'SOURCE_DOCUMENT_REQUIRED', 'sourceDocument must name the document the row was read from (1–300 characters).');
      }
      if (kind === 'teamService') {
        const programme = catalogue.programmes.find((p) => p.code === row.programme);
        if (!programme) flag(n, 'UNKNOWN_PROGRAMME', `The clinic has no programme ${describe(row.programme)}.`);
        const roles = programme ? [...programme.staff.roles.map((r) => r.role), 'apprentice'] : [];
        if (programme && !roles.includes(row.role as string)) {
          flag(n, 'UNKNOWN_ROLE', `${describe(row.role)} is not a role on ${programme.code}; use one of: ${roles.join(', ')}.`);
        }
        const to = row.to ?? row.from;
        if (!isLocalDate(row.from)) flag(n, 'INVALID_DATE', 'from must be the date of the team’s first session, written YYYY-MM-DD.');
        else if (toMillis(row.from) > toMillis(now))
          flag(n, 'DATE_IN_FUTURE', 'from is in the future; only earlier team service can be imported.');
        if (row.to !== undefined && !isLocalDate(row.to))
          flag(n, 'INVALID_DATE', 'to must be the date of the team’s last session, written YYYY-MM-DD.');
        else if (isLocalDate(row.from) && isLocalDate(to) && to < row.from) flag(n, 'DATES_REVERSED', 'to is before from.');
        if (row.teamRef !== undefined && (typeof row.teamRef !== 'string' || !TEXT.test(row.teamRef)))
          flag(n, 'INVALID_TEAM_REF', 'teamRef must be 1–300 characters.');
        if (problems.has(n) || !programme) return; // no programme: flagged above
        const from = row.from as string;
        const teamRef = row.teamRef as string | undefined;
        planned.push({
          row: n,
          clinicianId: clinicianId as string,
          command: {
            type: 'RecordTeamService',
            clinicianId: clinicianId as string,
            teamId: `imported-${sha256(JSON.stringify([programme.code, from, to, teamRef ?? null])).slice(0, 24)}`,
            programme: programme.code,
            role: row.role as string,
            servedAt: from,
            now,
            imported: imported(row, { from, to: to as string, ...(teamRef ? { teamRef } : {}) }),
          },
        });
      } else {
        if (!catalogue.competences.some((c) => c.code === row.competence))
          flag(n, 'UNKNOWN_COMPETENCE', `The clinic has no competence ${describe(row.competence)}.`);
        if (!isDateOrInstant(row.grantedAt))
          flag(n, 'INVALID_DATE', 'grantedAt must be a date (YYYY-MM-DD) or a date and time with offset.');
        if (row.expiresAt !== undefined && row.expiresAt !== null && !isDateOrInstant(row.expiresAt))
          flag(n, 'INVALID_DATE', 'expiresAt must be a date, a date and time with offset, or null.');
        if (problems.has(n)) return;
        planned.push({
          row: n,
          clinicianId: clinicianId as string,
          command: {
            type: 'GrantCompetence',
            clinicianId: clinicianId as string,
            competence: row.competence as string,
            grantedAt: row.grantedAt as string,
            expiresAt: (row.expiresAt as string | null | undefined) ?? null,
            now,
            imported: imported(row),
          },
        });
      }
    });

    // 2. each clinician's rows against their stream, in row order (and against the rows before them)
    const byClinician = new Map<string, Planned[]>();
    for (const p of planned) byClinician.set(p.clinicianId, [...(byClinician.get(p.clinicianId) ?? []), p]);
    const work: Array<{ clinicianId: string; commands: HistoryCommand[]; present: number }> = [];
    for (const [clinicianId, rows] of byClinician) {
      const loaded = await this.clinicians.loadOwn(ctx.actor, clinicianId).catch((error: unknown) => {
        if (error instanceof ApiError && error.statusCode === 404) return undefined;
        throw error;
      });
      if (!loaded) {
        for (const p of rows)
          flag(
            p.row,
            'UNKNOWN_CLINICIAN',
            `No clinician ${clinicianId} is registered in your clinic; register them first (POST /clinicians).`,
          );
        continue;
      }
      let state = loaded.state;
      const commands: HistoryCommand[] = [];
      let present = 0;
      for (const p of rows) {
        const conflict = conflictWith(p.command, state);
        if (conflict) {
          flag(p.row, 'CONFLICTS_WITH_RECORDED', conflict);
          continue;
        }
        if (alreadyRecorded(p.command, state)) {
          present++;
          continue;
        }
        const decided = decider.decide(p.command, state);
        if (isDomainError(decided)) {
          flag(p.row, decided.code, decided.message);
          continue;
        }
        for (const event of decided) state = decider.evolve(state, event);
        commands.push(p.command);
      }
      work.push({ clinicianId, commands, present });
    }

    if (problems.size > 0) {
      const rows = [...problems.entries()]
        .sort(([a], [b]) => a - b)
        .map(([row, list]) => ({
          row,
          clinicianId: stringOrNull((body.rows[row - 1] as unknown as Record<string, unknown>).clinicianId),
          problems: list,
        }));
      throw new ApiError(
        422,
        'IMPORT_REJECTED',
        `The import was refused as a whole: ${rows.length} of ${body.rows.length} rows have problems (${rowList(rows.map((r) => r.row))}); nothing was recorded. Correct them and send the whole import again.`,
        { rows, badRows: rows.length, totalRows: body.rows.length },
      );
    }

    const metadata = {
      ...ctx.metadata({ reason: body.reason?.trim() || `Go-live import of earlier team service and competences (${importId})` }),
      import: { importId, source },
    };
    return { importId, source, rows: body.rows.length, work, decider: skippingRecorded(decider), metadata };
  }
}

/** the clinician decider over a list of commands, skipping rows recorded meanwhile (a concurrent identical import) */
function skippingRecorded(decider: ClinicianDecider): Decider<readonly HistoryCommand[], ClinicianEvent, ClinicianState> {
  return {
    initialState: () => decider.initialState(),
    evolve: (state, event) => decider.evolve(state, event),
    decide(commands, state) {
      const events: ClinicianEvent[] = [];
      let current = state;
      for (const command of commands) {
        if (alreadyRecorded(command, current)) continue;
        const conflict = conflictWith(command, current);
        if (conflict) return refuse('CONFLICTS_WITH_RECORDED', conflict);
        const result = decider.decide(command, current);
        if (isDomainError(result)) return result;
        for (const event of result) current = decider.evolve(current, event);
        events.push(...result);
      }
      return events;
    },
  };
}

function alreadyRecorded(command: HistoryCommand, state: ClinicianState): boolean {
  if (command.type === 'RecordTeamService')
    return state.teamService.some((s) => s.teamId === command.teamId && s.role === command.role && s.programme === command.programme);
  return state.competences.some(
    (g) =>
      g.competence === command.competence && sameTime(g.grantedAt, command.grantedAt) && sameTime(g.expiresAt, command.expiresAt ?? null),
  );
}

/** a team of the source already recorded for this clinician in another role */
function conflictWith(command: HistoryCommand, state: ClinicianState): string | undefined {
  if (command.type !== 'RecordTeamService') return undefined;
  const other = state.teamService.find(
    (s) => s.teamId === command.teamId && (s.role !== command.role || s.programme !== command.programme),
  );
  return other
    ? `This team (${command.programme} from ${command.servedAt}) is already recorded for ${command.clinicianId} as ${other.role}; a team is served in one role.`
    : undefined;
}

function sameTime(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && toMillis(a) === toMillis(b));
}

const isDateOrInstant = (value: unknown): value is string => isLocalDate(value) || isInstant(value);
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const describe = (value: unknown): string => (typeof value === 'string' && value.length <= 64 ? value : '(missing)');

function rowList(rows: readonly number[]): string {
  const shown = rows.slice(0, 20).join(', ');
  return `row${rows.length === 1 ? '' : 's'} ${shown}${rows.length > 20 ? ', …' : ''}`;
}
