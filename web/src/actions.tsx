import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, uuid, type Problem } from './api';
import { useApp } from './context';
import { pick, RECT_STATUS, type Lang } from './i18n';
import { amountInWords, fenToWanInput, formatWan, parseWan } from './money';

type Field =
  | {
      name: string;
      kind: 'text' | 'textarea' | 'date' | 'list';
      label: [string, string];
      value?: string;
      /** may be left empty (the command's field is optional) */
      optional?: boolean;
    }
  /** wan: typed in 万元, sent in fen; `value` in fen */
  | { name: string; kind: 'wan' | 'int'; label: [string, string]; value?: number }
  | { name: string; kind: 'bool'; label: [string, string]; value?: boolean }
  | { name: string; kind: 'select'; label: [string, string]; options: Array<[string, string, string]>; value?: string }
  | { name: 'rectificationId' | 'basis'; kind: 'rect'; label: [string, string] }
  | { name: 'materials'; kind: 'materials'; label: [string, string] }
  | { name: 'keyContent'; kind: 'keyContent'; label: [string, string] };

interface Spec {
  label: [string, string];
  tone?: 'primary' | 'danger';
  fields: Field[];
}

export interface ProjectLike {
  status: string;
  stageApproved?: boolean;
  /** the commands the state leaves something to do for, from the domain's table (read model) */
  availableCommands?: string[];
  revision: number;
  approvedEstimateFen?: number | null;
  currentTotalFen?: number | null;
  rectifications?: Array<{ rectificationId: string; status: string; findings: string[]; deadline: string }>;
  planYear?: number;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
// Forms start empty: an opinion, a reason or a document number is the user's to write, never invented.
const opinion = (): Field => ({ name: 'opinion', kind: 'textarea', label: ['意见', 'Opinion'] });
const reason = (): Field => ({ name: 'reason', kind: 'textarea', label: ['理由', 'Reason'] });
/** 第二十七条 a sanction names the overdue or rejected rectification it rests on. */
const basis: Field = { name: 'basis', kind: 'rect', label: ['所依据的整改事项', 'Basis: rectification'] };

export const ACTIONS: Record<string, Spec> = {
  'submit-proposal': {
    label: ['报送项目建议书', 'Submit proposal'],
    fields: [{ name: 'documentRef', kind: 'text', label: ['文件编号', 'Document ref'], value: '' }],
  },
  'approve-proposal': {
    label: ['批复项目建议书', 'Approve proposal'],
    tone: 'primary',
    fields: [opinion()],
  },
  'reject-proposal': {
    label: ['不予批复建议书', 'Reject proposal'],
    tone: 'danger',
    fields: [opinion()],
  },
  'submit-feasibility': {
    label: ['报送可行性研究报告', 'Submit feasibility study'],
    fields: [{ name: 'documentRef', kind: 'text', label: ['文件编号', 'Document ref'], value: '' }],
  },
  'review-sharing': {
    label: ['信息共享审核', 'Review sharing'],
    fields: [{ name: 'shareable', kind: 'bool', label: ['按要求共享', 'Shareable'], value: true }, opinion()],
  },
  'approve-feasibility': {
    label: ['批复可行性研究报告', 'Approve feasibility'],
    tone: 'primary',
    fields: [opinion()],
  },
  'reject-feasibility': {
    label: ['不予批复可研', 'Reject feasibility'],
    tone: 'danger',
    fields: [opinion()],
  },
  'submit-preliminary-design': {
    label: ['报送初步设计和概算', 'Submit preliminary design'],
    fields: [
      { name: 'documentRef', kind: 'text', label: ['文件编号', 'Document ref'], value: '' },
      { name: 'estimateFen', kind: 'wan', label: ['投资概算（万元）', 'Estimate (10k CNY)'] },
      {
        name: 'productSecurityStatement',
        kind: 'textarea',
        label: ['产品安全可靠性说明', 'Product security statement'],
        value: '',
      },
      {
        name: 'cryptoApplicationPlan',
        kind: 'text',
        label: ['密码应用方案（文件编号）', 'Crypto application plan (document ref)'],
        value: '',
      },
    ],
  },
  'review-preliminary-design': {
    label: ['初步设计评审核价', 'Review preliminary design'],
    fields: [
      { name: 'passed', kind: 'bool', label: ['评审通过', 'Passed'], value: true },
      { name: 'verifiedEstimateFen', kind: 'wan', label: ['核定概算（万元）', 'Verified estimate (10k CNY)'] },
      opinion(),
    ],
  },
  'approve-preliminary-design': {
    label: ['批复初步设计', 'Approve preliminary design'],
    tone: 'primary',
    fields: [
      { name: 'approvedEstimateFen', kind: 'wan', label: ['批复概算（万元）', 'Approved estimate (10k CNY)'] },
      opinion(),
    ],
  },
  'reject-preliminary-design': {
    label: ['不予批复初步设计', 'Reject preliminary design'],
    tone: 'danger',
    fields: [opinion()],
  },
  'assign-responsibility': {
    label: ['确定实施机构和责任人', 'Assign responsibility'],
    fields: [
      { name: 'implementingBody', kind: 'text', label: ['实施机构', 'Implementing body'], value: '' },
      { name: 'responsiblePerson', kind: 'text', label: ['责任人', 'Responsible person'], value: '' },
    ],
  },
  'engage-supervision': {
    label: ['委托工程监理', 'Engage supervision unit'],
    fields: [
      { name: 'supervisionUnit', kind: 'text', label: ['监理单位', 'Supervision unit'], value: '' },
      { name: 'contractRef', kind: 'text', label: ['合同编号', 'Contract ref'], value: '' },
    ],
  },
  'start-construction': {
    label: ['开工', 'Start construction'],
    tone: 'primary',
    fields: [{ name: 'startedOn', kind: 'date', label: ['开工日期', 'Started on'], value: today() }],
  },
  'submit-performance-report': {
    label: ['提交绩效评价报告', 'Submit performance report'],
    fields: [
      { name: 'year', kind: 'int', label: ['年度', 'Year'], value: new Date().getFullYear() },
      { name: 'progressPercent', kind: 'int', label: ['进度（%）', 'Progress (%)'] },
      {
        name: 'investmentExecutedFen',
        kind: 'wan',
        label: ['已执行投资（万元）', 'Investment executed (10k CNY)'],
      },
      { name: 'userOpinions', kind: 'textarea', label: ['使用单位意见', 'User opinions'], value: '' },
      {
        name: 'supervisionOpinion',
        kind: 'textarea',
        label: ['监理意见', 'Supervision opinion'],
        value: '',
        optional: true,
      },
    ],
  },
  'report-incident': {
    label: ['报告重大问题', 'Report incident'],
    tone: 'danger',
    fields: [
      {
        name: 'kind',
        kind: 'select',
        label: ['类型', 'Kind'],
        options: [
          ['SERIOUS_DELAY', '严重滞后', 'Serious delay'],
          ['MAJOR_LOSS', '重大损失', 'Major loss'],
        ],
        value: 'SERIOUS_DELAY',
      },
      { name: 'description', kind: 'textarea', label: ['说明', 'Description'], value: '' },
    ],
  },
  'file-adjustment': {
    label: ['调整备案', 'File adjustment'],
    fields: [
      {
        name: 'reason',
        kind: 'select',
        label: ['调整原因', 'Reason'],
        options: [
          ['TECHNICAL_OPTIMIZATION', '优化技术方案', 'Technical optimisation'],
          ['BUSINESS_NEEDS', '批复框架内业务需求', 'Business needs'],
          ['CITY_APPROVED', '市委市政府同意', 'City approved'],
        ],
        value: 'TECHNICAL_OPTIMIZATION',
      },
      { name: 'amountFen', kind: 'wan', label: ['调整资金（万元）', 'Funds moved (10k CNY)'] },
      { name: 'newTotalFen', kind: 'wan', label: ['调整后总投资（万元）', 'New total (10k CNY)'] },
      { name: 'objectivesUnchanged', kind: 'bool', label: ['建设目标不变', 'Objectives unchanged'], value: true },
      { name: 'description', kind: 'textarea', label: ['说明', 'Description'], value: '' },
    ],
  },
  'complete-construction': {
    label: ['建成（试运行）', 'Complete construction'],
    fields: [
      { name: 'completedOn', kind: 'date', label: ['建成日期', 'Completed on'], value: today() },
      { name: 'surplusFen', kind: 'wan', label: ['结余资金（万元）', 'Surplus (10k CNY)'], value: 0 },
    ],
  },
  'return-surplus': {
    label: ['退回结余资金', 'Return surplus'],
    fields: [{ name: 'amountFen', kind: 'wan', label: ['金额（万元）', 'Amount (10k CNY)'] }],
  },
  'agree-acceptance-plan': {
    label: ['确定验收方案', 'Agree acceptance plan'],
    fields: [
      { name: 'method', kind: 'text', label: ['验收方式', 'Method'], value: '' },
      {
        name: 'experts',
        kind: 'list',
        label: ['专家（逗号分隔）', 'Experts (comma-separated)'],
        value: '',
      },
      {
        name: 'materials',
        kind: 'list',
        label: ['验收材料（逗号分隔）', 'Materials (comma-separated)'],
        value: '',
        optional: true,
      },
    ],
  },
  'record-archive-acceptance': {
    label: ['记录档案验收', 'Record archive acceptance'],
    fields: [{ name: 'passed', kind: 'bool', label: ['通过', 'Passed'], value: true }, opinion()],
  },
  'record-acceptance': {
    label: ['记录项目验收', 'Record acceptance'],
    tone: 'primary',
    fields: [
      { name: 'passed', kind: 'bool', label: ['通过', 'Passed'], value: true },
      opinion(),
      { name: 'materials', kind: 'materials', label: ['验收材料', 'Materials'] },
      { name: 'keyContent', kind: 'keyContent', label: ['验收重点内容（第十三条）', 'Key content (Art. 13)'] },
    ],
  },
  'request-acceptance-extension': {
    label: ['申请延期验收', 'Request extension'],
    fields: [{ name: 'until', kind: 'date', label: ['延期至', 'Until'] }, reason()],
  },
  'grant-acceptance-extension': {
    label: ['同意延期验收', 'Grant extension'],
    // the office grants the date the unit asked for: the body is the opinion only
    fields: [opinion()],
  },
  'register-asset': {
    label: ['登记资产', 'Register asset'],
    fields: [
      {
        name: 'assetClass',
        kind: 'select',
        label: ['资产类别', 'Asset class'],
        options: [
          ['INTANGIBLE', '无形资产', 'Intangible'],
          ['FIXED', '固定资产', 'Fixed'],
        ],
        value: 'INTANGIBLE',
      },
      { name: 'costFen', kind: 'wan', label: ['成本（万元）', 'Cost (10k CNY)'] },
    ],
  },
  'record-compliance': {
    label: ['记录合规情况', 'Record compliance'],
    fields: [
      { name: 'sharesData', kind: 'bool', label: ['按要求共享数据', 'Shares data'], value: true },
      { name: 'duplicateCollection', kind: 'bool', label: ['重复采集数据', 'Duplicate collection'], value: false },
      { name: 'inCatalogue', kind: 'bool', label: ['已纳入总目录', 'In catalogue'], value: true },
      { name: 'cryptoAssessmentPassed', kind: 'bool', label: ['密评通过', 'Crypto assessment passed'], value: true },
      {
        name: 'securityAssessmentPassed',
        kind: 'bool',
        label: ['等保测评通过', 'Security assessment passed'],
        value: true,
      },
      { name: 'majorSecurityHazard', kind: 'bool', label: ['存在重大安全隐患', 'Major security hazard'], value: false },
    ],
  },
  'grant-sharing-exemption': {
    label: ['批准保留（不共享）', 'Grant sharing exemption'],
    fields: [reason()],
  },
  'order-rectification': {
    label: ['责令限期整改', 'Order rectification'],
    tone: 'danger',
    fields: [
      {
        name: 'findings',
        kind: 'list',
        label: ['问题（逗号分隔）', 'Findings (comma-separated)'],
        value: '',
      },
      { name: 'deadline', kind: 'date', label: ['整改期限', 'Deadline'], value: inDays(30) },
      { name: 'article', kind: 'text', label: ['依据条款', 'Article'], value: '' },
    ],
  },
  'submit-rectification': {
    label: ['报送整改报告', 'Submit rectification report'],
    fields: [
      { name: 'rectificationId', kind: 'rect', label: ['整改事项', 'Rectification'] },
      { name: 'report', kind: 'textarea', label: ['整改报告', 'Report'], value: '' },
    ],
  },
  'verify-rectification': {
    label: ['核验整改', 'Verify rectification'],
    fields: [
      { name: 'rectificationId', kind: 'rect', label: ['整改事项', 'Rectification'] },
      { name: 'passed', kind: 'bool', label: ['核验通过', 'Passed'], value: true },
      opinion(),
    ],
  },
  criticize: {
    label: ['通报批评', 'Criticise'],
    tone: 'danger',
    fields: [reason(), basis],
  },
  'defer-investment': {
    label: ['暂缓安排投资计划', 'Defer investment'],
    tone: 'danger',
    fields: [reason(), basis],
  },
  suspend: {
    label: ['暂停建设', 'Suspend'],
    tone: 'danger',
    fields: [reason(), basis],
  },
  resume: { label: ['恢复建设', 'Resume'], fields: [reason()] },
  terminate: {
    label: ['终止项目', 'Terminate'],
    tone: 'danger',
    fields: [reason(), basis],
  },
};

const MATERIALS: Array<[string, string, string]> = [
  ['acceptanceReport', '验收报告', 'Acceptance report'],
  ['constructionSummary', '建设总结', 'Construction summary'],
  ['biddingAndContracts', '招投标及合同', 'Bidding and contracts'],
  ['processDocuments', '过程文档', 'Process documents'],
  ['financialReport', '财务报告', 'Financial report'],
  ['securityAssessmentReport', '等保测评报告', 'Security assessment'],
  ['cryptoAssessmentReport', '密评报告', 'Crypto assessment'],
];

/** 第十三条 key content: [name, kind, zh, en]. */
const KEY_CONTENT: Array<[string, 'text' | 'bool', string, string]> = [
  ['productSecurityReliability', 'text', '软硬件产品安全可靠情况', 'Product security and reliability'],
  ['cryptoAssessmentPassed', 'bool', '密码应用安全性评估通过', 'Crypto assessment passed'],
  ['securityReviewPassed', 'bool', '安全审查通过', 'Security review passed'],
  ['energyEfficiency', 'text', '能效情况（基础设施项目必填）', 'Energy efficiency (infrastructure projects)'],
];

/** Amounts that are an estimate of the project, which a form may start from (the stored total). */
const ESTIMATE_FIELDS = ['estimateFen', 'verifiedEstimateFen', 'approvedEstimateFen', 'newTotalFen'];

function defaultValue(f: Field, p: ProjectLike): unknown {
  if (f.kind === 'wan') {
    // Only an estimate starts from the facts stored (the total now, or the approved one); others empty.
    const stored = ESTIMATE_FIELDS.includes(f.name) ? (p.currentTotalFen ?? p.approvedEstimateFen ?? null) : null;
    const base = f.value ?? stored;
    return base === null ? '' : fenToWanInput(base);
  }
  if (f.kind === 'rect') {
    const r = (p.rectifications ?? []).find((x) => x.status !== 'VERIFIED');
    return r?.rectificationId ?? '';
  }
  if (f.kind === 'materials') return Object.fromEntries(MATERIALS.map(([k]) => [k, '']));
  // 第十三条 what the acceptance found is the unit's to state: nothing is claimed for it
  if (f.kind === 'keyContent')
    return {
      productSecurityReliability: '',
      cryptoAssessmentPassed: false,
      securityReviewPassed: false,
      energyEfficiency: '',
    };
  return (f as { value?: unknown }).value ?? '';
}

function toBody(spec: Spec, values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const v = values[f.name];
    if (f.kind === 'wan') {
      // exact: the decimal string typed in 万元 becomes integer fen (money.ts), never v * 1e6
      const parsed = parseWan(String(v ?? ''));
      if (parsed.ok) body[f.name] = parsed.fen;
    } else if (f.kind === 'int') body[f.name] = Number(v);
    else if (f.kind === 'list')
      body[f.name] = String(v)
        .split(/[,，\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
    else if (f.kind === 'keyContent') {
      // energy efficiency is key content of infrastructure only: an empty one is left out
      const { energyEfficiency, ...rest } = v as Record<string, unknown>;
      body[f.name] = energyEfficiency === '' ? rest : { ...rest, energyEfficiency };
    } else if (f.kind === 'textarea' || f.kind === 'text') {
      if (v === '' && (f.name === 'supervisionOpinion' || f.name === 'trialRunNotes')) continue;
      body[f.name] = v;
    } else if (f.kind === 'rect' && f.name === 'basis') body.basis = { rectificationId: v };
    else body[f.name] = v;
  }
  return body;
}

/** Plain-words refusal: what happened, the article, the server's own words, the code. */
export function ProblemBox({
  problem,
  lang,
  labels = {},
}: {
  problem: Problem;
  lang: Lang;
  /** the form's own labels by field name: the server's field names are not shown to users */
  labels?: Record<string, string>;
}) {
  const { t } = useApp();
  const heading =
    problem.status === 403
      ? t('forbidden')
      : problem.status === 409
        ? problem.code === 'REVISION_CONFLICT'
          ? t('conflict')
          : t('invalidState')
        : problem.status === 422
          ? t('ruleViolation')
          : problem.status === 400
            ? t('invalidInput')
            : problem.status === 404
              ? t('notFound')
              : problem.status === 401
                ? t('signInAgain')
                : t('unavailable');
  const detail = String(problem.detail ?? problem.title ?? '');
  const m = /^(.*) \(([^()]*(?:\([^()]*\)[^()]*)*)\)$/s.exec(detail);
  const words = m ? (lang === 'zh' ? m[1] : m[2]) : detail;
  return (
    <div class="problem" role="alert" data-testid="problem">
      <strong>
        {t('refused')}：{heading}
        {problem.article && (
          <span class="article" data-testid="problem-article">
            {t('article')} {problem.article}
          </span>
        )}
      </strong>
      <p>{words}</p>
      {problem.errors && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field}>
              {labels[e.field.split('.')[0]] ?? (lang === 'zh' ? '填写内容' : 'A field')}：
              {(lang === 'zh' && e.problemsZh ? e.problemsZh : e.problems).join(lang === 'zh' ? '；' : '; ')}
            </li>
          ))}
        </ul>
      )}
      <small>
        HTTP {problem.status} · {problem.code}
      </small>
    </div>
  );
}

