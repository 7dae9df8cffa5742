import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../domain';
import { CurrentActor } from '../http/auth';
import { GetInbox } from './inbox.queries';
import { DoneQuery } from './project-queries.dto';
import { ListDone } from './records.queries';

const EXAMPLE = {
  today: '2027-01-05',
  role: 'CONSTRUCTION_UNIT',
  department: 'DSJ',
  items: [
    {
      kind: 'SUBMIT_PERFORMANCE_REPORT',
      command: 'SubmitPerformanceReport',
      action: 'submit-performance-report',
      article: '第十七条',
      project: {
        projectId: '3f0b6c2e-8d1a-4c57-9e2b-5a7d4e1f9c30',
        name: '鄂尔多斯市政务服务一网通办平台升级',
        departmentCode: 'DSJ',
      },
      planYear: 2026,
      dueOn: '2026-12-31',
      overdueDays: 5,
      since: null,
      year: 2026,
    },
    {
      kind: 'REGISTER_ASSET',
      command: 'RegisterAsset',
      action: 'register-asset',
      article: '第二十三条',
      project: { projectId: '9d1c7a52-0b4e-4f3a-8c6d-2e5f7a9b1c03', name: '数据共享交换平台', departmentCode: 'DSJ' },
      planYear: 2026,
      dueOn: null,
      overdueDays: 0,
      since: '2026-12-20',
    },
  ],
  total: 2,
  counts: { SUBMIT_PERFORMANCE_REPORT: 1, REGISTER_ASSET: 1 },
};

@ApiTags('queries')
@ApiBearerAuth()
@Controller()
export class InboxController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('inbox')
  @ApiOperation({
    summary: 'What awaits the caller: approvals to give, reports to file, rectifications to verify, funds to release…',
    description:
      'Every authenticated role; the content follows the role (and a construction unit sees only its own ' +
      "department's projects). Each item names the command route (`action`) that discharges it, the article " +
      'asking for it, `dueOn` (null when the measures give no date), `overdueDays` (0 when not overdue) and ' +
      '`since` (when it became due to act, when known). Overdue first, then by due date; `counts` per kind. ' +
      "The deadline watcher's own commands are never items.",
  })
  @ApiOkResponse({ description: 'the inbox as of the server clock', schema: { example: EXAMPLE } })
  inbox(@CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetInbox(actor));
  }

  @Get('inbox/done')
  @ApiOperation({
    summary: '已办: what the caller recorded, across projects, annual plans, systems and frameworks, newest first',
    description:
      "Every authenticated role, and only the caller's own records (the events whose `actor.sub` is the caller's): " +
      "each with its type, Chinese label, article, time, the role it was recorded in and its subject's current name. " +
      'Read from the `records` read model; a record appears once its projection has applied it.',
  })
  @ApiOkResponse({ description: "a page of the caller's records" })
  done(@CurrentActor() actor: Actor, @Query() q: DoneQuery) {
    return this.queryBus.execute(new ListDone(actor, q.page ?? 1, q.pageSize ?? 50));
  }
}
