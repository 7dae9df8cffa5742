import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Commands, type SystemRequest } from '../commands/commands';
import { COMMAND_CATALOGUE, type Actor } from '../domain';
import { CurrentActor } from '../http/auth';
import { ProjectId } from '../http/pipes';
import { Ctx } from '../http/request-context';
import { newId, type CommandAnswer, type RequestContext } from '../application/context';
import { InventoryExistingSystemDto, ListSystemsDto, SystemComplianceDto, SystemExemptionDto } from './systems.dto';
import { GetSystem, ListSystems } from './systems.queries';

const roles = (type: keyof typeof COMMAND_CATALOGUE) =>
  `Roles: ${COMMAND_CATALOGUE[type].roles.join(', ')}. ${COMMAND_CATALOGUE[type].articles}`;

/** 第二十四条 the inventory of existing systems (存量系统) and their compliance records. */
@ApiTags('systems')
@ApiBearerAuth()
@Controller('systems')
export class SystemsController {
  constructor(
    private readonly commands: Commands,
    private readonly queryBus: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: "第二十四条 a department's systems: existing systems and projects in operation, with their ban findings",
  })
  list(@Query() q: ListSystemsDto, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListSystems(actor, q.department));
  }

  @Get(':id')
  @ApiOperation({ summary: '存量系统 one existing system with its compliance facts' })
  get(@Param('id', ProjectId) id: string, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetSystem(actor, id));
  }

  @Post()
  @ApiOperation({
    summary: '存量系统登记 inventory an existing system of your department',
    description: roles('InventoryExistingSystem'),
  })
  async inventory(
    @Body() body: InventoryExistingSystemDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const { systemId = newId(ctx, 'InventoryExistingSystem'), ...data } = body;
    const dispatched = await this.commands.system(systemId, { type: 'InventoryExistingSystem', data }, ctx);
    void reply.status(dispatched.status);
    return dispatched.body;
  }

  @Post(':id/record-compliance')
  @HttpCode(200)
  @ApiOperation({ summary: '记录存量系统合规情况', description: roles('RecordSystemCompliance') })
  recordCompliance(@Param('id', ProjectId) id: string, @Body() b: SystemComplianceDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RecordSystemCompliance', data: b }, c);
  }

  @Post(':id/grant-sharing-exemption')
  @HttpCode(200)
  @ApiOperation({ summary: '市人民政府批准保留（不能共享）', description: roles('GrantSystemSharingExemption') })
  grantExemption(@Param('id', ProjectId) id: string, @Body() b: SystemExemptionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'GrantSystemSharingExemption', data: b }, c);
  }

  private async send(systemId: string, command: SystemRequest, ctx: RequestContext): Promise<CommandAnswer> {
    return (await this.commands.system(systemId, command, ctx)).body;
  }
}
