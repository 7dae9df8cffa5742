import { Body, Controller, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, TestClock } from '../infrastructure/clock';
import { Roles } from '../http/auth';
import { Instant } from '../http/fields';

export class SetClockDto {
  @Instant({ description: "the test clock's new now", example: '2027-03-01T00:00:00+08:00' })
  now: string;
}

/** Exists only when the service starts with TEST_CLOCK=1 (docs/api.md "Time"). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/test-clock')
export class TestClockController {
  constructor(@Inject(CLOCK) private readonly clock: TestClock) {}

  @Put()
  @Roles('OFFICE')
  @ApiOperation({ summary: 'Set the test clock (TEST_CLOCK=1 only)' })
  set(@Body() body: SetClockDto): { now: string } {
    this.clock.set(new Date(body.now));
    return { now: this.clock.now().toISOString() };
  }
}