/**
 * Decisions that cannot be taken back once recorded (the event is immutable): 批复/不予批复, the
 * sanctions of 第二十七条、第三十条, termination and the acceptance. Each asks for confirmation, and
 * so does every form with an amount (its 大写 is read back before it is recorded).
 */
const IRREVERSIBLE = new Set([
  'approve-proposal',
  'reject-proposal',
  'approve-feasibility',
  'reject-feasibility',
  'review-preliminary-design',
  'approve-preliminary-design',
  'reject-preliminary-design',
  'record-archive-acceptance',
  'record-acceptance',
  'verify-rectification',
  'order-rectification',
  'criticize',
  'defer-investment',
  'suspend',
  'terminate',
]);

const needsConfirmation = (route: string): boolean =>
  IRREVERSIBLE.has(route) || (ACTIONS[route]?.fields.some((f) => f.kind === 'wan') ?? false);

/** Field errors the form finds before anything is sent (amounts in 万元). */
function formErrors(spec: Spec, values: Record<string, unknown>, lang: Lang): Array<{ label: string; text: string }> {
  const out: Array<{ label: string; text: string }> = [];
  for (const f of spec.fields) {
    const blank = !/[^\s\u200b-\u200d\u2060\ufeff]/u.test(String(values[f.name] ?? ''));
    if ((f.kind === 'text' || f.kind === 'textarea' || f.kind === 'list' || f.kind === 'date') && !f.optional) {
      if (blank) out.push({ label: f.label[lang === 'zh' ? 0 : 1], text: lang === 'zh' ? '请填写此项' : 'required' });
      continue;
    }
    if (f.kind === 'int' && blank) {
      out.push({ label: f.label[lang === 'zh' ? 0 : 1], text: lang === 'zh' ? '请填写此项' : 'required' });
      continue;
    }
    if (f.kind !== 'wan') continue;
    const parsed = parseWan(String(values[f.name] ?? ''));
    if (!parsed.ok)
      out.push({ label: f.label[lang === 'zh' ? 0 : 1], text: WAN_PROBLEM[parsed.reason][lang === 'zh' ? 0 : 1] });
  }
  return out;
}

