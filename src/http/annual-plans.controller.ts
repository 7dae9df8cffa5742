import { Body, Controller, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandDispatcher, type CommandAnswer } from '../commands/command-dispatcher';
import { AdoptPlanDto, BudgetFeedbackDto, IncludeInPlanDto } from './dto/project-commands.dto';
import { InvalidInput } from './problem';
import { Ctx, type RequestContext } from './request-context';

export const PlanYear = new ParseIntPipe({
  exceptionFactory: () => new InvalidInput([{ field: 'year', problems: ['year must be an integer 2000–2100'] }]),
});

export function checkYear(year: number): number {
  if (year < 2000 || year > 2100) throw new InvalidInput([{ field: 'year', problems: ['year must be an integer 2000–2100'] }]);
  return year;
}

/** 第五条 the annual construction plan (年度建设计划), one stream per year. */
@ApiTags('annual plans')
@ApiBearerAuth()
@Controller('annual-plans')
export class AnnualPlanCommandsController {
  constructor(private readonly dispatcher: CommandDispatcher) {}

  @Post(':year/include')
  @HttpCode(200)
  @ApiOperation({ summary: '纳入年度建设计划 include a project with the review opinion (OFFICE)' })
  async include(@Param('year', PlanYear) year: number, @Body() body: IncludeInPlanDto, @Ctx() ctx: RequestContext): Promise<CommandAnswer> {
    return (await this.dispatcher.annualPlan('IncludeProjectInPlan', checkYear(year), { ...body }, ctx)).body;
  }

  @Post(':year/adopt')
  @HttpCode(200)
  @ApiOperation({ summary: '联席会议审定年度建设计划 adopt the plan (LEADING_GROUP)' })
  async adopt(@Param('year', PlanYear) year: number, @Body() body: AdoptPlanDto, @Ctx() ctx: RequestContext): Promise<CommandAnswer> {
    return (await this.dispatcher.annualPlan('AdoptAnnualPlan', checkYear(year), { ...body }, ctx)).body;
  }

  @Post(':year/budget-feedback')
  @HttpCode(200)
  @ApiOperation({ summary: '预算"一下"反馈 budget feedback and control amount (FINANCE)' })
  async budgetFeedback(@Param('year', PlanYear) year: number, @Body() body: BudgetFeedbackDto, @Ctx() ctx: RequestContext): Promise<CommandAnswer> {
    return (await this.dispatcher.annualPlan('RecordBudgetFeedback', checkYear(year), { ...body }, ctx)).body;
  }
}
