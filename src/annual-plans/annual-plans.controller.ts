import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Commands } from '../commands/commands';
import { AdoptPlanDto, BudgetFeedbackDto, IncludeInPlanDto } from './annual-plans.dto';
import { checkYear, PlanYear } from '../http/pipes';
import { CurrentActor } from '../http/auth';
import { Ctx } from '../http/request-context';
import type { Actor } from '../domain';
import { GetAnnualPlan } from './annual-plan.queries';
import { type CommandAnswer, type RequestContext } from '../application/context';

/** 第五条 the annual construction plan (年度建设计划), one stream per year. */
@ApiTags('annual plans')
@ApiBearerAuth()
@Controller('annual-plans')
export class AnnualPlansController {
  constructor(
    private readonly commands: Commands,
    private readonly queryBus: QueryBus,
  ) {}

  @Get(':year')
  @ApiOperation({ summary: "第五条 annual construction plan (construction units see their own department's entries)" })
  annualPlan(@Param('year', PlanYear) year: number, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetAnnualPlan(checkYear(year), actor));
  }

  @Post(':year/include')
  @HttpCode(200)
  @ApiOperation({ summary: '纳入年度建设计划 include a project with the review opinion (OFFICE)' })
  async include(
    @Param('year', PlanYear) year: number,
    @Body() body: IncludeInPlanDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAnswer> {
    return (await this.commands.annualPlan(checkYear(year), { type: 'IncludeProjectInPlan', data: body }, ctx)).body;
  }

  @Post(':year/adopt')
  @HttpCode(200)
  @ApiOperation({ summary: '联席会议审定年度建设计划 adopt the plan (LEADING_GROUP)' })
  async adopt(
    @Param('year', PlanYear) year: number,
    @Body() body: AdoptPlanDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAnswer> {
    return (await this.commands.annualPlan(checkYear(year), { type: 'AdoptAnnualPlan', data: body }, ctx)).body;
  }

  @Post(':year/budget-feedback')
  @HttpCode(200)
  @ApiOperation({ summary: '预算"一下"反馈 budget feedback and control amount (FINANCE)' })
  async budgetFeedback(
    @Param('year', PlanYear) year: number,
    @Body() body: BudgetFeedbackDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAnswer> {
    return (await this.commands.annualPlan(checkYear(year), { type: 'RecordBudgetFeedback', data: body }, ctx)).body;
  }
}
