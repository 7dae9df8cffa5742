import { Module } from '@nestjs/common';
import { AnnualPlanInboxSource } from './annual-plan-inbox';
import { GetAnnualPlanHandler } from './annual-plan.queries';
import { AnnualPlansController } from './annual-plans.controller';

/** 第五条 the annual construction plan: its commands and its read model. */
@Module({ controllers: [AnnualPlansController], providers: [GetAnnualPlanHandler, AnnualPlanInboxSource] })
export class AnnualPlansModule {}
