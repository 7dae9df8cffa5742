import { ProjectState, departmentOf } from './project/state';

/**
 * Who acts (第三条, 第二十七条, 第二十八条). `SYSTEM` is not a person: it is the clock-driven
 * deadline watcher that appends AcceptanceOverdue, PerformanceReportOverdue and
 * RectificationOverdue.
 */
export type Role =
  | 'CONSTRUCTION_UNIT' // 项目建设单位
  | 'OFFICE' // 领导小组办公室
  | 'LEADING_GROUP' // 领导小组
  | 'FINANCE' // 市财政局
  | 'AUDIT' // 市审计局
  | 'SUPERVISOR' // 网信办/公安局/保密机要局
  | 'GOVERNMENT' // 市人民政府
  | 'SYSTEM'; // 期限监测 (clock)

export const ROLES: readonly Role[] = [
  'CONSTRUCTION_UNIT',
  'OFFICE',
  'LEADING_GROUP',
  'FINANCE',
  'AUDIT',
  'SUPERVISOR',
  'GOVERNMENT',
  'SYSTEM',
];

export interface Actor {
  sub: string;
  name: string;
  role: Role;
  /** Department code; required for CONSTRUCTION_UNIT. */
  department?: string;
}

/**
 * Writing: a construction unit acts only on projects of its own department. Under 第七条 each
 * participating department applies for its own part as its own project, so the lead department
 * reads the participants' parts but does not file for them. The audit bureau never writes
 * domain facts (第二十八条: it audits).
 */
export function canActOnProject(actor: Actor, project: ProjectState | { departmentCode: string | null }): boolean {
  const departmentCode = 'status' in project ? departmentOf(project) : project.departmentCode;
  switch (actor.role) {
    case 'AUDIT':
      return false;
    case 'CONSTRUCTION_UNIT':
      return actor.department !== undefined && actor.department === departmentCode;
    case 'OFFICE':
    case 'LEADING_GROUP':
    case 'FINANCE':
    case 'SUPERVISOR':
    case 'GOVERNMENT':
    case 'SYSTEM':
      return true;
    default: {
      const unexpected: never = actor.role;
      return unexpected;
    }
  }
}

/**
 * Reading: a construction unit sees its own department's projects and the cross-department
 * projects it leads or takes part in (第三条, 第七条); every other role reads all.
 */
export function canReadProject(
  actor: Actor,
  departments: { departmentCode: string; participants?: string[]; leadDepartment?: string },
): boolean {
  if (actor.role !== 'CONSTRUCTION_UNIT') return true;
  if (actor.department === undefined) return false;
  return (
    departments.departmentCode === actor.department ||
    departments.leadDepartment === actor.department ||
    (departments.participants ?? []).includes(actor.department)
  );
}

/**
 * Replaying a project's history (events, point-in-time state): the audit bureau (第二十八条),
 * the office, and the construction units the project belongs to. Other roles see the current
 * read model only.
 */
export function canReplayHistory(
  actor: Actor,
  departments: { departmentCode: string; participants?: string[]; leadDepartment?: string },
): boolean {
  if (actor.role === 'AUDIT' || actor.role === 'OFFICE') return true;
  return actor.role === 'CONSTRUCTION_UNIT' && canReadProject(actor, departments);
}
