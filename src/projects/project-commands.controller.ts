import { applyDecorators, Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { COMMAND_CATALOGUE } from '../domain';
import { Commands, type ProjectRequest } from '../commands/commands';
import * as D from './project-commands.dto';
import { ProjectId } from '../http/pipes';
import { Ctx } from '../http/request-context';
import { newId, type CommandAnswer, type Dispatched, type RequestContext } from '../application/context';

/** POST /projects/:id/<action>, documented with the roles and articles of the domain catalogue. */
function Action(path: string, command: keyof typeof COMMAND_CATALOGUE, summary: string) {
  const entry = COMMAND_CATALOGUE[command];
  return applyDecorators(
    Post(`:id/${path}`),
    HttpCode(200),
    ApiOperation({ summary, description: `Command ${command}. Roles: ${entry.roles.join(', ')}. ${entry.articles}` }),
  );
}

/**
 * Every command of docs/api.md on a project. Each builds its typed command from its DTO, once, and
 * hands it to the command path: no rule lives here.
 */
@ApiTags('project commands')
@ApiBearerAuth()
@Controller('projects')
export class ProjectCommandsController {
  constructor(private readonly commands: Commands) {}

  @Post()
  @ApiOperation({ summary: '立项 register a project (第二、五、七、九条)' })
  async register(
    @Body() body: D.RegisterProjectDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const { projectId = newId(ctx, 'RegisterProject'), ...data } = body;
    return this.reply(reply, await this.commands.project(projectId, { type: 'RegisterProject', data }, ctx));
  }

  @Action('submit-proposal', 'SubmitProposal', '报送项目建议书')
  submitProposal(@Param('id', ProjectId) id: string, @Body() b: D.DocumentDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'SubmitProposal', data: b }, c);
  }

  @Action('approve-proposal', 'ApproveProposal', '批复项目建议书')
  approveProposal(@Param('id', ProjectId) id: string, @Body() b: D.OpinionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'ApproveProposal', data: b }, c);
  }

  @Action('reject-proposal', 'RejectProposal', '退回项目建议书')
  rejectProposal(@Param('id', ProjectId) id: string, @Body() b: D.OpinionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RejectProposal', data: b }, c);
  }

  @Action('submit-feasibility', 'SubmitFeasibilityStudy', '报送可行性研究报告')
  submitFeasibility(@Param('id', ProjectId) id: string, @Body() b: D.DocumentDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'SubmitFeasibilityStudy', data: b }, c);
  }

  @Action('approve-feasibility', 'ApproveFeasibility', '可行性批复')
  approveFeasibility(@Param('id', ProjectId) id: string, @Body() b: D.OpinionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'ApproveFeasibility', data: b }, c);
  }

  @Action('reject-feasibility', 'RejectFeasibility', '退回可行性研究报告')
  rejectFeasibility(@Param('id', ProjectId) id: string, @Body() b: D.OpinionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RejectFeasibility', data: b }, c);
  }

  @Action('submit-preliminary-design', 'SubmitPreliminaryDesign', '报送初步设计方案和投资概算')
  submitDesign(@Param('id', ProjectId) id: string, @Body() b: D.SubmitPreliminaryDesignDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'SubmitPreliminaryDesign', data: b }, c);
  }

  @Action('review-preliminary-design', 'ReviewPreliminaryDesign', '初步设计评审和核价')
  reviewDesign(@Param('id', ProjectId) id: string, @Body() b: D.ReviewPreliminaryDesignDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'ReviewPreliminaryDesign', data: b }, c);
  }

  @Action('approve-preliminary-design', 'ApprovePreliminaryDesign', '初步设计审批')
  approveDesign(
    @Param('id', ProjectId) id: string,
    @Body() b: D.ApprovePreliminaryDesignDto,
    @Ctx() c: RequestContext,
  ) {
    return this.send(id, { type: 'ApprovePreliminaryDesign', data: b }, c);
  }

  @Action('reject-preliminary-design', 'RejectPreliminaryDesign', '退回初步设计')
  rejectDesign(@Param('id', ProjectId) id: string, @Body() b: D.OpinionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RejectPreliminaryDesign', data: b }, c);
  }

  @Action('assign-responsibility', 'AssignResponsibility', '明确项目实施机构和项目责任人')
  assignResponsibility(
    @Param('id', ProjectId) id: string,
    @Body() b: D.AssignResponsibilityDto,
    @Ctx() c: RequestContext,
  ) {
    return this.send(id, { type: 'AssignResponsibility', data: b }, c);
  }

  @Action('engage-supervision', 'EngageSupervisionUnit', '委托工程监理单位')
  engageSupervision(@Param('id', ProjectId) id: string, @Body() b: D.EngageSupervisionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'EngageSupervisionUnit', data: b }, c);
  }

  @Action('start-construction', 'StartConstruction', '开工建设')
  startConstruction(@Param('id', ProjectId) id: string, @Body() b: D.StartConstructionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'StartConstruction', data: b }, c);
  }

  @Action('submit-performance-report', 'SubmitPerformanceReport', '报送年度绩效评价报告')
  performanceReport(@Param('id', ProjectId) id: string, @Body() b: D.PerformanceReportDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'SubmitPerformanceReport', data: b }, c);
  }

  @Action('report-incident', 'ReportIncident', '报告严重滞后或重大损失')
  reportIncident(@Param('id', ProjectId) id: string, @Body() b: D.ReportIncidentDto, @Ctx() c: RequestContext) {
    const incidentId = b.incidentId ?? newId(c, `ReportIncident ${id}`);
    return this.send(id, { type: 'ReportIncident', data: { ...b, incidentId } }, c);
  }

  @Action('file-adjustment', 'FileAdjustment', '调整备案')
  fileAdjustment(@Param('id', ProjectId) id: string, @Body() b: D.FileAdjustmentDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'FileAdjustment', data: b }, c);
  }

  @Action('complete-construction', 'CompleteConstruction', '建成（试运行）')
  complete(@Param('id', ProjectId) id: string, @Body() b: D.CompleteConstructionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'CompleteConstruction', data: b }, c);
  }

  @Action('return-surplus', 'ReturnSurplusFunds', '结余资金收回')
  returnSurplus(@Param('id', ProjectId) id: string, @Body() b: D.ReturnSurplusDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'ReturnSurplusFunds', data: b }, c);
  }

  @Action('release-investment', 'ReleaseInvestment', '下达项目投资')
  releaseInvestment(@Param('id', ProjectId) id: string, @Body() b: D.ReleaseInvestmentDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'ReleaseInvestment', data: b }, c);
  }

  @Action('agree-acceptance-plan', 'AgreeAcceptancePlan', '商定验收方案')
  acceptancePlan(@Param('id', ProjectId) id: string, @Body() b: D.AcceptancePlanDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'AgreeAcceptancePlan', data: b }, c);
  }

  @Action('record-archive-acceptance', 'RecordArchiveAcceptance', '档案验收')
  archiveAcceptance(@Param('id', ProjectId) id: string, @Body() b: D.PassedOpinionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RecordArchiveAcceptance', data: b }, c);
  }

  @Action('request-acceptance-extension', 'RequestAcceptanceExtension', '延期验收申请')
  requestExtension(@Param('id', ProjectId) id: string, @Body() b: D.ExtensionRequestDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RequestAcceptanceExtension', data: b }, c);
  }

  @Action('grant-acceptance-extension', 'GrantAcceptanceExtension', '同意延期验收')
  grantExtension(@Param('id', ProjectId) id: string, @Body() b: D.OpinionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'GrantAcceptanceExtension', data: b }, c);
  }

  @Action('record-acceptance', 'RecordAcceptance', '验收')
  recordAcceptance(@Param('id', ProjectId) id: string, @Body() b: D.RecordAcceptanceDto, @Ctx() c: RequestContext) {
    return this.send(
      id,
      { type: 'RecordAcceptance', data: { ...b, materials: b.materials ?? {}, keyContent: b.keyContent ?? {} } },
      c,
    );
  }

  @Action('register-asset', 'RegisterAsset', '资产登记')
  registerAsset(@Param('id', ProjectId) id: string, @Body() b: D.RegisterAssetDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RegisterAsset', data: b }, c);
  }

  @Action('record-compliance', 'RecordCompliance', '共享、目录、密码和安全检查结果')
  recordCompliance(@Param('id', ProjectId) id: string, @Body() b: D.ComplianceDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'RecordCompliance', data: b }, c);
  }

  @Action('grant-sharing-exemption', 'GrantSharingExemption', '市人民政府批准保留（第二十四条）')
  grantExemption(@Param('id', ProjectId) id: string, @Body() b: D.ReasonDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'GrantSharingExemption', data: b }, c);
  }

  @Action('review-sharing', 'ReviewSharing', '信息共享审核（第二十四条）')
  reviewSharing(@Param('id', ProjectId) id: string, @Body() b: D.ReviewSharingDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'ReviewSharing', data: b }, c);
  }

  @Action('order-rectification', 'OrderRectification', '限期整改')
  orderRectification(@Param('id', ProjectId) id: string, @Body() b: D.OrderRectificationDto, @Ctx() c: RequestContext) {
    const rectificationId = b.rectificationId ?? newId(c, `OrderRectification ${id}`);
    return this.send(id, { type: 'OrderRectification', data: { ...b, rectificationId } }, c);
  }

  @Action('submit-rectification', 'SubmitRectification', '报送整改报告')
  submitRectification(
    @Param('id', ProjectId) id: string,
    @Body() b: D.SubmitRectificationDto,
    @Ctx() c: RequestContext,
  ) {
    return this.send(id, { type: 'SubmitRectification', data: b }, c);
  }

  @Action('verify-rectification', 'VerifyRectification', '核验整改')
  verifyRectification(
    @Param('id', ProjectId) id: string,
    @Body() b: D.VerifyRectificationDto,
    @Ctx() c: RequestContext,
  ) {
    return this.send(id, { type: 'VerifyRectification', data: b }, c);
  }

  @Action('criticize', 'CriticizeProject', '通报批评')
  criticize(@Param('id', ProjectId) id: string, @Body() b: D.SanctionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'CriticizeProject', data: b }, c);
  }

  @Action('defer-investment', 'DeferInvestment', '暂缓安排投资计划')
  deferInvestment(@Param('id', ProjectId) id: string, @Body() b: D.SanctionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'DeferInvestment', data: b }, c);
  }

  @Action('suspend', 'SuspendProject', '暂停项目建设')
  suspend(@Param('id', ProjectId) id: string, @Body() b: D.SanctionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'SuspendProject', data: b }, c);
  }

  @Action('resume', 'ResumeProject', '恢复项目建设')
  resume(@Param('id', ProjectId) id: string, @Body() b: D.ReasonDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'ResumeProject', data: b }, c);
  }

  @Action('terminate', 'TerminateProject', '终止项目')
  terminate(@Param('id', ProjectId) id: string, @Body() b: D.SanctionDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'TerminateProject', data: b }, c);
  }

  @Action('decide-incident', 'DecideIncident', '对严重滞后或重大损失作出处理决定')
  decideIncident(@Param('id', ProjectId) id: string, @Body() b: D.DecideIncidentDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'DecideIncident', data: b }, c);
  }

  @Action('evaluate', 'EvaluateProject', '应用效果评价或项目后评价')
  evaluate(@Param('id', ProjectId) id: string, @Body() b: D.EvaluateProjectDto, @Ctx() c: RequestContext) {
    return this.send(id, { type: 'EvaluateProject', data: b }, c);
  }

  private async send(projectId: string, command: ProjectRequest, ctx: RequestContext): Promise<CommandAnswer> {
    return (await this.commands.project(projectId, command, ctx)).body;
  }

  private reply(reply: FastifyReply, dispatched: Dispatched): CommandAnswer {
    void reply.status(dispatched.status);
    return dispatched.body;
  }
}