/** What will be recorded, field by field, in words a reader checks (amounts with 大写). */
function recordedLines(
  spec: Spec,
  values: Record<string, unknown>,
  project: ProjectLike,
  lang: Lang,
  yesNo: (b: boolean) => string,
): Array<[string, string, string?]> {
  const zh = lang === 'zh';
  return spec.fields.map((f): [string, string, string?] => {
    const label = f.label[zh ? 0 : 1];
    const v = values[f.name];
    switch (f.kind) {
      case 'wan': {
        const parsed = parseWan(String(v ?? ''));
        return parsed.ok ? [label, formatWan(parsed.fen), amountInWords(parsed.fen)] : [label, String(v)];
      }
      case 'bool':
        return [label, yesNo(Boolean(v))];
      case 'select':
        return [label, f.options.find(([code]) => code === v)?.[zh ? 1 : 2] ?? String(v)];
      case 'rect': {
        const r = (project.rectifications ?? []).find((x) => x.rectificationId === v);
        return [label, r ? `${r.findings.join('；')}（${r.deadline}）` : '—'];
      }
      case 'materials':
        return [
          label,
          MATERIALS.map(([k, mzh, men]) => `${zh ? mzh : men}：${(v as Record<string, string>)[k] || '—'}`).join('；'),
        ];
      case 'keyContent':
        return [
          label,
          KEY_CONTENT.map(([k, kind, kzh, ken]) => {
            const x = (v as Record<string, unknown>)[k];
            return `${zh ? kzh : ken}：${kind === 'bool' ? yesNo(Boolean(x)) : String(x || '—')}`;
          }).join('；'),
        ];
      default:
        return [label, String(v ?? '') || '—'];
    }
  });
}

