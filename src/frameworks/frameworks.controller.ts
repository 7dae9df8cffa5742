import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../domain';
import { Commands } from '../commands/commands';
import { newId, type CommandAnswer, type RequestContext } from '../application/context';
import { CurrentActor } from '../http/auth';
import { ProjectId } from '../http/pipes';
import { Ctx } from '../http/request-context';
import { GetFramework, ListFrameworks } from './framework.queries';
import { FrameworkVisibilityGuard } from './framework-visibility';
import { AcknowledgeFrameworkDto, ConfirmFrameworkDto, FileFrameworkDto, ListFrameworksQuery } from './frameworks.dto';

/**
 * 第七条 cross-department frameworks (跨部门工程框架方案), one stream per framework: filed by the
 * lead, confirmed by each participant, acknowledged by the office; a department's project then
 * names it (POST /projects crossDepartment.frameworkId).
 */
@ApiTags('frameworks')
@ApiBearerAuth()
@Controller('frameworks')
@UseGuards(FrameworkVisibilityGuard)
export class FrameworksController {
  constructor(
    private readonly commands: Commands,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: '报送跨部门框架方案 file a framework, the caller’s department leading (第七条)' })
  async file(
    @Body() body: FileFrameworkDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const { frameworkId = newId(ctx, 'FileFramework'), ...data } = body;
    const dispatched = await this.commands.framework(frameworkId, { type: 'FileFramework', data }, ctx);
    void reply.status(dispatched.status);
    return dispatched.body;
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: '参建部门确认框架方案 a participating department confirms (第七条)' })
  async confirm(
    @Param('id', ProjectId) id: string,
    @Body() body: ConfirmFrameworkDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAnswer> {
    return (await this.commands.framework(id, { type: 'ConfirmFramework', data: body }, ctx)).body;
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: '领导小组办公室受理框架方案 the office acknowledges, every participant having confirmed' })
  async acknowledge(
    @Param('id', ProjectId) id: string,
    @Body() body: AcknowledgeFrameworkDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAnswer> {
    return (await this.commands.framework(id, { type: 'AcknowledgeFramework', data: body }, ctx)).body;
  }

  @Get()
  @ApiOperation({ summary: '第七条 frameworks (a construction unit: those listing its department)' })
  list(@Query() q: ListFrameworksQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListFrameworks(actor, q.department));
  }

  @Get(':id')
  @ApiOperation({ summary: '第七条 one framework: content, confirmations, awaitingConfirmation, acknowledgement' })
  detail(@Param('id', ProjectId) id: string, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetFramework(actor, id));
  }
}
