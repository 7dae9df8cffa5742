import { IsoDate } from '../calendar';
import { Command } from '../project-commands';
import { Event } from '../project-events';
import { ComplianceFacts, RecordedBy } from '../project-values';
import { ComplianceRecord } from '../project/state';

/**
 * 第二十四条 存量系统: an information system a department runs that was not built as a project of
 * this register (or was built before it). One stream per system: `system-<id>`.
 */
type S<Type extends string, Data> = Command<Type, Data & { systemId: string }>;

export type InventoryExistingSystem = S<
  'InventoryExistingSystem',
  { name: string; /** in the total project catalogue (第九条) */ inCatalogue: boolean; description: string }
>;
/** The same facts a project's compliance record carries (第十一、十二、二十四条). */
export type RecordSystemCompliance = S<'RecordSystemCompliance', ComplianceFacts>;
/** 第二十四条 经市人民政府批准后方可保留. */
export type GrantSystemSharingExemption = S<'GrantSystemSharingExemption', { reason: string }>;

export type SystemCommand = InventoryExistingSystem | RecordSystemCompliance | GrantSystemSharingExemption;
export type SystemCommandType = SystemCommand['type'];
export type SystemCommandOf<T extends SystemCommandType> = Extract<SystemCommand, { type: T }>;

type SE<Type extends string, Data> = Event<Type, Data & { systemId: string }>;

export type ExistingSystemInventoried = SE<
  'ExistingSystemInventoried',
  {
    departmentCode: string;
    name: string;
    inCatalogue: boolean;
    description: string;
    inventoriedOn: IsoDate;
    inventoriedBy: RecordedBy;
  }
>;
export type SystemComplianceRecorded = SE<
  'SystemComplianceRecorded',
  ComplianceFacts & {
    recordedOn: IsoDate;
    recordedBy: RecordedBy;
    omEligible: boolean;
    omReasonCodes: string[];
    /** 第二十四条(一)(三) the findings that keep the department from building; [] when none */
    banReasonCodes: string[];
  }
>;
export type SystemSharingExemptionGranted = SE<
  'SystemSharingExemptionGranted',
  { reason: string; grantedOn: IsoDate; grantedBy: RecordedBy }
>;

export type SystemEvent = ExistingSystemInventoried | SystemComplianceRecorded | SystemSharingExemptionGranted;
export type SystemEventType = SystemEvent['type'];
export type SystemEventOf<T extends SystemEventType> = Extract<SystemEvent, { type: T }>;

export type SystemState =
  | { systemId: null }
  | {
      systemId: string;
      departmentCode: string;
      name: string;
      inCatalogue: boolean;
      inventoriedOn: IsoDate;
      compliance: ComplianceRecord;
    };