/**
 * The confirmation of an irreversible decision: a modal <dialog> (focus kept inside, Esc cancels),
 * labelled by its heading and described by what will be recorded and the article it rests on.
 */
function ConfirmDialog(props: {
  title: string;
  articles: string;
  lines: Array<[string, string, string?]>;
  danger: boolean;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  // Chromium lets Tab leave a modal dialog for the browser's own controls: wrap it inside.
  const trapTab = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const focusable = [
      ...ref.current.querySelectorAll<HTMLElement>('button:not([disabled]), [href], input, textarea, select'),
    ];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
  return (
    <dialog
      ref={ref}
      onKeyDown={trapTab}
      class="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-what"
      data-testid="confirm-dialog"
      onCancel={(e) => (e.preventDefault(), props.onCancel())}
    >
      <h3 id="confirm-title">{t('confirmTitle', { action: props.title })}</h3>
      <div id="confirm-what">
        <p class="confirm-article" data-testid="confirm-article">
          {t('confirmArticle', { article: props.articles || '—' })}
        </p>
        <dl class="confirm-lines">
          {props.lines.map(([label, value, words]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>
                {value}
                {words && (
                  <span class="words" data-testid="confirm-words">
                    {t('inWords')} {words}
                  </span>
                )}
              </dd>
            </div>
          ))}
        </dl>
        <p class="confirm-note">{t('confirmNote')}</p>
      </div>
      <div class="form-buttons">
        <button
          type="button"
          class={props.danger ? 'danger' : 'primary'}
          disabled={props.busy}
          onClick={props.onConfirm}
          data-testid="confirm-ok"
          autoFocus={!props.danger}
        >
          {t('confirm')}
        </button>
        <button
          type="button"
          class="ghost"
          onClick={props.onCancel}
          data-testid="confirm-cancel"
          autoFocus={props.danger}
        >
          {t('cancel')}
        </button>
      </div>
    </dialog>
  );
}

/** ?action=<route> (from the 待办 screen): the form to open when the page loads. */
function requestedAction(): string | null {
  return new URLSearchParams(location.search).get('action');
}

export function Actions({
  projectId,
  project,
  onDone,
}: {
  projectId: string;
  project: ProjectLike;
  onDone: (revision: number, events: string[]) => void;
}) {
  const { lang, t, session, commands } = useApp();
  const [showAll, setShowAll] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [invalid, setInvalid] = useState<Array<{ label: string; text: string }>>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const L = (x: [string, string]) => (lang === 'zh' ? x[0] : x[1]);
  const mine = commands.filter((c) => c.roles.includes(session.claims.role) && ACTIONS[c.route]);
  // What the domain's command table allows in this state (the read model's availableCommands), not a copy here.
  const shown = mine.filter((c) => showAll || (project.availableCommands ?? []).includes(c.type));

  const start = (route: string) => {
    const spec = ACTIONS[route];
    setOpen(route);
    setProblem(null);
    setInvalid([]);
    setConfirming(false);
    setDone(null);
    setValues(Object.fromEntries(spec.fields.map((f) => [f.name, defaultValue(f, project)])));
  };

  // Opened from the 待办 screen: the form of the item's action, once the catalogue is known.
  const requested = useRef(requestedAction());
  useEffect(() => {
    const route = requested.current;
    if (route && mine.some((c) => c.route === route)) {
      requested.current = null;
      start(route);
      document.querySelector('[data-testid=action-form]')?.scrollIntoView({ block: 'center' });
    }
  }, [mine.length]);

  if (mine.length === 0) return null;

  const send = async () => {
    if (!open) return;
    setBusy(true);
    setProblem(null);
    try {
      const body = { ...toBody(ACTIONS[open], values), expectedRevision: project.revision };
      const answer = await api<{ revision: number; events: string[] }>(
        session.token,
        `/projects/${projectId}/${open}`,
        { method: 'POST', body, idempotencyKey: uuid() },
      );
      // in words (the action's own label), not the recorded event types
      setDone(L(ACTIONS[open].label));
      setOpen(null);
      onDone(answer.revision, answer.events);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0, detail: String(error) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (!open) return;
    const errors = formErrors(ACTIONS[open], values, lang);
    setInvalid(errors);
    if (errors.length > 0) return;
    if (needsConfirmation(open)) setConfirming(true);
    else void send();
  };

  const spec = open ? ACTIONS[open] : null;
  const cmd = (route: string) => commands.find((c) => c.route === route);

  return (
    <div class="card actions" data-testid="actions">
      <h2>{t('actions')}</h2>
      <div class="action-buttons">
        {shown.map((c) => (
          <button
            key={c.route}
            class={`action ${ACTIONS[c.route].tone ?? ''} ${open === c.route ? 'on' : ''}`}
            data-testid={`action-${c.route}`}
            onClick={() => start(c.route)}
            title={c.articles}
          >
            {L(ACTIONS[c.route].label)}
          </button>
        ))}
        {shown.length === 0 && <p class="muted">{t('actionsNone')}</p>}
      </div>
      <label class="check small">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll((e.target as HTMLInputElement).checked)} />
        {t('showAllActions')}
      </label>
      {spec && open && (
        <form class="action-form" onSubmit={submit} data-testid="action-form" aria-labelledby="action-form-title">
          <h3 id="action-form-title">
            {L(spec.label)} <small class="muted">{cmd(open)?.articles}</small>
          </h3>
          {spec.fields.map((f) => (
            <FieldInput
              key={f.name}
              f={f}
              lang={lang}
              value={values[f.name]}
              project={project}
              onChange={(v) => setValues((vs) => ({ ...vs, [f.name]: v }))}
            />
          ))}
          {invalid.length > 0 && (
            <div class="problem" role="alert" data-testid="form-invalid">
              <strong>{t('invalidInput')}</strong>
              <ul>
                {invalid.map((x) => (
                  <li key={x.label}>
                    {x.label}：{x.text}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div class="form-buttons">
            <button
              type="submit"
              class={spec.tone === 'danger' ? 'danger' : 'primary'}
              disabled={busy}
              data-testid="action-submit"
            >
              {t('submit')}
            </button>
            <button type="button" class="ghost" onClick={() => (setOpen(null), setProblem(null), setInvalid([]))}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
      {spec && open && confirming && (
        <ConfirmDialog
          title={L(spec.label)}
          articles={cmd(open)?.articles ?? ''}
          lines={recordedLines(spec, values, project, lang, (b) => t(b ? 'yes' : 'no'))}
          danger={spec.tone === 'danger'}
          busy={busy}
          onConfirm={() => void send()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {problem && (
        <ProblemBox
          problem={problem}
          lang={lang}
          labels={Object.fromEntries((spec?.fields ?? []).map((f) => [f.name, L(f.label)]))}
        />
      )}
      {done && (
        <p class="ok" data-testid="action-done">
          ✓ {t('done', { e: done })}
        </p>
      )}
    </div>
  );
}

function FieldInput({
  f,
  lang,
  value,
  onChange,
  project,
}: {
  f: Field;
  lang: Lang;
  value: unknown;
  onChange: (v: unknown) => void;
  project: ProjectLike;
}) {
  const label = lang === 'zh' ? f.label[0] : f.label[1];
  const target = (e: Event) => e.target as HTMLInputElement;
  if (f.kind === 'bool')
    return (
      <label class="check field">
        <input type="checkbox" name={f.name} checked={Boolean(value)} onChange={(e) => onChange(target(e).checked)} />
        {label}
      </label>
    );
  if (f.kind === 'keyContent') {
    const v = value as Record<string, string | boolean>;
    return (
      <fieldset class="field">
        <legend>{label}</legend>
        <div class="materials">
          {KEY_CONTENT.map(([k, kind, zh, en]) =>
            kind === 'bool' ? (
              <label key={k} class="check">
                <input
                  type="checkbox"
                  name={k}
                  checked={Boolean(v[k])}
                  onChange={(e) => onChange({ ...v, [k]: target(e).checked })}
                />
                {lang === 'zh' ? zh : en}
              </label>
            ) : (
              <label key={k}>
                <span>{lang === 'zh' ? zh : en}</span>
                <input name={k} value={String(v[k] ?? '')} onInput={(e) => onChange({ ...v, [k]: target(e).value })} />
              </label>
            ),
          )}
        </div>
      </fieldset>
    );
  }
  if (f.kind === 'materials') {
    const v = value as Record<string, string>;
    return (
      <fieldset class="field">
        <legend>{label}</legend>
        <div class="materials">
          {MATERIALS.map(([k, zh, en]) => (
            <label key={k}>
              <span>{lang === 'zh' ? zh : en}</span>
              <input value={v[k]} onInput={(e) => onChange({ ...v, [k]: target(e).value })} />
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  return (
    <label class="field">
      <span>{label}</span>
      {f.kind === 'textarea' ? (
        <textarea name={f.name} rows={2} value={String(value ?? '')} onInput={(e) => onChange(target(e).value)} />
      ) : f.kind === 'select' ? (
        <select name={f.name} value={String(value)} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
          {f.options.map(([v, zh, en]) => (
            <option key={v} value={v}>
              {lang === 'zh' ? zh : en}
            </option>
          ))}
        </select>
      ) : f.kind === 'rect' ? (
        <select name={f.name} value={String(value)} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
          {(project.rectifications ?? []).map((r) => (
            <option key={r.rectificationId} value={r.rectificationId}>
              {r.findings.join('；')} · {r.deadline} · {pick(lang, RECT_STATUS[r.status], r.status)}
            </option>
          ))}
        </select>
      ) : f.kind === 'wan' ? (
        <WanInput name={f.name} value={String(value ?? '')} lang={lang} onChange={onChange} />
      ) : (
        <input
          name={f.name}
          type={f.kind === 'date' ? 'date' : f.kind === 'int' ? 'number' : 'text'}
          value={String(value ?? '')}
          onInput={(e) => onChange(target(e).value)}
        />
      )}
    </label>
  );
}

const WAN_PROBLEM: Record<string, [string, string]> = {
  empty: ['请填写金额（万元）', 'Enter an amount in 10k CNY'],
  format: ['请填写不小于零的数字，例如 1,234.56', 'Enter a number not below zero, e.g. 1,234.56'],
  precision: ['最多精确到分（小数点后六位）', 'At most six decimals (one fen)'],
  range: ['金额过大', 'Amount too large'],
};

/** An amount typed in 万元 (text, so "1,234.56" and full-width digits are kept as typed), read back with 大写. */
function WanInput(props: { name: string; value: string; lang: Lang; onChange: (v: unknown) => void }) {
  const parsed = parseWan(props.value);
  const hintId = `wan-hint-${props.name}`;
  return (
    <>
      <span class="wan-input">
        <input
          name={props.name}
          inputMode="decimal"
          autoComplete="off"
          aria-describedby={hintId}
          aria-invalid={!parsed.ok && props.value !== ''}
          value={props.value}
          onInput={(e) => props.onChange((e.target as HTMLInputElement).value)}
        />
        <span class="unit" aria-hidden="true">
          万元
        </span>
      </span>
      <small id={hintId} class={`wan-hint ${parsed.ok ? '' : 'bad'}`} data-testid={`wan-hint-${props.name}`}>
        {parsed.ok
          ? props.lang === 'zh'
            ? `${formatWan(parsed.fen)} · 大写 ${amountInWords(parsed.fen)}`
            : `${formatWan(parsed.fen)} · ${amountInWords(parsed.fen)}`
          : props.value === ''
            ? ''
            : WAN_PROBLEM[parsed.reason][props.lang === 'zh' ? 0 : 1]}
      </small>
    </>
  );
}
