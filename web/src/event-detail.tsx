import { useState } from 'preact/hooks';
import type { Lang } from './i18n';
import { dateTime, money } from './format';

/** A timeline event as GET /projects/:id/history returns it (the fields the detail shows). */
export interface DetailEvent {
  position: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    eventId?: string;
    occurredAt: string;
    actor?: { name?: string; role: string; department?: string };
    article?: string;
    policy?: string;
    policyLapsed?: boolean;
    hash?: string;
  };
}

/** Chinese names of the event data's fields: the server's field names are not shown to users. */
const FIELD_ZH: Record<string, string> = {
  opinion: '意见',
  userOpinions: '用户意见',
  supervisionOpinion: '监理意见',
  estimateFen: '投资估算',
  approvedEstimateFen: '批复投资',
  adjustmentCeilingFen: '调整上限',
  previousTotalFen: '调整前总投资',
  newTotalFen: '调整后总投资',
  adjustedFundsTotalFen: '调整后资金合计',
  investmentExecutedFen: '已完成投资',
  actualCostFen: '实际费用',
  amountFen: '金额',
  costFen: '费用',
  approvedOn: '批复日期',
  submittedOn: '报送日期',
  registeredOn: '登记日期',
  acceptedOn: '验收日期',
  acceptanceDueOn: '验收期限',
  uploadedOn: '上传日期',
  reportedOn: '报告日期',
  orderedOn: '下达日期',
  filedOn: '备案日期',
  failedOn: '未通过日期',
  dueOn: '期限',
  missedDueOn: '错过的期限',
  deadline: '整改期限',
  name: '名称',
  kind: '类别',
  year: '年度',
  planYear: '计划年度',
  category: '项目类别',
  nature: '建设性质',
  departmentCode: '部门',
  description: '说明',
  reason: '理由',
  basis: '依据',
  report: '报告',
  findings: '问题',
  subject: '事项',
  schedule: '进度安排',
  progressPercent: '进度（%）',
  late: '逾期',
  onTime: '按期',
  fastTrack: '快速通道',
  fastTrackConfirmed: '快速通道已确认',
  fastTrackEvidenceRef: '快速通道依据',
  fundsBlocked: '资金冻结',
  supervisionRequired: '需要监理',
  objectivesUnchanged: '目标未变',
  followsMasterPlan: '符合总体规划',
  archiveAcceptancePassed: '档案验收通过',
  crossDepartment: '跨部门',
  dataSharing: '数据共享',
  networkNeeds: '网络需求',
  cloudResources: '云资源',
  cryptoApplicationPlan: '密码应用方案',
  productSecurityStatement: '产品安全声明',
  omGuarantee: '运维保障',
  trialRunNotes: '试运行情况',
  keyContent: '关键内容',
  materials: '材料',
  missingMaterials: '缺少的材料',
  assetClass: '资产类别',
  financeLibraryId: '财政项目库编号',
  documentRef: '文件',
  documentId: '文件编号',
  rectificationId: '整改编号',
  incidentId: '事件编号',
  orderedBy: '下达人',
  uploadedBy: '上传人',
  size: '大小',
  sha256: '摘要（SHA-256）',
  contentType: '文件类型',
  type: '类型',
  data: '数据',
};

const FIELD_EN_SKIP = new Set(['projectId']);

function label(key: string, lang: Lang): string {
  return lang === 'zh' ? (FIELD_ZH[key] ?? '其他') : key;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function isDocument(v: unknown): v is { documentId: string; name: string; size: number; sha256: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { documentId?: unknown }).documentId === 'string' &&
    typeof (v as { sha256?: unknown }).sha256 === 'string'
  );
}

