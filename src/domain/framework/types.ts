import { IsoDate } from '../calendar';
import { Command } from '../project-commands';
import { Event } from '../project-events';
import { RecordedBy } from '../project-values';

/**
 * 第七条 跨部门工程框架方案: one stream per framework (`framework-<id>`). The lead department files
 * it with the participating departments, objectives, main content per department, business and
 * data flows, interfaces and an initial data catalogue; each participant confirms it; the office
 * acknowledges it. Then each department applies for its own part as its own project.
 */
type F<Type extends string, Data> = Command<Type, Data & { frameworkId: string }>;

/** 主体内容 per department code: the items each department builds (no item under two departments). */
export type ContentByDepartment = Record<string, string[]>;

export type FileFramework = F<
  'FileFramework',
  {
    name: string;
    /** 参建部门: the other departments taking part (the lead is the filing department). */
    participants: string[];
    /** 建设目标 */
    objectives: string;
    contentByDepartment: ContentByDepartment;
    /** 业务流、数据流 */
    dataFlows: string;
    /** 系统接口 */
    interfaces: string;
    /** 初步形成的数据目录 */
    dataCatalogue: string[];
  }
>;
export type ConfirmFramework = F<'ConfirmFramework', { /** the participant's remark */ opinion?: string | null }>;
export type AcknowledgeFramework = F<'AcknowledgeFramework', { opinion: string }>;

export type FrameworkCommand = FileFramework | ConfirmFramework | AcknowledgeFramework;
export type FrameworkCommandType = FrameworkCommand['type'];
export type FrameworkCommandOf<T extends FrameworkCommandType> = Extract<FrameworkCommand, { type: T }>;

type FE<Type extends string, Data> = Event<Type, Data & { frameworkId: string }>;

export type FrameworkFiled = FE<
  'FrameworkFiled',
  {
    name: string;
    /** 牵头部门: the filing department */
    leadDepartment: string;
    participants: string[];
    objectives: string;
    contentByDepartment: ContentByDepartment;
    dataFlows: string;
    interfaces: string;
    dataCatalogue: string[];
    filedOn: IsoDate;
    filedBy: RecordedBy;
  }
>;
export type FrameworkConfirmed = FE<
  'FrameworkConfirmed',
  {
    department: string;
    opinion: string | null;
    confirmedOn: IsoDate;
    confirmedBy: RecordedBy;
    /** the participants still to confirm after this one */
    awaitingConfirmation: string[];
  }
>;
export type FrameworkAcknowledged = FE<
  'FrameworkAcknowledged',
  { opinion: string; acknowledgedOn: IsoDate; acknowledgedBy: RecordedBy }
>;

export type FrameworkEvent = FrameworkFiled | FrameworkConfirmed | FrameworkAcknowledged;
export type FrameworkEventType = FrameworkEvent['type'];
export type FrameworkEventOf<T extends FrameworkEventType> = Extract<FrameworkEvent, { type: T }>;

export interface FrameworkConfirmation {
  department: string;
  opinion: string | null;
  confirmedOn: IsoDate;
  confirmedBy: RecordedBy;
}

export interface FrameworkState {
  /** null until filed */
  filed: Omit<FrameworkFiled['data'], 'frameworkId'> | null;
  frameworkId: string | null;
  /** by department, in the order they confirmed */
  confirmations: Record<string, FrameworkConfirmation>;
  acknowledgement: { opinion: string; acknowledgedOn: IsoDate; acknowledgedBy: RecordedBy } | null;
}
