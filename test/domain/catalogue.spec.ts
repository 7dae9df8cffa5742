import {
  COMMAND_CATALOGUE,
  DOMAIN_MODULES,
  EVENT_CATALOGUE,
  FAMILIES,
  PROJECT_COMMANDS,
  RULES,
  RuleCode,
  decisionArticle,
  ProjectCommand,
  ProjectCommandType,
  ProjectEvent,
  eventFamily,
  projectDecider,
} from '../../src/domain';
import { actors } from './fixtures';

describe('event catalogue (docs/api.md families)', () => {
  it('gives every event a Chinese label, a family and an article', () => {
    for (const [type, info] of Object.entries(EVENT_CATALOGUE)) {
      expect(info.label).toMatch(/[\u4e00-\u9fff]/);
      expect(FAMILIES).toContain(info.family);
      expect(info.article).toMatch(/^第.+条$/);
      expect(eventFamily(type)).toBe(info.family);
    }
    // 47, 第二十四条 the three existing-system events, 第七条 FrameworkFiled, FrameworkConfirmed, FrameworkAcknowledged,
    // 项目文件 DocumentUploaded
    expect(Object.keys(EVENT_CATALOGUE)).toHaveLength(54);
  });
  it('places events as docs/api.md does', () => {
    expect(eventFamily('PreliminaryDesignApproved')).toBe('批复');
    expect(EVENT_CATALOGUE.PreliminaryDesignApproved.label).toBe('初步设计已批复');
    expect(eventFamily('PreliminaryDesignReviewed')).toBe('批复');
    expect(eventFamily('AdjustmentFiled')).toBe('调整备案');
    expect(eventFamily('AcceptanceOverdue')).toBe('验收');
    expect(eventFamily('ProjectResumed')).toBe('整改');
    expect(eventFamily('BudgetFeedbackRecorded')).toBe('立项');
    expect(eventFamily('ConstructionStarted')).toBe('建设');
    expect(eventFamily('RectificationOverdue')).toBe('整改');
    expect(eventFamily('PerformanceReportOverdue')).toBe('建设');
    expect(eventFamily('InvestmentReleased')).toBe('建设');
    expect(eventFamily('Nope')).toBeUndefined();
  });
});

describe('command catalogue (docs/api.md roles)', () => {
  it('never lets AUDIT write, and only SYSTEM marks deadlines', () => {
    for (const [type, info] of Object.entries(COMMAND_CATALOGUE)) {
      expect(info.roles).not.toContain('AUDIT');
      expect(info.roles.includes('SYSTEM')).toBe(type.startsWith('Mark'));
      expect(info.articles).toMatch(/^第.+条$/);
    }
    expect(COMMAND_CATALOGUE.RegisterProject.creates).toBe(true);
    // 第二十七条 names the office as the one who terminates, and finance among those who order
    expect(COMMAND_CATALOGUE.TerminateProject.roles).toEqual(['OFFICE']);
    expect(COMMAND_CATALOGUE.OrderRectification.roles).toEqual(['OFFICE', 'SUPERVISOR', 'FINANCE']);
  });
  it('refuses every project command from an unlisted role before anything else', () => {
    for (const type of ['RegisterProject', ...Object.keys(PROJECT_COMMANDS)] as ProjectCommandType[]) {
      const command = {
        type,
        data: { projectId: 'p' },
        metadata: { now: '2026-11-26T10:00:00+08:00', actor: actors.audit },
      } as ProjectCommand;
      expect(() => projectDecider.decide(command, projectDecider.initialState())).toThrow(
        expect.objectContaining({ code: 'ROLE_NOT_ALLOWED', kind: 'FORBIDDEN', article: '第三条' }),
      );
    }
  });
});

describe('one home per rule (catalogues derived from the modules)', () => {
  it('defines each refusal code in exactly one module, and RULES is their union', () => {
    const codes = Object.values(DOMAIN_MODULES).flatMap((rules) => Object.keys(rules));
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(RULES).sort()).toEqual([...codes].sort());
    for (const [code, rule] of Object.entries(RULES)) {
      expect(rule.code).toBe(code);
      if (code !== 'INVALID_STATE') expect(rule.article).toMatch(/^第.+条$/);
      expect(rule.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(rule.en.length).toBeGreaterThan(0);
    }
  });

  it('lists every rule code under at least one command (none is raised elsewhere)', () => {
    // Codes the domain defines but no command decision raises; the HTTP layer would document
    // them itself. Empty today: keep it so, or say here where the code is raised.
    const RAISED_ELSEWHERE: readonly RuleCode[] = [];
    const listed = new Set(Object.values(COMMAND_CATALOGUE).flatMap((info) => info.refusals));
    const unlisted = (Object.keys(RULES) as RuleCode[]).filter(
      (code) => !listed.has(code) && !RAISED_ELSEWHERE.includes(code),
    );
    expect(unlisted).toEqual([]);
  });

  it('gives every command its role, article, time and status refusals', () => {
    for (const [type, info] of Object.entries(COMMAND_CATALOGUE)) {
      expect(info.refusals).toEqual(expect.arrayContaining(['ROLE_NOT_ALLOWED', 'NO_POLICY_IN_FORCE', 'INVALID_DATE']));
      expect(new Set(info.refusals).size).toBe(info.refusals.length);
      const onAProject = Object.prototype.hasOwnProperty.call(PROJECT_COMMANDS, type);
      if (onAProject) {
        expect(info.refusals).toEqual(
          expect.arrayContaining(['INVALID_STATE', 'PROJECT_NOT_FOUND', 'OTHER_DEPARTMENT']),
        );
      }
    }
    expect(COMMAND_CATALOGUE.FileAdjustment.refusals).toContain('ADJUSTMENT_EXCEEDS_LIMIT');
    expect(COMMAND_CATALOGUE.RegisterProject.refusals).toContain('PROJECT_EXISTS');
  });

  it('refines the recorded article where the facts add one', () => {
    const registered = { type: 'ProjectRegistered', data: { fastTrack: null, crossDepartment: {} } } as ProjectEvent;
    expect(decisionArticle(registered)).toBe('第二条、第五条、第七条、第九条');
    const ordered = (article: string) => ({ type: 'RectificationOrdered', data: { article } }) as ProjectEvent;
    expect(decisionArticle(ordered('第二十四条'))).toBe('第二十四条、第二十七条');
    expect(decisionArticle(ordered('第二十七条'))).toBe('第二十七条');
    expect(decisionArticle(ordered(''))).toBe('第二十七条');
  });

  it('lists events by family', () => {
    const families = Object.values(EVENT_CATALOGUE).map((info) => FAMILIES.indexOf(info.family));
    expect(families).toEqual([...families].sort((a, b) => a - b));
  });
});