function Value({
  k,
  v,
  lang,
  openDoc,
}: {
  k: string;
  v: unknown;
  lang: Lang;
  openDoc?: (documentId: string, name: string) => void;
}) {
  if (v === null || v === undefined || v === '') return <>—</>;
  if (k.endsWith('Fen') && typeof v === 'number') return <>{money(v, lang)}</>;
  if (typeof v === 'boolean') return <>{v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no'}</>;
  if (isDocument(v)) {
    return (
      <span class="ev-doc" data-testid="event-document">
        {openDoc ? (
          <button type="button" class="linkish" onClick={() => openDoc(v.documentId, v.name)}>
            {v.name}
          </button>
        ) : (
          v.name
        )}{' '}
        · {bytes(v.size)} · <code class="digest">{v.sha256}</code>
      </span>
    );
  }
  if (Array.isArray(v))
    return (
      <ul class="ev-list">
        {v.map((x, i) => (
          <li key={i}>
            <Value k={k} v={x} lang={lang} openDoc={openDoc} />
          </li>
        ))}
      </ul>
    );
  if (typeof v === 'object') return <Fields data={v as Record<string, unknown>} lang={lang} openDoc={openDoc} />;
  return <>{String(v)}</>;
}

function Fields({
  data,
  lang,
  openDoc,
}: {
  data: Record<string, unknown>;
  lang: Lang;
  openDoc?: (documentId: string, name: string) => void;
}) {
  const keys = Object.keys(data).filter((k) => !FIELD_EN_SKIP.has(k));
  return (
    <dl class="ev-fields">
      {keys.map((k) => (
        <div key={k}>
          <dt>{label(k, lang)}</dt>
          <dd>
            <Value k={k} v={data[k]} lang={lang} openDoc={openDoc} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The whole content of one event (item 6 of issue 14): what was decided and why, who decided,
 * under which article and policy, and the ids that match it to the audit trail. A disclosure
 * (keyboard reachable); print shows it open.
 */
export function EventDetail({
  event,
  lang,
  actorText,
  openDoc,
}: {
  event: DetailEvent;
  lang: Lang;
  actorText: string;
  openDoc?: (documentId: string, name: string) => void;
}) {
  const zh = lang === 'zh';
  const m = event.metadata;
  // The content is built when first opened (long histories stay light); print opens every one first.
  const [shown, setShown] = useState(false);
  const meta: Array<[string, string]> = [
    [zh ? '操作人' : 'Actor', actorText],
    [zh ? '依据条款' : 'Article', m.article ?? '—'],
    [zh ? '政策版本' : 'Policy', m.policy ?? '—'],
    [zh ? '政策已失效' : 'Policy lapsed', m.policyLapsed ? (zh ? '是' : 'yes') : zh ? '否' : 'no'],
    [zh ? '发生时间' : 'Occurred', dateTime(m.occurredAt, lang)],
    [zh ? '事件编号' : 'Event id', m.eventId ?? '—'],
    [zh ? '流内序号' : 'Revision', String(event.revision)],
    [zh ? '哈希' : 'Hash', m.hash ?? '—'],
  ];
  return (
    <details
      class="ev-detail"
      data-testid="event-detail"
      onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && setShown(true)}
    >
      <summary>{zh ? '查看详情' : 'Details'}</summary>
      {shown && <EventContent event={event} lang={lang} meta={meta} openDoc={openDoc} zh={zh} />}
    </details>
  );
}

function EventContent({
  event,
  lang,
  meta,
  openDoc,
  zh,
}: {
  event: DetailEvent;
  lang: Lang;
  meta: Array<[string, string]>;
  openDoc?: (documentId: string, name: string) => void;
  zh: boolean;
}) {
  return (
    <>
      <Fields data={event.data} lang={lang} openDoc={openDoc} />
      <dl class="ev-fields ev-meta">
        {meta.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{k === (zh ? '哈希' : 'Hash') || k === (zh ? '事件编号' : 'Event id') ? <code>{v}</code> : v}</dd>
          </div>
        ))}
      </dl>
      <details class="ev-raw">
        <summary>{zh ? '原始数据' : 'Raw data'}</summary>
        <pre>{JSON.stringify({ type: event.type, data: event.data, metadata: event.metadata }, null, 2)}</pre>
      </details>
    </>
  );
}
